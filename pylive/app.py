"""``LiveApp``: the Starlette application serving live routes, the live socket and assets.

For every live route an HTTP GET renders the page ("dead render": mount, render to HTML inside
the root layout, signed tokens in the container, protocol.md §2.1-2.2); the client then joins
over ``<prefix>/live/websocket`` and the page stays live. Static client assets are served from
``pylive/static/`` at ``<prefix>/live/assets/``.

The app works top-level or mounted under a prefix (Starlette ``Mount``, FastAPI ``mount``): it
builds every URL from ``root_path`` and needs no lifespan (a mounted app never gets one), so
nothing is initialised there; ``close_sockets`` is what a host calls on shutdown.
"""

from __future__ import annotations

import logging
import os
import secrets
import weakref
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any

import anyio
from htpy import div
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from pylive.assets import ClientAssets
from pylive.channel import ConnectInfo, LiveViewChannel
from pylive.layout import Page, root_layout
from pylive.lifecycle import client_target, mount_view, resolve
from pylive.params import decode_query
from pylive.rendering import render_html
from pylive.routing import LiveRoute, LiveSession, RouteMatch, Router, view_key
from pylive.socket import GOING_AWAY, PhoenixSocket
from pylive.tokens import MAX_AGE, Tokens
from pylive.transport.websocket import accept
from pylive.view import Socket

__all__ = [
    "CSRF_COOKIE",
    "FLASH_COOKIE",
    "LiveApp",
    "close_live_sockets",
    "starlette_session",
]

logger = logging.getLogger(__name__)

CSRF_COOKIE = "_pylive_csrf"
"""HttpOnly cookie with the per-browser CSRF secret; the socket's ``_csrf_token`` must match."""
FLASH_COOKIE = "__phoenix_flash__"
"""Cookie the official client writes with the flash token of a full-page redirect (§5)."""

_APPS: weakref.WeakSet[LiveApp] = weakref.WeakSet()
"""Every LiveApp of the process, so that a server can close all live sockets on shutdown even
when the LiveApp is mounted deep inside another framework's app."""

Layout = Callable[[Page], Any]
SessionGetter = Callable[[HTTPConnection], Mapping[str, Any]]


def starlette_session(conn: HTTPConnection) -> Mapping[str, Any]:
    """The default ``session`` for ``mount``: Starlette's ``SessionMiddleware`` session, if any."""
    return conn.session if "session" in conn.scope else {}


