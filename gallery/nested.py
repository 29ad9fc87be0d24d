"""Nested LiveViews: a LiveView inside a LiveView, each with its own state and channel.

``live_render(Stopwatch, id="stopwatch")`` in the page's render puts a second LiveView on the
page. It joins over the same socket as the page, ticks on its own (its diffs never involve
the page), and if it crashes only it rejoins. ``socket.parent`` lets it send to the page's
``handle_info``; ``socket.child("stopwatch")`` lets the page send to its ``handle_info``.

The basket is *sticky* (``sticky=True``): it has no parent, and the two pages of this demo
both render it with the same id, so it stays joined, with its state, when you follow the live
link from one to the other.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, a, button, div, h1, h2, main, output, p, section, strong

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group, live_render

OTHER = "/demos/nested/other"
HOME = "/demos/nested"


class Stopwatch(LiveView):
    """A child LiveView: counts seconds while running, reports to its parent."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(seconds=0, running=False, note="")
        socket.send_interval(1.0, "tick")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "toggle":
                socket.assign(running=not socket.assigns.running)
            case "report":
                if socket.parent is not None:
                    await socket.parent.send(("stopwatch", socket.assigns.seconds))
            case "crash":
                raise RuntimeError("the stopwatch crashed on purpose")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case "tick" if socket.assigns.running:
                socket.assign(seconds=socket.assigns.seconds + 1)
            case "reset":
                socket.assign(seconds=0, note="Reset by the page.")

    def render(self, assigns: Assigns) -> Element:
        return section(aria_labelledby="stopwatch-title")[
            h2("#stopwatch-title")["Stopwatch (a nested LiveView)"],
            # not an <output>: that is a live region, and this changes every second
            p["Seconds: ", strong("#seconds")[assigns.seconds]],
            p("#stopwatch-note", aria_live="polite")[assigns.note],
            div(".buttons")[
                button("#toggle", phx_click="toggle", aria_pressed=str(assigns.running).lower())[
                    "Run"
                ],
                button("#report", phx_click="report")["Report to the page"],
                button("#crash-child", phx_click="crash")["Crash the stopwatch"],
            ],
        ]


class Basket(LiveView):
    """A sticky LiveView: it survives live navigation between the pages that render it."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(items=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "add":
            socket.update("items", lambda n: n + 1)

    def render(self, assigns: Assigns) -> Element:
        return section(aria_labelledby="basket-title")[
            h2("#basket-title")["Basket (a sticky LiveView)"],
            p["Items: ", output("#basket-items")[assigns.items]],
            div(".buttons")[button("#basket-add", phx_click="add")["Add an item"]],
        ]


def basket() -> Any:
    """The sticky basket, rendered by both pages of the demo (same id: the same LiveView)."""
    return live_render(Basket, id="basket", sticky=True, container=("div", {"class": "nested"}))


class Nested(LiveView):
    """The parent: shows what the stopwatch reported and can reset it."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(report="nothing yet", page_title="Nested LiveViews")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "reset-child" and (child := socket.child("stopwatch")) is not None:
            await child.send("reset")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case ("stopwatch", int(seconds)):
                socket.assign(report=f"{seconds} s")

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Nested LiveViews"],
            p["The stopwatch last reported: ", output("#last-report")[assigns.report]],
            div(".buttons")[button("#reset-child", phx_click="reset-child")["Reset the stopwatch"]],
            live_render(Stopwatch, id="stopwatch", container=("div", {"class": "nested"})),
            basket(),
            p[
                a("#to-other", href=OTHER, data_phx_link="redirect", data_phx_link_state="push")[
                    "Go to another page with the same basket"
                ]
            ],
        ]


class NestedOther(LiveView):
    """A second page rendering the sticky basket."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page_title="Sticky basket")

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Sticky basket"],
            p["The basket below kept its items: it stayed joined during the navigation."],
            basket(),
            p[
                a("#to-nested", href=HOME, data_phx_link="redirect", data_phx_link_state="push")[
                    "Back to the nested LiveViews"
                ]
            ],
        ]
