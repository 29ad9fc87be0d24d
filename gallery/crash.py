"""Crash and recover: what happens when a handler raises.

pylive logs the traceback and tells the browser the view crashed (``phx_error``; like a
crashed Phoenix channel, it sends no reply to the event). The official client then shows the
error state (the container gets the ``phx-error`` class) and rejoins: the LiveView is mounted
afresh, so in-memory state is back to what ``mount`` sets. Everything else on the page and
the socket keeps working.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, main, output, p

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group


class Crash(LiveView):
    """A counter with a button that raises."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0, page_title="Crash and recover")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "inc":
            socket.assign(count=socket.assigns.count + 1)
        elif event == "crash":
            raise RuntimeError("boom: the gallery's crash demo raised on purpose")

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Crash and recover"],
            p["Count: ", output("#count")[assigns.count]],
            div(".buttons")[
                button("#inc", phx_click="inc")["+1"],
                button("#crash", phx_click="crash")["Raise in handle_event"],
            ],
            p(".hint")["After the crash the view rejoins and the count starts again at 0."],
        ]
