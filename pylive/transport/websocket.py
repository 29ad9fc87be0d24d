"""The WebSocket transport: handshake checks and a ``Transport`` over the raw ASGI channel.

The handshake refuses (HTTP 403) what the official client never sends: a serializer version
other than 2.x, or a cross-site ``Origin``. The ``phoenix`` subprotocol is echoed when offered,
which the client requires when it sends an auth token (it then offers ``phoenix`` and
``base64url.bearer.phx.<token>``, see phoenix's ``assets/js/phoenix/socket.js``). Starlette's
``WebSocket`` does the handshake; frames then go straight through the server's ASGI
``receive``/``send``, skipping per-frame state checks that cost more than a small diff.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from pylive.transport.base import TransportClosed

__all__ = ["OriginCheck", "WebSocketTransport", "accept"]

logger = logging.getLogger(__name__)

_POLICY_VIOLATION = 1008


async def accept(
    scope: Scope, receive: Receive, send: Send, origins: OriginCheck
) -> WebSocketTransport | None:
    """Complete the handshake of the ASGI WebSocket connection, or refuse it and return None."""
    ws = WebSocket(scope, receive, send)
    vsn = ws.query_params.get("vsn", "")
    if not vsn.startswith("2."):
        logger.info("refusing WebSocket: serializer vsn %r is not 2.x", vsn)
        await ws.close(_POLICY_VIOLATION)
        return None
    origin = ws.headers.get("origin")
    if origin is not None and not origins.allows(origin, ws.headers.get("host", "")):
        logger.warning("refusing WebSocket from origin %r", origin)
        await ws.close(_POLICY_VIOLATION)
        return None
    offered = ws.scope.get("subprotocols") or []
    await ws.accept(subprotocol="phoenix" if "phoenix" in offered else None)
    return WebSocketTransport(receive, send)


_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str | None
    host: str
    port: int | None


def _parse(origin: str) -> _Origin | None:
    """An origin's scheme, host and port (the scheme's default port if none is given), or None
    if it has no host or does not parse (``null``, ``http://[``)."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    scheme = parts.scheme.lower() or None
    if port is None and scheme is not None:
        port = _DEFAULT_PORTS.get(scheme)
    return _Origin(scheme, parts.hostname, port)


class OriginCheck:
    """Phoenix's ``check_origin`` for the live socket (``LiveApp(allowed_origins=...)``).

    None: the ``Origin``'s host and port must be the request's ``Host``. A list: the origin
    must match one entry; an entry without a scheme (``"//example.com"``) or a port allows any,
    and a host ``*.example.com`` allows the domain and its subdomains; ``["*"]`` allows any
    origin. An origin that does not parse (``null``, from a sandboxed frame or a file) is refused.
    """

    __slots__ = ("_allowed", "_any")

    def __init__(self, allowed: Sequence[str] | None) -> None:
        """Raises ValueError for an entry without a host."""
        self._any = allowed is not None and "*" in allowed
        self._allowed: list[_Origin] | None = None
        if allowed is not None and not self._any:
            self._allowed = []
            for entry in allowed:
                parsed = _parse(entry)
                if parsed is None:
                    raise ValueError(
                        f"allowed_origins: {entry!r} has no host (e.g. 'https://example.com', "
                        "'//example.com', '//*.example.com')"
                    )
                self._allowed.append(parsed)

    def allows(self, origin: str, host: str) -> bool:
        """Whether a WebSocket with this ``Origin`` header, to this ``Host``, may connect."""
        if self._any:
            return True
        found = _parse(origin)
        if found is None:
            return False
        if self._allowed is None:
            own = _parse(f"//{host}")
            port = None if own is None else own.port or _DEFAULT_PORTS.get(found.scheme or "")
            return own is not None and (own.host, port) == (found.host, found.port)
        return any(_matches(found, allowed) for allowed in self._allowed)


def _matches(origin: _Origin, allowed: _Origin) -> bool:
    if allowed.scheme is not None and origin.scheme != allowed.scheme:
        return False
    if allowed.port is not None and origin.port != allowed.port:
        return False
    if allowed.host.startswith("*."):
        domain = allowed.host[2:]
        return origin.host == domain or origin.host.endswith("." + domain)
    return origin.host == allowed.host


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
