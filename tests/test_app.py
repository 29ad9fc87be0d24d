"""LiveApp over HTTP: the dead render (§2.1-2.2), cookies and tokens, layouts, on_mount hooks,
and embedding under a prefix in Starlette and FastAPI."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import pytest
from asgi_driver import get_page, http_client, live
from diff_values import diff_reply, to_html
from htpy import body, div, head, html
from live_apps import SECRET, Counter, make_app
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from pylive import Assigns, LiveApp, LiveView, Page, Socket, root_layout
from pylive import live as live_route
from pylive.tokens import Tokens

pytestmark = pytest.mark.anyio


async def test_dead_render_has_container_tokens_and_head() -> None:
    app = make_app()
    async with http_client(app) as client:
        response = await client.get("/counter/3?tab=t")
    assert response.status_code == 200
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
    assert '<script defer src="/live/assets/pylive.js"></script>' in html_
    assert '<title data-default="pylive">pylive</title>' in html_
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("_pylive_csrf=") and "HttpOnly" in cookie and "SameSite=lax" in cookie


async def test_csrf_cookie_is_kept_and_token_matches_it() -> None:
    app = make_app()
    page = await get_page(app, "/")
    async with http_client(app, page.cookies) as client:
        again = await client.get("/")
    assert "set-cookie" not in again.headers
    assert Tokens(SECRET).check_csrf(page.cookies["_pylive_csrf"], page.csrf_token)


async def test_on_mount_redirect_is_a_302_carrying_the_flash_cookie() -> None:
    app = make_app()
    async with http_client(app) as client:
        response = await client.get("/admin")
        assert response.status_code == 302 and response.headers["location"] == "/"
        flash = response.cookies["__phoenix_flash__"]
        assert Tokens(SECRET).verify("flash", flash) == {"error": "log in first"}
    # the next page gets the flash and deletes the cookie
    async with http_client(app, {"__phoenix_flash__": flash}) as client:
        shown = await client.get("/other")
    static = re.search(r'data-phx-static="([^"]+)"', shown.text)
    assert static and Tokens(SECRET).verify("static", static.group(1))["flash"] == {
        "error": "log in first"
    }
    assert '__phoenix_flash__=""' in shown.headers["set-cookie"]


async def test_on_mount_hook_assigns_reach_the_view() -> None:
    page = await get_page(make_app(), "/admin?user=ann")
    assert "admin ann" in page.html


async def test_page_title_and_custom_title_config() -> None:
    app = make_app(layout=partial(root_layout, title="Shop", title_suffix=" · Shop"))
    page = await get_page(app, "/other")
    assert '<title data-default="Shop" data-suffix=" · Shop">Other · Shop</title>' in page.html


async def test_a_custom_layout_replaces_the_document() -> None:
    def layout(page: Page) -> Any:
        return html[head[page.head()], body(".custom")[page.content]]

    page = await get_page(make_app(layout=layout), "/")
    assert '<body class="custom"><div id="phx-' in page.html


class WhoAmI(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(user=session.get("user", "nobody"))

    def render(self, assigns: Assigns) -> Any:
        return div["user: ", assigns.user]


async def test_session_getter_feeds_mount_on_both_renders() -> None:
    app = LiveApp([live_route("/", WhoAmI)], secret_key=SECRET, session=lambda c: {"user": "ann"})
    async with live(app) as (ws, page):
        assert "user: ann" in page.html
        _, response = await ws.join_page(page)
    assert "ann" in response["rendered"].values()


async def test_starlette_session_middleware_is_the_default_session() -> None:
    async def login(request: Request) -> PlainTextResponse:
        request.session["user"] = "bob"
        return PlainTextResponse("ok")

    app = LiveApp(
        [live_route("/", WhoAmI), Route("/login", login)],
        secret_key=SECRET,
        middleware=[Middleware(SessionMiddleware, secret_key="s")],
    )
    async with http_client(app) as client:
        await client.get("/login")
        response = await client.get("/")
    assert "user: bob" in response.text


# --------------------------------------------------------------------------- embedding


async def _check_mounted(host: Any, prefix: str) -> None:
    async with live(host, "/counter/2", root_path=prefix) as (ws, page):
        assert f'<meta name="pylive-socket" content="{prefix}/live">' in page.html
        assert f'src="{prefix}/live/assets/pylive.js"' in page.html
        status, response = await ws.join_page(page)
        assert status == "ok" and "<p>Count: 2</p>" in to_html(response["rendered"])
        url = f"http://testserver{prefix}/counter/2?tab=z"
        assert diff_reply(await ws.call(page.topic, "live_patch", {"url": url})) == ("ok", ["z"])
        click = {"type": "click", "event": "patch", "value": {"to": "?tab=q"}}
        ref = await ws.push(page.topic, "event", click)
        patch = await ws.recv()
        assert patch[4] == {"to": f"{prefix}/counter/2?tab=q", "kind": "push"}
        assert diff_reply(await ws.reply(ref)) == ("ok", ["q"])


async def test_mounted_under_a_prefix_in_starlette() -> None:
    host = Starlette(routes=[Mount("/app", app=make_app())])
    await _check_mounted(host, "/app")


async def test_mounted_in_fastapi() -> None:
    fastapi = pytest.importorskip("fastapi")
    host = fastapi.FastAPI()
    host.mount("/ui", make_app())
    await _check_mounted(host, "/ui")


async def test_user_lifespan_runs_inside_the_app_lifespan() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: Any) -> Any:
        events.append("start")
        yield
        events.append("stop")

    app = LiveApp([live_route("/", Counter)], secret_key=SECRET, lifespan=lifespan)
    async with app.router.lifespan_context(app):
        events.append("serving")
    assert events == ["start", "serving", "stop"]
