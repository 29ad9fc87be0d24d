"""Gallery pages of the avatar and of the presence list (pylive's presence, in memory)."""

from __future__ import annotations

import secrets
from typing import Any

from htpy import Node, div, p, strong

from gallery.components.page import ComponentPage
from pylive import Assigns, PresenceDiff, Socket, presence
from pylive.ui import avatar, presence_list

PORTRAIT = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 40'%3E"
    "%3Crect width='40' height='40' fill='%23c7d7fe'/%3E%3Ccircle cx='20' cy='16' r='7' "
    "fill='%23334a8a'/%3E%3Cpath d='M6 40a14 12 0 0 1 28 0z' fill='%23334a8a'/%3E%3C/svg%3E"
)
"""A drawn portrait (an SVG data URL), standing for a user's photo."""


def example_initials(assigns: Assigns) -> Node:
    """Initials and sizes

    Without a picture, the initials of the name, on a colour that comes from the name."""
    return div(".row")[
        avatar(name="Ada Lovelace", size="sm"),
        avatar(name="Grace Hopper"),
        avatar(name="Edsger Dijkstra", size="lg"),
        avatar(name="radia"),
    ]


def example_picture_and_status(assigns: Assigns) -> Node:
    """Picture and status

    ``src`` shows a picture with the name as its text alternative; ``status`` adds a dot,
    and the word, for screen readers."""
    return div(".row")[
        avatar(name="Alan Turing", src=PORTRAIT, status="online", size="lg"),
        avatar(name="Barbara Liskov", status="away", size="lg"),
        avatar(name="Donald Knuth", status="busy", size="lg"),
        avatar(name="Frances Allen", status="offline", size="lg"),
    ]


class AvatarPage(ComponentPage):
    name = "avatar"
    title = "Avatar"
    summary = "A picture or initials, in three sizes, with a status dot."
    examples = (example_initials, example_picture_and_status)
    components = (avatar,)


TOPIC = "gallery:presence"


def example_presence_list(assigns: Assigns) -> Node:
    """Who is here

    Everyone with this page open. Open it in another tab: a second guest arrives; close
    that tab and they leave. The count is a status line: screen readers announce it."""
    return div(".stack")[
        p["You are ", strong("#me")[assigns.me], "."],
        presence_list(id="here", presences=assigns.present, me=assigns.me, max=12),
    ]


class PresencePage(ComponentPage):
    name = "presence-list"
    title = "Presence list"
    summary = "Who is in a pub/sub topic: avatars, names and a live count."
    examples = (example_presence_list,)
    components = (presence_list,)

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        await super().mount(socket, params, session)
        name = str(params.get("name", "")).strip()[:30] or f"Guest {secrets.randbelow(10_000)}"
        if socket.connected:
            socket.subscribe(TOPIC)
            await presence.track(socket, TOPIC, name, {"name": name})
        socket.assign(me=name, present=presence.list(TOPIC))

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        if isinstance(msg, PresenceDiff):
            socket.assign(present=presence.list(TOPIC))
