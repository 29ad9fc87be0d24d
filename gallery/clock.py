"""Clock: the server pushes without being asked.

``send_interval`` delivers a message to ``handle_info`` every second while the page is
connected; the handler assigns the new time and the change reaches the browser as a diff.
During the HTTP render the socket is not connected and timers do nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from htpy import Element, h1, main, p, time

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group


def now() -> str:
    """The current UTC time, to the second."""
    return datetime.now(UTC).strftime("%H:%M:%S")


class Clock(LiveView):
    """A clock ticking once per second."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(now=now(), ticks=0, page_title="Clock")
        socket.send_interval(1.0, "tick")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        if msg == "tick":
            socket.assign(now=now(), ticks=socket.assigns.ticks + 1)

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Clock"],
            p["UTC: ", time("#now")[assigns.now]],
            p["Ticks since connect: ", time("#ticks")[assigns.ticks]],
        ]
