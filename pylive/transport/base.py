"""What every transport provides to the Phoenix socket: frames in, frames out, close."""

from __future__ import annotations

from typing import Protocol

from pylive.errors import PyliveError

__all__ = ["Transport", "TransportClosed"]


class TransportClosed(PyliveError):
    """The peer is gone; raised by ``Transport.send``."""


class Transport(Protocol):
    """A connection carrying Phoenix frames: ``pylive.transport.websocket.WebSocketTransport``
    or ``pylive.transport.longpoll.LongPollSession``."""

    async def receive(self) -> str | bytes | None:
        """The next frame (``str`` text, ``bytes`` binary), or None once the peer closed."""
        ...

    async def send(self, frame: str) -> None:
        """Send one text frame; raises ``TransportClosed`` if the peer is gone."""
        ...

    async def close(self, code: int) -> None:
        """Close the connection with ``code`` (no effect if it is already closed)."""
        ...
