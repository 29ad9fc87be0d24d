"""A LiveApp served under a prefix inside Litestar and Django (``pylive.embedding``): the dead
render, the assets and a live session end to end, through the real host frameworks.

Litestar runs on asyncio and trio; Django's ASGI handler is asyncio-only (asgiref), so the
Django tests run on asyncio alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

import django
import pytest
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path
from litestar import Litestar, asgi, get
from live_apps import make_app
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from test_longpoll import Poller, reply_to

from pylive.app import close_live_sockets
from pylive.embedding import dispatch, for_litestar
from pylive.testing import LiveClient

pytestmark = pytest.mark.anyio

PREFIX = "/live-prefix"


async def _check_live_app_under_prefix(host: ASGIApp) -> None:
    """What a browser does: the page, its script, then a live session (join, click, patch)."""
    client = LiveClient(host)
    page = await client.get(f"{PREFIX}/counter/2")
    assert page.status == 200, page.text
    assert re.search(r'<div id="phx-[^"]+" data-phx-main data-phx-session="[^"]+"', page.text)
    assert f'<meta name="pylive-socket" content="{PREFIX}/live">' in page.text
    assert f'<script defer src="{PREFIX}/live/assets/pylive.js?v=' in page.text
    script = await client.get(f"{PREFIX}/live/assets/pylive.js")
    assert script.status == 200 and "pylive client bundle" in script.text

    async with client.live(f"{PREFIX}/counter/2") as view:
        assert view.element("p").text == "Count: 2"
        await view.click("button", text="+")
        assert view.element("p").text == "Count: 3"
        await view.push("patch", {"to": "?tab=q"})  # relative target: resolved under the prefix
        view.assert_patch(f"{PREFIX}/counter/2?tab=q")
        assert view.element(".tab").text == "q"

    # the long-poll fallback is served under the prefix too
    live_page = client.page_of(page)
    poller = Poller(host, client, live_page)
    assert poller.url == f"{PREFIX}/live/longpoll"
    await poller.open()
    await poller.send(["1", "1", live_page.topic, "phx_join", live_page.join_payload()])
    assert (await poller.until(reply_to("1")))[4]["status"] == "ok"
    await close_live_sockets()


# --------------------------------------------------------------------------- Litestar


@get("/hello", sync_to_thread=False)
def litestar_hello() -> str:
    return "hello from litestar"


def litestar_host() -> ASGIApp:
    live = asgi(PREFIX, is_mount=True, copy_scope=True)(for_litestar(make_app(), PREFIX))
    # an ASGI app all the same; Litestar types scopes and messages with its own TypedDicts
    return cast(ASGIApp, Litestar([litestar_hello, live]))


async def test_litestar_serves_the_live_app_under_a_prefix() -> None:
    host = litestar_host()
    await _check_live_app_under_prefix(host)
    own = await LiveClient(host).get("/hello")
    assert (own.status, own.text) == (200, "hello from litestar")


# --------------------------------------------------------------------------- Django


def django_hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello from django")


urlpatterns = [path("hello/", django_hello)]  # this module is the test project's ROOT_URLCONF


@pytest.fixture(scope="module")
def django_app() -> ASGIApp:
    if not settings.configured:
        settings.configure(
            ROOT_URLCONF=__name__,
            ALLOWED_HOSTS=["testserver"],
            SECRET_KEY="test",
            INSTALLED_APPS=[],
            MIDDLEWARE=[],
        )
        django.setup()
    # an ASGI app all the same; Django types it with its own scope and message types
    return cast(ASGIApp, get_asgi_application())


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_django_serves_the_live_app_under_a_prefix(django_app: ASGIApp) -> None:
    host = dispatch(make_app(), PREFIX, django_app)
    await _check_live_app_under_prefix(host)
    own = await LiveClient(host).get("/hello/")
    assert (own.status, own.text) == (200, "hello from django")
    elsewhere = await LiveClient(host).get("/live-prefixed/")  # not under the prefix: Django's
    assert elsewhere.status == 404 and "pylive" not in elsewhere.text


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_dispatch_answers_lifespan_that_django_refuses(django_app: ASGIApp) -> None:
    host = dispatch(make_app(), PREFIX, django_app)
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[str] = []

    async def receive() -> Message:
        return next(incoming)

    async def send(message: Message) -> None:
        sent.append(message["type"])

    await host({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


# --------------------------------------------------------------------------- scopes


async def _scope_seen(
    app_of: Callable[[ASGIApp, ASGIApp], ASGIApp], scope: Scope
) -> tuple[str, str, str]:
    """Which app ``app_of(live, fallback)`` calls for ``scope``, with the path and root_path."""
    seen: list[tuple[str, str, str]] = []

    def recorder(name: str) -> ASGIApp:
        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            seen.append((name, scope["path"], scope.get("root_path", "")))

        return app

    async def nothing() -> Message:
        raise AssertionError

    async def drop(message: Message) -> None:
        pass

    await app_of(recorder("live"), recorder("fallback"))(scope, nothing, drop)
    return seen[0]


@pytest.mark.parametrize(
    ("path", "root_path", "expected"),
    [
        ("/live-prefix", "", ("live", "/live-prefix", "/live-prefix")),
        ("/live-prefix/x/", "", ("live", "/live-prefix/x/", "/live-prefix")),
        ("/live-prefixed", "", ("fallback", "/live-prefixed", "")),
        ("/", "", ("fallback", "/", "")),
        ("/api/live-prefix/a", "/api", ("live", "/api/live-prefix/a", "/api/live-prefix")),
        ("/api/other", "/api", ("fallback", "/api/other", "/api")),
    ],
)
async def test_dispatch_routes_by_prefix_below_the_servers_root_path(
    path: str, root_path: str, expected: tuple[str, str, str]
) -> None:
    scope = {"type": "http", "path": path, "root_path": root_path}
    seen = await _scope_seen(lambda live, other: dispatch(live, "live-prefix/", other), scope)
    assert seen == expected


async def test_for_litestar_restores_path_and_root_path() -> None:
    # what Litestar hands a mount at /live-prefix for GET /api/live-prefix/a%20b?x=1
    # on a server run with root_path=/api
    scope = {
        "type": "http",
        "path": "/a b/",
        "raw_path": b"/api/live-prefix/a%20b",
        "root_path": "/api",
        "query_string": b"x=1",
    }
    seen = await _scope_seen(lambda live, _: for_litestar(live, PREFIX), scope)
    assert seen == ("live", "/api/live-prefix/a b", "/api/live-prefix")
