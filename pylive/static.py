"""The first, HTTP render of a live page (Phoenix's "static" or "dead" render).

A GET of a live route mounts the view on a socket that is not connected, renders it into the
layout inside a container carrying the signed session tokens (``pylive.session``), and sets the
CSRF cookie the live socket is checked against. A mount that redirects answers 302 instead, with
the flash in a cookie so that it survives the page load. An address over its rate of page loads
(``pylive.address_rate_limit``) is answered 429 without a render. Every answer carries the app's
secure browser headers (``pylive.browser_headers``); the page, its Content-Security-Policy.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import htpy
from htpy import Element
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from pylive.connection_limits import client_address
from pylive.csp import allows_inline_script, allows_inline_style, new_nonce, policy_header
from pylive.effects import Effects
from pylive.layout import Page
from pylive.lifecycle import mount_view
from pylive.live_render import ChildRedirect, DeadChildren
from pylive.params import decode_query
from pylive.routing import LiveRoute, LiveSession, RouteMatch, view_key
from pylive.runtime import Runtime
from pylive.session import CSRF_COOKIE, FLASH_COOKIE, sign_session, sign_static
from pylive.socket import Socket
from pylive.tokens import MAX_AGE, Tokens
from pylive.urls import client_target, resolve
from pylive.view_tree import ViewTree

__all__ = ["render_page"]

logger = logging.getLogger(__name__)


async def render_page(
    runtime: Runtime, route: LiveRoute, session: LiveSession, request: Request
) -> Response:
    """The HTML page of ``route`` for ``request``, the redirect its mount asked for, or 429
    when the client's address is over its rate of page loads."""
    address = client_address(request.scope)
    wait = runtime.address_rates.page_load(address)
    response: Response
    if wait is None:
        response = await _render(runtime, route, session, request)
    else:
        logger.info("refusing a page load from %s (HTTP 429): over its rate", address)
        runtime.telemetry.refused("page_load_rate", address)
        response = PlainTextResponse(
            f"Too many requests: try again in {wait} s.",
            status_code=429,
            headers={"retry-after": str(wait)},
        )
    response.headers.update(runtime.settings.secure_browser_headers)
    return response


async def _render(
    runtime: Runtime, route: LiveRoute, session: LiveSession, request: Request
) -> Response:
    tokens, settings = runtime.tokens, runtime.settings
    root_path = request.scope.get("root_path", "")
    flash_cookie = request.cookies.get(FLASH_COOKIE)
    flash = tokens.verify("flash", flash_cookie) or {}
    view_id = "phx-" + secrets.token_urlsafe(12)
    effects = Effects.for_view(flash)
    socket = Socket(view_id, effects)
    uri = str(request.url)
    match = RouteMatch(route, session, {**decode_query(request.url.query), **request.path_params})
    csrf_secret = request.cookies.get(CSRF_COOKIE)
    new_secret = csrf_secret is None
    csrf_secret = csrf_secret or tokens.new_csrf_secret()
    csrf_token = tokens.csrf_token(csrf_secret)
    mount_session = {**settings.session(request), "_csrf_token": csrf_token}
    view = await mount_view(match, socket, effects, mount_session, uri)

    response: Response
    assigns = effects.assigns
    if effects.navigation is not None:
        response = _redirect(effects, uri, tokens, keep_flash="flash" in effects.changed)
    else:
        children = DeadChildren.start(tokens, mount_session)  # live_render
        tree = ViewTree(socket, effects, tokens, connected=False, layout=match.layout)
        html = await tree.render_html(view, assigns)
        container = _container(
            route,
            {
                "id": view_id,
                "data-phx-main": True,
                "data-phx-session": sign_session(
                    tokens, view_id, view_key(route.view), session.name
                ),
                "data-phx-static": sign_static(tokens, view_id, assigns["flash"]),
            },
            html,
        )
        policy = settings.content_security_policy
        nonce = new_nonce() if policy is not None and "{nonce}" in policy else None
        page = Page(
            request=request,
            content=container,
            page_title=assigns["page_title"],
            csrf_token=csrf_token,
            socket_path=root_path + settings.socket_path,
            assets_path=f"{root_path}{settings.socket_path}/assets",
            longpoll_fallback_ms=settings.longpoll.fallback_ms if settings.longpoll else None,
            nonce=nonce,
            inline_script=allows_inline_script(policy),
            inline_style=allows_inline_style(policy),
        )
        try:
            response = HTMLResponse(await children.finish(str(settings.layout(page))))
        except ChildRedirect as child:
            response = _redirect(child.effects, uri, tokens, keep_flash=True)
        else:
            if policy is not None:
                response.headers["content-security-policy"] = policy_header(policy, nonce or "")
        if new_secret:
            response.set_cookie(
                CSRF_COOKIE,
                csrf_secret,
                path=root_path or "/",
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
    if flash_cookie is not None:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def _container(route: LiveRoute, phx: dict[str, Any], html: str) -> Element:
    """The view's HTML in its route's container element: the ``phx`` attributes first, then
    the route's own (``LiveRoute(container=...)``; a ``div`` with none by default)."""
    element: Element = getattr(htpy, route.container[0])({**phx, **route.container_attrs()})
    return element[Markup(html)]


def _redirect(effects: Effects, uri: str, tokens: Tokens, *, keep_flash: bool) -> Response:
    """The 302 a mount asked for (the page's or a nested LiveView's), with the flash in a
    cookie (if ``keep_flash``) so that it survives the page load."""
    nav = effects.take_navigation()
    assert nav is not None
    response = RedirectResponse(client_target(resolve(nav.to, uri), uri), status_code=302)
    if keep_flash and effects.assigns["flash"]:
        token = tokens.sign("flash", effects.assigns["flash"])
        response.set_cookie(FLASH_COOKIE, token, max_age=MAX_AGE["flash"], path="/")
    return response
