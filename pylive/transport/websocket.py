"""The WebSocket transport: handshake checks and a ``Transport`` over the raw ASGI channel.

The handshake refuses (HTTP 403) what the official client never sends: a serializer version
other than 2.x, or a cross-site ``Origin``. The ``phoenix`` subprotocol is echoed when offered,
which the client requires when it sends an auth token (it then offers ``phoenix`` and
``base64url.bearer.phx.<token>``, see phoenix's ``assets/js/phoenix/socket.js``). Starlette's
``WebSocket`` does the handshake; frames then go straight through the server's ASGI
``receive``/``send``, skipping per-frame state checks that cost more than a small diff.
permessage-deflate is declined unless ``compression`` allows it (``pylive.transport.deflate``).
A socket over the app's connection limits or rate is refused with ``refuse`` (HTTP 503 or
429). A refused ``Origin`` is a ``pylive.refusal`` telemetry event.
"""

from __future__ import annotations

import logging

from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from pylive.connection_limits import client_address
from pylive.telemetry_events import Telemetry
from pylive.transport.base import TransportClosed
from pylive.transport.deflate import allow_deflate
from pylive.transport.origin import OriginCheck

__all__ = ["OriginCheck", "WebSocketTransport", "accept", "refuse"]

logger = logging.getLogger(__name__)

_POLICY_VIOLATION = 1008
_TRY_AGAIN_LATER = 1013


async def accept(
    scope: Scope,
    receive: Receive,
    send: Send,
    origins: OriginCheck,
    compression: bool = False,
    telemetry: Telemetry | None = None,
) -> WebSocketTransport | None:
    """Complete the handshake of the ASGI WebSocket connection, or refuse it and return None.

    ``origins``: the app's ``Origin`` check. ``compression``: accept a permessage-deflate offer
    (where the server lets the app decide). ``telemetry``: the app's, told of a refused origin.
    """
    ws = WebSocket(scope, receive, send)
    vsn = ws.query_params.get("vsn", "")
    if not vsn.startswith("2."):
        logger.info("refusing WebSocket: serializer vsn %r is not 2.x", vsn)
        await ws.close(_POLICY_VIOLATION)
        return None
    origin = ws.headers.get("origin")
    if not origins.allows(origin, ws.headers.get("host", "")):
        logger.warning("refusing WebSocket from origin %r", origin)
        if telemetry is not None:
            telemetry.refused("origin", client_address(scope))
        await ws.close(_POLICY_VIOLATION)
        return None
    offered = ws.scope.get("subprotocols") or []
    with allow_deflate(compression):
        await ws.accept(subprotocol="phoenix" if "phoenix" in offered else None)
    return WebSocketTransport(receive, send)


async def refuse(scope: Scope, receive: Receive, send: Send, response: Response) -> None:
    """Refuse the handshake because the app is at its connection limit or the address over
    its rate: ``response`` (HTTP 503, or 429) where the server supports the ASGI denial
    response (hypercorn, uvicorn), else a close before the handshake (1013, try again later;
    a server answers it with HTTP 403). Either way the browser sees a WebSocket that failed to
    open (its status is not shown to scripts), and the official client reconnects with its
    backoff (phoenix's ``assets/js/phoenix/socket.js``, ``reconnectAfterMs``)."""
    ws = WebSocket(scope, receive, send)
    if "websocket.http.response" in scope.get("extensions", {}):
        await ws.send_denial_response(response)
    else:
        await ws.close(_TRY_AGAIN_LATER)


class WebSocketTransport:
    """A ``pylive.transport.base.Transport`` over an accepted ASGI WebSocket connection."""

    __slots__ = ("_closed", "_receive", "_send")

    def __init__(self, receive: Receive, send: Send) -> None:
        self._receive = receive
        self._send = send
        self._closed = False  # the peer disconnected or we sent a close frame

    async def receive(self) -> str | bytes | None:
        """The next frame, or None once the peer disconnected."""
        message = await self._receive()
        if message["type"] != "websocket.receive":  # websocket.disconnect
            self._closed = True
            return None
        text = message.get("text")
        if text is not None:
            return str(text)
        return bytes(message.get("bytes") or b"")

    async def send(self, frame: str) -> None:
        """Send a text frame; ``TransportClosed`` if the connection is over."""
        if self._closed:
            raise TransportClosed("the WebSocket is closed")
        try:
            await self._send({"type": "websocket.send", "text": frame})
        except (RuntimeError, OSError) as exc:
            self._closed = True
            raise TransportClosed(str(exc)) from exc

    async def close(self, code: int) -> None:
        """Send a close frame unless the connection is already closed."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._send({"type": "websocket.close", "code": code, "reason": ""})
        except (RuntimeError, OSError):
            logger.debug("close after disconnect", exc_info=True)
