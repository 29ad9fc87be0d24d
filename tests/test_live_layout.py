"""Live layouts (``LiveSession(layout=...)``, ``LiveView.layout``): rendered around the view
inside its container, in the dead render and the join, re-rendered (change-tracked) with the
view's assigns, per-view overrides, and live navigation between views of one session.

The ``pylive.testing`` tests check every diff against a plain render of layout and view; the
raw-socket tests pin what travels on the wire.
"""

from __future__ import annotations

from typing import Any

import htpy as h
import pytest
from live_socket import join, open_page
from selectolax.lexbor import LexborHTMLParser

from gallery.app import create_app
from pylive import Assigns, LiveApp, LiveRoute, LiveSession, LiveView, Socket, link
from pylive.html.compiler import compile_template
from pylive.live_component import ComponentSocket, LiveComponent, live_component
from pylive.testing import LiveClient, live
from pylive.view_tree import layout_template

pytestmark = pytest.mark.anyio

SECRET = "live-layout-tests-secret-key-0123456789"


def app_layout(assigns: Assigns) -> h.Element:
    return h.div("#shell")[
        h.header[
            h.span("#badge")[f"{assigns.clicks} clicks"],
            h.nav[link("#to-other", navigate="/other")["Other"]],
        ],
        h.main("#inner")[assigns.inner_content],
        h.footer["static footer"],
    ]


def admin_layout(assigns: Assigns) -> h.Element:
    return h.section("#admin-shell")[h.h2["Admin"], assigns.inner_content]


def hidden_inner_layout(assigns: Assigns) -> h.Element:
    return h.div[assigns.inner_content if assigns.show else h.p("#hidden")["hidden"]]


