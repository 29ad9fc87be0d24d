"""``Connection``: the per-connection context every channel of one socket shares.

The socket (``pylive.phoenix_socket``) makes one per client connection and hands it to each
channel factory with the join. Through it a channel reaches the app's ``runtime`` (router,
tokens, app-level tasks...), what was learned at connect time (``info``), the ``transport``, and
its sibling channels by topic: an upload channel finds its LiveView's channel, a nested view its
parent, with no argument threaded through any constructor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pylive.transport.base import Transport
from pylive.transport.serializer import Message

__all__ = ["Channel", "ConnectInfo", "Connection"]

R = TypeVar("R")


class Channel(Protocol):
    """One joined topic. ``run`` handles the join and then every delivered message."""

    def deliver(self, message: Message) -> Awaitable[None]:
        """Queue a client message (waits while the channel's mailbox is full)."""
        ...

    async def run(self) -> bool:
        """Serve the channel (its join on the first call): True once it ended (leave,
        redirect, crash, cancelled), False when it is idle for now, which ends the task
        running it (its outlet's ``wake`` asks the socket to call ``run`` again)."""
        ...

    def close(self) -> None:
        """Close the mailbox (idempotent): the channel ends in its next or current ``run``."""
        ...


@dataclass(frozen=True, slots=True)
class ConnectInfo:
    """What the socket learned at connect time, shared by its channels."""

    session: dict[str, Any] | None
    """The session for ``mount``; None when the CSRF check failed (joins then answer stale)."""
    root_path: str
    """The mount prefix of the app (URLs from the client start with it)."""
    address: str | None = None
    """The client's address (the ASGI ``client``; None when the server gives none)."""


@dataclass(eq=False, slots=True)
class Connection(Generic[R]):
    """One client connection: its app runtime, connect info, transport and channels."""

    runtime: R
    """The app-wide context (``pylive.runtime.Runtime`` for a ``LiveApp``)."""
    info: ConnectInfo
    transport: Transport
    _channels: dict[str, Channel] = field(default_factory=dict)

    @property
    def channels(self) -> Mapping[str, Channel]:
        """The channels joined on this connection, by topic (kept by the socket)."""
        return self._channels

    def register(self, topic: str, channel: Channel) -> None:
        """Record ``channel`` as serving ``topic`` (the socket calls this on join)."""
        self._channels[topic] = channel

    def unregister(self, topic: str, channel: Channel) -> None:
        """Forget ``channel`` if it still serves ``topic`` (the socket calls this when it ends)."""
        if self._channels.get(topic) is channel:
            del self._channels[topic]
