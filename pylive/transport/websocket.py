"""The WebSocket transport: handshake checks and a ``Transport`` over a Starlette WebSocket.

The handshake refuses (HTTP 403) what the official client never sends: a serializer version
other than 2.x, or a cross-site ``Origin``. The ``phoenix`` subprotocol is echoed when offered,
which the client requires when it sends an auth token (protocol.md §1.1).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from pylive.socket import TransportClosed

__all__ = ["WebSocketTransport", "accept"]

logger = logging.getLogger(__name__)

_POLICY_VIOLATION = 1008


async def accept(ws: WebSocket, allowed_origins: Sequence[str] | None) -> WebSocketTransport | None:
    """Complete the handshake, or refuse it and return None.

    ``allowed_origins``: None accepts an ``Origin`` whose host is the request's ``Host``;
    otherwise only the listed origins (``"https://example.com"``), ``"*"`` for any.
    """
    vsn = ws.query_params.get("vsn", "")
    if not vsn.startswith("2."):
        logger.info("refusing WebSocket: serializer vsn %r is not 2.x", vsn)
        await ws.close(_POLICY_VIOLATION)
        return None
    origin = ws.headers.get("origin")
    if origin is not None and not _origin_ok(origin, ws.headers.get("host", ""), allowed_origins):
        logger.warning("refusing WebSocket from origin %r", origin)
        await ws.close(_POLICY_VIOLATION)
        return None
    offered = ws.scope.get("subprotocols") or []
    await ws.accept(subprotocol="phoenix" if "phoenix" in offered else None)
    return WebSocketTransport(ws)


def _origin_ok(origin: str, host: str, allowed: Sequence[str] | None) -> bool:
    if allowed is None:
        return urlsplit(origin).netloc == host
    return "*" in allowed or origin.rstrip("/") in (a.rstrip("/") for a in allowed)


class WebSocketTransport:
    """A ``pylive.socket.Transport`` over an accepted Starlette WebSocket."""

    __slots__ = ("_ws",)

    def __init__(self, ws: WebSocket) -> None:
        self._ws = ws

    async def receive(self) -> str | bytes | None:
        """The next frame, or None once the peer disconnected."""
        message = await self._ws.receive()
        if message["type"] == "websocket.disconnect":
            return None
        text = message.get("text")
        if text is not None:
            return str(text)
        return bytes(message.get("bytes") or b"")

    async def send(self, frame: str) -> None:
        """Send a text frame; ``TransportClosed`` if the peer is gone."""
        try:
            await self._ws.send_text(frame)
        except (WebSocketDisconnect, RuntimeError, OSError) as exc:
            raise TransportClosed(str(exc)) from exc

    async def close(self, code: int) -> None:
        """Send a close frame unless the connection is already closed."""
        if self._ws.application_state != WebSocketState.CONNECTED:
            return
        if self._ws.client_state == WebSocketState.DISCONNECTED:
            return
        try:
            await self._ws.close(code)
        except (RuntimeError, OSError):
            logger.debug("close after disconnect", exc_info=True)
