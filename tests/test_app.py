"""LiveApp over HTTP: the dead render (``pylive.static``), cookies and tokens, layouts, on_mount
hooks, and embedding under a prefix in Starlette and FastAPI."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import fastapi
import pytest
from diff_values import client_html, diff_reply
from htpy import body, div, head, html
from live_apps import SECRET, Counter, make_app
from live_socket import join
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Page, Socket, root_layout
from pylive.testing.client import LiveClient
from pylive.tokens import Tokens

pytestmark = pytest.mark.anyio


async def test_dead_render_has_container_tokens_and_head() -> None:
    response = await LiveClient(make_app()).get("/counter/3?tab=t")
    assert response.status == 200
    html_ = response.text
    assert html_.startswith("<!doctype html>")
    container = re.search(
        r'<div id="(phx-[^"]+)" data-phx-main '
        r'data-phx-session="([^"]+)" data-phx-static="([^"]+)">',
        html_,
    )
    assert container, html_
    view_id, session, static = container.groups()
    tokens = Tokens(SECRET)
    assert tokens.verify("session", session) == {
        "id": view_id,
        "view": "live_apps.Counter",
        "live_session": "default",
    }
    assert tokens.verify("static", static) == {"id": view_id, "flash": {}}
    assert "<p>Count: 3</p>" in html_ and '<span class="tab">t</span>' in html_
    assert '<meta name="pylive-socket" content="/live">' in html_
    assert '<script async src="/live/assets/pylive.js?v=' in html_  # versioned: cached for good
    assert '<title data-default="pylive">pylive</title>' in html_
    [cookie] = response.header_list("set-cookie")
    assert cookie.startswith("_pylive_csrf=") and "HttpOnly" in cookie and "SameSite=lax" in cookie


async def test_csrf_cookie_is_kept_and_token_matches_it() -> None:
    client = LiveClient(make_app())
    page = client.page_of(await client.get("/"))
    again = await client.get("/")
    assert again.header_list("set-cookie") == []
    assert Tokens(SECRET).check_csrf(client.cookies["_pylive_csrf"], page.csrf_token)


async def test_on_mount_redirect_is_a_302_carrying_the_flash_cookie() -> None:
    app = make_app()
    client = LiveClient(app)
    response = await client.get("/admin")
    assert response.status == 302 and response.header("location") == "/"
    flash = client.cookies["__phoenix_flash__"]
    assert Tokens(SECRET).verify("flash", flash) == {"error": "log in first"}
    # the next page gets the flash and deletes the cookie
    reader = LiveClient(app, cookies={"__phoenix_flash__": flash})
    shown = await reader.get("/other")
    page = reader.page_of(shown)
    assert page.static and Tokens(SECRET).verify("static", page.static)["flash"] == {
        "error": "log in first"
    }
    set_cookies = shown.header_list("set-cookie")
    assert any(c.startswith('__phoenix_flash__=""') for c in set_cookies), set_cookies
    assert "__phoenix_flash__" not in reader.cookies


async def test_on_mount_hook_assigns_reach_the_view() -> None:
    response = await LiveClient(make_app()).get("/admin?user=ann")
    assert response.status == 200 and "admin ann" in response.text


async def test_page_title_and_custom_title_config() -> None:
    app = make_app(layout=partial(root_layout, title="Shop", title_suffix=" · Shop"))
    response = await LiveClient(app).get("/other")
    assert response.status == 200
    assert '<title data-default="Shop" data-suffix=" · Shop">Other · Shop</title>' in response.text


async def test_a_custom_layout_replaces_the_document() -> None:
    def layout(page: Page) -> Any:
        return html[head[page.head()], body(".custom")[page.content]]

    response = await LiveClient(make_app(layout=layout)).get("/")
    assert response.status == 200 and '<body class="custom"><div id="phx-' in response.text


class WhoAmI(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(user=session.get("user", "nobody"))

    def render(self, assigns: Assigns) -> Any:
        return div["user: ", assigns.user]


async def test_session_getter_feeds_mount_on_both_renders() -> None:
    app = LiveApp([LiveRoute("/", WhoAmI)], secret_key=SECRET, session=lambda c: {"user": "ann"})
    client = LiveClient(app)
    dead = await client.get("/")
    assert "user: ann" in dead.text
    page = client.page_of(dead)
    async with client.connect(page) as conn:
        _, response = await join(conn, page)
    assert "ann" in response["rendered"].values()


async def test_starlette_session_middleware_is_the_default_session() -> None:
    async def login(request: Request) -> PlainTextResponse:
        request.session["user"] = "bob"
        return PlainTextResponse("ok")

    app = LiveApp(
        [LiveRoute("/", WhoAmI), Route("/login", login)],
        secret_key=SECRET,
        middleware=[Middleware(SessionMiddleware, secret_key="s")],
    )
    client = LiveClient(app)
    await client.get("/login")
    response = await client.get("/")
    assert "user: bob" in response.text
    page = client.page_of(response)  # the live socket goes through the middleware too
    async with client.connect(page) as conn:
        _, joined = await join(conn, page)
    assert "bob" in str(joined["rendered"])


# --------------------------------------------------------------------------- embedding


async def _check_mounted(host: ASGIApp, prefix: str) -> None:
    client = LiveClient(host)
    dead = await client.get(f"{prefix}/counter/2")
    assert f'<meta name="pylive-socket" content="{prefix}/live">' in dead.text
    assert f'src="{prefix}/live/assets/pylive.js?v=' in dead.text
    page = client.page_of(dead)
    assert page.socket_path == f"{prefix}/live"
    async with client.connect(page) as conn:
        status, response = await join(conn, page)
        html_ = client_html(page.view_id, response["rendered"])
        assert status == "ok" and "<p>Count: 2</p>" in html_
        url = f"http://testserver{prefix}/counter/2?tab=z"
        assert diff_reply(await conn.call(page.topic, "live_patch", {"url": url})) == ("ok", ["z"])
        click = {"type": "click", "event": "patch", "value": {"to": "?tab=q"}}
        ref = await conn.push(page.topic, "event", click)
        patch = await conn.receive()
        assert patch.payload == {"to": f"{prefix}/counter/2?tab=q", "kind": "push"}
        assert diff_reply(await conn.expect_reply(ref)) == ("ok", ["q"])


async def test_mounted_under_a_prefix_in_starlette() -> None:
    host = Starlette(routes=[Mount("/app", app=make_app())])
    await _check_mounted(host, "/app")


async def test_mounted_in_fastapi() -> None:
    host = fastapi.FastAPI()
    host.mount("/ui", make_app())
    await _check_mounted(host, "/ui")


async def test_user_lifespan_runs_inside_the_app_lifespan() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: LiveApp) -> AsyncIterator[None]:
        events.append("start")
        yield
        events.append("stop")

    app = LiveApp([LiveRoute("/", Counter)], secret_key=SECRET, lifespan=lifespan)
    async with app.router.lifespan_context(app):
        events.append("serving")
    assert events == ["start", "serving", "stop"]
