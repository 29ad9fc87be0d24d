"""Shared counter: every open tab shows the same number, and sees each other's clicks.

Each connected view gives the ``Room`` its ``socket.inbox``; a click bumps the room's count,
and the room sends the new value to every inbox, which delivers it to that view's
``handle_info``. Everything stays in this process's memory: with several server processes,
each would have its own room (that is what a pub/sub backend would solve).
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, main, output, p

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group
from pylive.socket import Inbox


class Room:
    """A count and the inboxes of the views showing it (in memory, one process)."""

    def __init__(self) -> None:
        self.count = 0
        self._members: set[Inbox] = set()

    def join(self, inbox: Inbox) -> None:
        """Start sending updates to ``inbox``."""
        self._members.add(inbox)

    def leave(self, inbox: Inbox) -> None:
        """Stop sending updates to ``inbox``."""
        self._members.discard(inbox)

    def bump(self) -> None:
        """Count one more and tell every member."""
        self.count += 1
        for inbox in list(self._members):
            inbox.send_nowait(("count", self.count))  # never waits on a slow tab


ROOM = Room()


class SharedCounter(LiveView):
    """One count for everybody."""

    inbox: Inbox | None = None

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        if socket.connected:  # the HTTP render has no inbox; only the live view joins
            self.inbox = socket.inbox
            ROOM.join(self.inbox)
        socket.assign(count=ROOM.count, page_title="Shared counter")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "inc":
            ROOM.bump()  # our own update arrives through handle_info like everybody's

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case ("count", int(count)):
                socket.assign(count=count)

    async def terminate(self, socket: Socket, reason: str) -> None:
        if self.inbox is not None:
            ROOM.leave(self.inbox)

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Shared counter"],
            p["Count, for everyone: ", output("#count")[assigns.count]],
            div(".buttons")[button("#inc", phx_click="inc")["+1"]],
            p(".hint")["Open this page in two tabs and click in one of them."],
        ]
