"""Shared counter: every open tab shows the same number, and sees each other's clicks.

Each connected view subscribes to the topic ``shared:counter``; a click broadcasts the new
count there, and every subscriber (the clicking tab too) gets it in ``handle_info``. With
``--pubsub redis://...`` the tabs may be served by different processes: the broadcast reaches
all of them. The last count each process saw is what a new tab starts from; two clicks in two
processes at the same instant may both say "5" (a real counter belongs in a database, or in
Redis with ``INCR``).
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, main, output, p

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, broadcast, flash_group

TOPIC = "shared:counter"
LAST_SEEN = {"count": 0}
"""The latest count this process has seen (what a new tab starts from)."""


class SharedCounter(LiveView):
    """One count for everybody."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.subscribe(TOPIC)  # only when connected: the HTTP render subscribes to nothing
        socket.assign(count=LAST_SEEN["count"], page_title="Shared counter")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "inc":
            count = max(LAST_SEEN["count"], socket.assigns.count) + 1
            LAST_SEEN["count"] = count
            await broadcast(TOPIC, ("count", count))  # ours arrives in handle_info too

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case ("count", int(count)):
                LAST_SEEN["count"] = max(LAST_SEEN["count"], count)
                socket.assign(count=count)

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Shared counter"],
            p["Count, for everyone: ", output("#count")[assigns.count]],
            div(".buttons")[button("#inc", phx_click="inc")["+1"]],
            p(".hint")["Open this page in two tabs and click in one of them."],
        ]
