"""Stashed state: assigns that survive a crash, a reconnect and a server restart.

The view lists ``kept`` in ``stash``; ``lost`` is an ordinary assign. After each click the
server pushes a fresh signed token holding ``kept`` (``ClientStash``, the default store); the
page keeps it and sends it back when the view joins again. So when the view crashes and
rejoins, or the server is restarted (Ctrl-C, then ``python -m gallery`` again) and the page
reconnects, ``kept`` comes back and ``lost`` starts again at 0. A reload is a new page: both
start at 0. See docs/stash.md.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, main, output, p

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group


class Stashed(LiveView):
    """Two counters, one of them stashed, and a button that crashes the view."""

    stash = ("kept",)

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(kept=0, lost=0, page_title="Stashed state")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "inc":
            socket.assign(kept=socket.assigns.kept + 1, lost=socket.assigns.lost + 1)
        elif event == "crash":
            raise RuntimeError("the gallery's stash demo crashed on purpose")

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Stashed state"],
            p["Stashed: ", output("#kept")[assigns.kept]],
            p["Not stashed: ", output("#lost")[assigns.lost]],
            div(".buttons")[
                button("#inc", phx_click="inc")["+1 to both"],
                button("#crash", phx_click="crash")["Crash the view"],
            ],
            p(".hint")[
                "After a crash, or a server restart while this page stays open, the view "
                "mounts again and the stashed count comes back; the other starts at 0."
            ],
        ]