class Clicks(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(clicks=0, text="hello", show=True)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "click":
                socket.assign(clicks=socket.assigns.clicks + 1)
            case "text":
                socket.assign(text=params["value"])
            case "toggle":
                socket.assign(show=not socket.assigns.show)

    def render(self, assigns: Assigns) -> h.Element:
        return h.div[
            h.p("#text")[assigns.text],
            h.button("#click", phx_click="click")["click"],
        ]


class Other(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(clicks=100)

    def render(self, assigns: Assigns) -> h.Element:
        return h.p("#other")["the other view"]


class OwnLayout(LiveView):
    layout = admin_layout

    def render(self, assigns: Assigns) -> h.Element:
        return h.p("#own")["own layout"]


class NoLayout(LiveView):
    layout = False

    def render(self, assigns: Assigns) -> h.Element:
        return h.p("#bare")["no layout"]


class Tally(LiveComponent):
    async def mount(self, socket: ComponentSocket) -> None:
        socket.assign(n=0)

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> None:
        socket.assign(n=socket.assigns.n + 1)

    def render(self, assigns: Assigns) -> h.Element:
        return h.button("#tally", phx_click="tally", phx_target=assigns.myself)[
            f"tally {assigns.n}"
        ]


class WithComponent(Clicks):
    def render(self, assigns: Assigns) -> h.Element:
        return h.div[h.p("#text")[assigns.text], live_component(Tally, "t")]


def walked_layout(assigns: Assigns) -> h.Element:
    if assigns.clicks > 100:  # an `if` statement: the walker renders this layout
        return h.p["many"]
    return h.div("#walked")[h.span("#badge")[f"{assigns.clicks} clicks"], assigns.inner_content]


class Untracked(Clicks):
    track_changes = False


class Walked(Clicks):
    layout = walked_layout


class Hiding(Clicks):
    layout = hidden_inner_layout


def make_app() -> LiveApp:
    return LiveApp(
        [
            LiveSession(
                "shop",
                [
                    LiveRoute("/", Clicks),
                    LiveRoute("/other", Other),
                    LiveRoute("/own", OwnLayout),
                    LiveRoute("/bare", NoLayout),
                    LiveRoute("/hiding", Hiding),
                    LiveRoute("/component", WithComponent),
                    LiveRoute("/untracked", Untracked),
                    LiveRoute("/walked", Walked),
                ],
                layout=app_layout,
            ),
            LiveRoute("/outside", Clicks),  # the default session: no layout
        ],
        secret_key=SECRET,
    )


def _click(event: str, value: Any = None) -> dict[str, Any]:
    return {"type": "click", "event": event, "value": value or {"value": ""}}


async def test_the_dead_render_has_the_layout_inside_the_container() -> None:
    response = await LiveClient(make_app()).get("/")
    doc = LexborHTMLParser(response.text)
    container = doc.css_first("[data-phx-main]")
    assert container is not None
    shell = container.css_first("#shell")
    assert shell is not None and shell.parent is not None
    assert "data-phx-main" in shell.parent.attributes  # the layout is the view's root
    assert shell.css_first("#badge").text() == "0 clicks"  # type: ignore[union-attr]
    assert shell.css_first("main#inner p#text").text() == "hello"  # type: ignore[union-attr]


async def test_the_join_renders_the_layout_and_an_assign_it_reads_rerenders_it() -> None:
    async with live(make_app(), "/") as view:
        assert view.element("#badge").text == "0 clicks"
        assert view.element("#inner #text").text == "hello"
        await view.click("#click")
        await view.click("#click")
        assert view.element("#badge").text == "2 clicks"
        assert view.has_element("footer", text="static footer")


async def test_a_change_the_layout_does_not_read_sends_only_the_views_slot() -> None:
    async with open_page(make_app()) as (conn, page):
        status, reply = await join(conn, page)
        assert status == "ok"
        rendered = reply["rendered"]
        assert rendered["p"][str(rendered["s"])][0] == '<div id="shell"><header><span id="badge">'
        assert rendered["2"]["0"] == "hello"  # the view, in the layout's inner_content slot
        status, response = await conn.call(page.topic, "event", _click("text", {"value": "hi"}))
        assert status == "ok"
        diff = response["diff"]
        assert diff == {"2": {"0": "hi"}}  # only the view's slot, no layout statics or slots
        status, response = await conn.call(page.topic, "event", _click("click"))
        assert response["diff"] == {"0": "1 clicks"}  # the badge only; the view reads no clicks


async def test_a_view_sets_its_own_layout_or_none() -> None:
    app = make_app()
    async with live(app, "/own") as view:
        assert view.has_element("#admin-shell #own")
        assert not view.has_element("#shell")
    async with live(app, "/bare") as view:
        assert view.has_element("#bare")
        assert not view.has_element("#shell") and not view.has_element("#admin-shell")
    async with live(app, "/outside") as view:  # a session without a layout
        assert view.has_element("#text") and not view.has_element("#shell")


async def test_live_navigation_renders_the_next_views_layout() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#click")
        await view.click("#to-other")
        view.assert_redirect("/other", kind="live_redirect")
        view = await view.follow_redirect()
        assert view.element("#badge").text == "100 clicks"  # the layout reads Other's assigns
        assert view.has_element("#inner #other")
        await view.click("#to-other")  # the same layout, again
        view.assert_redirect("/other", kind="live_redirect")


async def test_a_layout_that_leaves_the_view_out_catches_up_when_it_shows_it_again() -> None:
    async with live(make_app(), "/hiding") as view:
        await view.push("toggle")
        assert view.has_element("#hidden")
        await view.push("text", {"value": "changed while hidden"})
        await view.push("toggle")
        assert view.element("#text").text == "changed while hidden"


@pytest.mark.parametrize("path", ["/untracked", "/walked"])
async def test_untracked_views_and_layouts_the_compiler_cannot_read(path: str) -> None:
    assert layout_template(walked_layout).fallback_reason is not None
    async with live(make_app(), path) as view:  # every diff checked against a plain render
        await view.click("#click")
        await view.push("text", {"value": "hi"})
        assert view.element("#badge").text == "1 clicks"
        assert view.element("#text").text == "hi"


async def test_live_components_render_inside_a_layout() -> None:
    async with live(make_app(), "/component") as view:
        await view.click("#tally")
        assert view.element("#tally").text == "tally 1"
        assert view.element("#badge").text == "0 clicks"
        await view.push("click")
        assert view.element("#badge").text == "1 clicks"
        assert view.element("#inner #tally").text == "tally 1"


def test_a_layout_that_is_not_a_function_is_refused_early() -> None:
    with pytest.raises(TypeError, match=r"Broken\.layout must be a function of the assigns"):

        class Broken(LiveView):
            layout = "app_layout"  # type: ignore[assignment]

    with pytest.raises(TypeError, match="LiveSession layout must be a function"):
        LiveSession("s", [], layout="app_layout")  # type: ignore[arg-type]


def test_layouts_are_compiled_once_and_change_tracked() -> None:
    template = layout_template(app_layout)
    assert template is layout_template(app_layout)
    assert template.fallback_reason is None
    compiled = compile_template(admin_layout)
    assert layout_template(compiled) is compiled


async def test_the_gallery_demo_counts_events_with_a_hook_it_can_detach() -> None:
    async with live(create_app(), "/demos/live-layout") as view:
        await view.click("#inc")
        await view.click("#inc")
        assert view.element("#events").text == "2"
        await view.click("#toggle-counting")  # counted, then detached
        assert view.element("#events").text == "3"
        assert view.element("#toggle-counting").text == "Count again"
        await view.click("#dec")
        assert view.element("#count").text == "1"
        assert view.element("#events").text == "3"
        await view.click("#toggle-counting")  # attached again: counts from the next event
        await view.click("#inc")
        assert view.element("#events").text == "4"
