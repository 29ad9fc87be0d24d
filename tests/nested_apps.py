"""LiveViews nested with ``live_render``, for the in-process and browser tests and the docs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from htpy import a, button, div, h1, p, section

from pylive import Assigns, LiveApp, LiveRoute, LiveSession, LiveView, Page, Socket, root_layout
from pylive.live_render import NOT_MOUNTED_AT_ROUTER, live_render

SECRET = "nested-secret"


class Child(LiveView):
    """A counter of its own; tells its parent and hears from it."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(
            n=int(session.get("start", 0)),
            routed=params is not NOT_MOUNTED_AT_ROUTER,
            heard="",
            user=session.get("user", ""),
        )

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "inc":
                socket.assign(n=socket.assigns.n + 1)
            case "crash":
                raise RuntimeError("child boom")
            case "tell":
                assert socket.parent is not None
                await socket.parent.send(("child_says", socket.assigns.n))
            case "go":
                socket.push_navigate("/other")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        socket.assign(heard=str(msg))

    def render(self, assigns: Assigns) -> Any:
        return div(".child")[
            p("#child-n")[f"Child: {assigns.n}"],
            p("#child-heard")[f"Heard: {assigns.heard}"],
            p("#child-routed")[f"Routed: {assigns.routed}"],
            button("#child-inc", phx_click="inc")["+1"],
            button("#child-crash", phx_click="crash")["crash"],
            button("#child-tell", phx_click="tell")["tell parent"],
        ]


class Parent(LiveView):
    """Renders ``Child`` (when ``show``) and a count of its own."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0, show=True, heard="")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "inc":
                socket.assign(count=socket.assigns.count + 1)
            case "toggle":
                socket.assign(show=not socket.assigns.show)
            case "crash":
                raise RuntimeError("parent boom")
            case "ping":
                child = socket.child("kid")
                assert child is not None
                await child.send(f"ping {socket.assigns.count}")
            case "go":
                socket.push_navigate("/other")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        socket.assign(heard=repr(msg))

    def render(self, assigns: Assigns) -> Any:
        return section[
            h1["Parent"],
            p("#parent-count")[f"Parent: {assigns.count}"],
            p("#parent-heard")[f"Parent heard: {assigns.heard}"],
            button("#parent-inc", phx_click="inc")["+1"],
            button("#parent-toggle", phx_click="toggle")["toggle"],
            button("#parent-crash", phx_click="crash")["crash"],
            button("#parent-ping", phx_click="ping")["ping"],
            button("#parent-go", phx_click="go")["go"],
            a("#other-link", href="/other", data_phx_link="redirect", data_phx_link_state="push")[
                "other"
            ],
            assigns.show and live_render(Child, id="kid", session={"start": 3}),
        ]


class Cart(LiveView):
    """A sticky LiveView: keeps its count across live navigation."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(added=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "go":
            socket.push_navigate("/sticky/b")
        else:
            socket.assign(added=socket.assigns.added + 1)

    def render(self, assigns: Assigns) -> Any:
        return div[
            p("#cart-items")[f"Cart: {assigns.added}"],
            button("#cart-add", phx_click="add")["add"],
        ]


class Leaving(LiveView):
    """A child whose mount redirects (the whole HTTP render redirects)."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.put_flash("info", "child says go")
        socket.redirect("/other")

    def render(self, assigns: Assigns) -> Any:
        return p["never"]


class LeavingParent(LiveView):
    def render(self, assigns: Assigns) -> Any:
        return div[live_render(Leaving, id="leaving")]


class Deep(LiveView):
    """Renders ``Parent`` as a child, which renders ``Child``: three levels."""

    def render(self, assigns: Assigns) -> Any:
        return div[p("#deep")["Deep"], live_render(Parent, id="mid")]


class Untracked(Parent):
    """``Parent`` without change tracking: every render evaluates the whole template."""

    track_changes = False


class WithSticky(LiveView):
    """Renders the sticky ``Cart`` itself."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(here=type(self).__name__)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.push_navigate("/sticky/b")

    def render(self, assigns: Assigns) -> Any:
        return div[
            p("#where")[f"Page: {assigns.here}"],
            a("#to-a", href="/sticky/a", data_phx_link="redirect", data_phx_link_state="push")["a"],
            a("#to-b", href="/sticky/b", data_phx_link="redirect", data_phx_link_state="push")["b"],
            live_render(Cart, id="cart", sticky=True),
        ]


class StickyA(WithSticky):
    pass


class StickyB(WithSticky):
    pass


class Other(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(x=1)

    def render(self, assigns: Assigns) -> Any:
        return p("#other")["Other page"]


def layout_with_cart(page: Page) -> Any:
    """The root layout with the sticky ``Cart`` after the LiveView."""
    return root_layout(
        replace(page, content=div[page.content, live_render(Cart, id="layout-cart", sticky=True)])
    )


def make_app(**kw: Any) -> LiveApp:
    return LiveApp(
        [
            LiveSession(
                "main",
                [
                    LiveRoute("/", Parent),
                    LiveRoute("/other", Other),
                    LiveRoute("/sticky/a", StickyA),
                    LiveRoute("/sticky/b", StickyB),
                    LiveRoute("/leaving", LeavingParent),
                    LiveRoute("/untracked", Untracked),
                    LiveRoute("/deep", Deep),
                ],
            ),
        ],
        secret_key=SECRET,
        session=lambda request: {"user": "ann"},
        **kw,
    )


app = make_app(layout=layout_with_cart)
"""For the browser tests: ``pylive serve nested_apps:app`` (a sticky cart in the layout too)."""
