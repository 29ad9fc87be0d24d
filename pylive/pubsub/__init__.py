"""Pub/sub and presence for LiveViews (docs/pubsub.md).

In a view::

    socket.subscribe("room:1")                        # in mount, when connected
    await broadcast("room:1", ("said", "hi"))         # to every subscriber, every process
    await broadcast_from(socket, "room:1", "typing")  # the same, except to this view
    await presence.track(socket, "room:1", user_id, {"name": "Ada"})
    presence.list("room:1")                           # {user_id: {"metas": [...]}}

Messages reach ``handle_info`` in order; a ``PresenceDiff`` arrives there when someone joins
or leaves a subscribed topic. Each app has its hub in ``app.pubsub`` (``PubSub``); the
functions here use the hub of the app serving the current request or view.
"""

from __future__ import annotations

from typing import Any, Protocol

from pylive.pubsub.hub import Member, PubSub, PubSubError, current_pubsub
from pylive.pubsub.table import PresenceDiff, Presences

__all__ = [
    "Member",
    "PresenceDiff",
    "Presences",
    "PubSub",
    "PubSubError",
    "broadcast",
    "broadcast_from",
    "current_pubsub",
    "presence",
    "track",
    "untrack",
]


class _HasMember(Protocol):
    @property
    def pubsub_member(self) -> Member | None: ...


async def broadcast(topic: str, msg: Any) -> None:
    """Send ``msg`` (JSON data; tuples stay tuples) to every subscriber of ``topic``."""
    await current_pubsub().broadcast(topic, msg)


async def broadcast_from(socket: _HasMember, topic: str, msg: Any) -> None:
    """``broadcast``, except to the view of ``socket``."""
    member = socket.pubsub_member
    hub = member.hub if member is not None else current_pubsub()
    await hub.broadcast_from(member, topic, msg)


async def track(
    socket: _HasMember, topic: str, key: str, meta: dict[str, Any] | None = None
) -> str | None:
    """Track the view of ``socket`` under ``key`` in ``topic`` with ``meta`` (JSON data) until
    ``untrack`` or the view ends; returns the entry's ``phx_ref``. Does nothing (None) when the
    socket is not connected (the first HTTP render)."""
    member = socket.pubsub_member
    if member is None:
        return None
    return await member.hub.track(member, topic, key, meta)


async def untrack(socket: _HasMember, topic: str, key: str) -> None:
    """Stop tracking the view of ``socket`` under ``key`` in ``topic``."""
    member = socket.pubsub_member
    if member is not None:
        await member.hub.untrack(member, topic, key)


class _Presence:
    """``presence.track``, ``presence.untrack`` and ``presence.list``, as in Phoenix.Presence."""

    track = staticmethod(track)
    untrack = staticmethod(untrack)

    @staticmethod
    def list(topic: str) -> Presences:
        """Who is in ``topic``, across processes: ``{key: {"metas": [meta, ...]}}``."""
        return current_pubsub().list(topic)


presence = _Presence()
"""Presence functions on the current app's hub (``presence.list(topic)``)."""