class LiveApp(Starlette):
    """An ASGI app serving LiveViews. ``routes`` mixes ``live(...)``, ``live_session(...)`` and
    ordinary Starlette routes.

    ``secret_key`` signs every token (default: ``$PYLIVE_SECRET_KEY``, else a random key per
    process, which breaks with several workers). ``layout`` renders the HTML document around
    each page. ``session`` picks the per-user data handed to ``mount`` from a request or
    WebSocket (read again at connect time, like Phoenix). ``allowed_origins`` lists origins
    allowed to open the live socket (default: same host as the request).
    """

    def __init__(
        self,
        routes: Sequence[LiveRoute | LiveSession | BaseRoute] = (),
        *,
        secret_key: str | bytes | None = None,
        layout: Layout = root_layout,
        session: SessionGetter = starlette_session,
        allowed_origins: Sequence[str] | None = None,
        socket_path: str = "/live",
        heartbeat_timeout: float | None = 60.0,
        debug: bool = False,
        middleware: Sequence[Middleware] | None = None,
        lifespan: Callable[[Any], AbstractAsyncContextManager[Any]] | None = None,
    ) -> None:
        live_entries = [r for r in routes if isinstance(r, LiveRoute | LiveSession)]
        other_routes = [r for r in routes if isinstance(r, BaseRoute)]
        self._live_router = Router(live_entries)
        self._tokens = Tokens(secret_key or _default_secret())
        self._layout = layout
        self._session = session
        self._allowed_origins = allowed_origins
        self._socket_path = socket_path.rstrip("/")
        self._heartbeat_timeout = heartbeat_timeout
        self._live_sockets: set[PhoenixSocket] = set()
        self._drained: anyio.Event | None = None
        own_routes: list[BaseRoute] = [
            Route(route.path, partial(self._dead_render, route, session_), name=route.name)
            for route, session_ in self._live_router.routes()
        ]
        own_routes += [
            WebSocketRoute(f"{self._socket_path}/websocket", _LiveSocketEndpoint(self)),
            Mount(f"{self._socket_path}/assets", app=ClientAssets(), name="pylive-assets"),
        ]
        super().__init__(
            debug=debug,
            routes=[*own_routes, *other_routes],
            middleware=middleware,
            lifespan=partial(self._lifespan, lifespan),
        )
        _APPS.add(self)

    # ------------------------------------------------------------------ shutdown

    async def close_sockets(self, code: int = GOING_AWAY, timeout: float = 5.0) -> None:
        """Close every live socket (1001: clients reconnect, to another server if need be)
        and wait up to ``timeout`` seconds for them to finish."""
        if not self._live_sockets:
            return
        self._drained = anyio.Event()
        for socket in list(self._live_sockets):
            socket.close(code)
        with anyio.move_on_after(timeout):
            await self._drained.wait()

    @asynccontextmanager
    async def _lifespan(
        self, inner: Callable[[Any], AbstractAsyncContextManager[Any]] | None, app: Any
    ) -> AsyncIterator[Any]:
        try:
            if inner is None:
                yield None
            else:
                async with inner(app) as state:
                    yield state
        finally:
            await self.close_sockets()

    # ------------------------------------------------------------------ live socket

    async def _live_socket(self, scope: Scope, receive: Receive, send: Send) -> None:
        transport = await accept(scope, receive, send, self._allowed_origins)
        if transport is None:
            return
        conn = WebSocket(scope, receive, send)  # what `session` functions are given
        csrf_ok = self._tokens.check_csrf(
            conn.cookies.get(CSRF_COOKIE), conn.query_params.get("_csrf_token")
        )
        if not csrf_ok:
            logger.info("live socket without a valid CSRF token: joins will answer stale")
        connect = ConnectInfo(
            session=dict(self._session(conn)) if csrf_ok else None,
            root_path=scope.get("root_path", ""),
        )
        channel = partial(LiveViewChannel, self._live_router, self._tokens, connect)
        socket = PhoenixSocket({"lv:": channel}, heartbeat_timeout=self._heartbeat_timeout)
        self._live_sockets.add(socket)
        try:
            await socket.run(transport)
        finally:
            self._live_sockets.discard(socket)
            if not self._live_sockets and self._drained is not None:
                self._drained.set()

    # ------------------------------------------------------------------ dead render

    async def _dead_render(
        self, route: LiveRoute, session: LiveSession, request: Request
    ) -> Response:
        root_path = request.scope.get("root_path", "")
        flash_cookie = request.cookies.get(FLASH_COOKIE)
        flash = self._tokens.verify("flash", flash_cookie) or {}
        view_id = "phx-" + secrets.token_urlsafe(12)
        socket = Socket(view_id, flash=flash)
        uri = str(request.url)
        match = RouteMatch(
            route, session, {**decode_query(request.url.query), **request.path_params}
        )
        view = await mount_view(match, socket, dict(self._session(request)), uri)

        response: Response
        nav = socket._take_navigation()
        if nav is not None:
            response = RedirectResponse(client_target(resolve(nav.to, uri), uri), status_code=302)
            if "flash" in socket.changed and socket.assigns["flash"]:
                token = self._tokens.sign("flash", socket.assigns["flash"])
                response.set_cookie(FLASH_COOKIE, token, max_age=MAX_AGE["flash"], path="/")
        else:
            csrf_secret = request.cookies.get(CSRF_COOKIE)
            new_secret = csrf_secret is None
            csrf_secret = csrf_secret or self._tokens.new_csrf_secret()
            container = div(
                id=view_id,
                data_phx_main=True,
                data_phx_session=self._tokens.sign(
                    "session",
                    {"id": view_id, "view": view_key(route.view), "live_session": session.name},
                ),
                data_phx_static=self._tokens.sign(
                    "static", {"id": view_id, "flash": socket.assigns["flash"]}
                ),
            )[Markup(render_html(view, socket.assigns))]
            page = Page(
                request=request,
                content=container,
                page_title=socket.assigns["page_title"],
                csrf_token=self._tokens.csrf_token(csrf_secret),
                socket_path=root_path + self._socket_path,
                assets_path=f"{root_path}{self._socket_path}/assets",
            )
            response = HTMLResponse(str(self._layout(page)))
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


class _LiveSocketEndpoint:
    """The live socket route as a raw ASGI app (a function endpoint would get Starlette's
    per-message wrappers); the transport uses the server's ``receive``/``send`` directly."""

    __slots__ = ("_app",)

    def __init__(self, app: LiveApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app._live_socket(scope, receive, send)


async def close_live_sockets(code: int = GOING_AWAY, timeout: float = 5.0) -> None:
    """Close the live sockets of every LiveApp in this process (what ``pylive serve`` does
    when asked to stop; call it from your own server's shutdown hook otherwise)."""
    async with anyio.create_task_group() as tg:
        for app in list(_APPS):
            tg.start_soon(app.close_sockets, code, timeout)


def _default_secret() -> str:
    key = os.environ.get("PYLIVE_SECRET_KEY")
    if key:
        return key
    logger.warning(
        "no secret_key given and PYLIVE_SECRET_KEY unset: using a random key for this process "
        "(tokens will not survive a restart or work across several workers)"
    )
    return secrets.token_urlsafe(32)
