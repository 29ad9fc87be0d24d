"""The bench client's WebSocket: a lean blocking one, or the ``websockets`` library's.

A round trip measured from Python includes the client's own cost. A browser's WebSocket is
native code and adds almost nothing; the ``websockets`` asyncio client adds about 100-150 µs per
round trip on a small machine (event loop turns, its framing in Python), which raises the echo
floor and every subject's RTT alike and hides server differences. ``LeanWebSocket`` is the
least a client can do over a blocking TCP socket: one ``sendall`` of a pre-masked frame, then
``recv`` until the reply frame is complete. Only what the bench needs: text frames from the
client; unfragmented text/binary frames from the server (all a Phoenix server sends).
"""

from __future__ import annotations

import base64
import os
import socket
import struct
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect

__all__ = ["LeanWebSocket", "LibraryWebSocket", "Wire", "open_wire"]


class Wire(Protocol):
    async def send(self, text: str) -> None: ...
    async def recv(self) -> str: ...
    async def close(self) -> None: ...


class LeanWebSocket:
    """A blocking WebSocket client: RFC 6455 framing by hand, TCP_NODELAY, no compression."""

    def __init__(self, sock: socket.socket, buffered: bytes) -> None:
        self._sock = sock
        self._buf = bytearray(buffered)
        self._mask = os.urandom(4)
        self._masks: dict[int, int] = {}  # payload length -> the mask key repeated, as an int

    @classmethod
    def connect(cls, url: str, headers: Mapping[str, str]) -> LeanWebSocket:
        sock = cls.open(url, headers)
        data = b""
        while (ws := cls.accept(sock, data, url)) is None:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"{url}: closed during the handshake")
            data += chunk
        return ws

    @staticmethod
    def open(url: str, headers: Mapping[str, str]) -> socket.socket:
        """A TCP connection to ``url`` with the upgrade request sent (the first half of
        ``connect``, for a caller that opens many at once and reads the answers later)."""
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        sock = socket.create_connection((host, port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [
            f"GET {target} HTTP/1.1",
            f"Host: {host}:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
            "Sec-WebSocket-Version: 13",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return sock

    @classmethod
    def accept(cls, sock: socket.socket, data: bytes, url: str) -> LeanWebSocket | None:
        """The WebSocket once ``data`` (read from ``sock`` so far) holds the whole answer to
        the upgrade request; None while it does not."""
        if b"\r\n\r\n" not in data:
            return None
        head, rest = data.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise ConnectionError(f"{url}: handshake refused: {status.decode(errors='replace')}")
        return cls(sock, rest)

    def detach(self) -> tuple[socket.socket, bytes]:
        """The connected socket and what was read past the handshake, for a caller that
        reads frames itself (``benchmarks.broadcast`` polls a thousand of them)."""
        return self._sock, bytes(self._buf)

    def frame(self, text: str) -> bytes:
        """``text`` as one masked client text frame."""
        return self._frame(text.encode())

    def _frame(self, payload: bytes) -> bytes:
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        mask = self._masks.get(n)
        if mask is None:
            mask = self._masks[n] = int.from_bytes((self._mask * (n // 4 + 1))[:n])
        masked = (int.from_bytes(payload) ^ mask).to_bytes(n)
        return head + self._mask + masked

    def fileno(self) -> int:
        return self._sock.fileno()

    def write(self, text: str) -> None:
        """Send ``text`` as one frame (blocking)."""
        self._sock.sendall(self._frame(text.encode()))

    async def send(self, text: str) -> None:
        self.write(text)

    def _fill(self, n: int) -> None:
        while len(self._buf) < n:
            chunk = self._sock.recv(65536)  # larger sizes make malloc map and unmap pages
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self._buf += chunk

    def buffered(self) -> bool:
        """Whether bytes already read wait here (a selector would not report them)."""
        return bool(self._buf)

    def read(self) -> str:
        """The next text or binary frame's payload as text (blocking)."""
        while True:
            self._fill(2)
            opcode, length = self._buf[0] & 0x0F, self._buf[1] & 0x7F
            start = 2
            if length == 126:
                self._fill(4)
                length, start = struct.unpack_from("!H", self._buf, 2)[0], 4
            elif length == 127:
                self._fill(10)
                length, start = struct.unpack_from("!Q", self._buf, 2)[0], 10
            self._fill(start + length)
            payload = bytes(self._buf[start : start + length])
            del self._buf[: start + length]
            if opcode == 0x8:
                raise ConnectionError("the server closed the WebSocket")
            if opcode in (0x1, 0x2):
                return payload.decode()

    async def recv(self) -> str:
        return self.read()

    async def close(self) -> None:
        self._sock.close()


class LibraryWebSocket:
    """The ``websockets`` asyncio client (no compression, no keepalive pings)."""

    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws

    async def send(self, text: str) -> None:
        await self._ws.send(text)

    async def recv(self) -> str:
        frame = await self._ws.recv()
        assert isinstance(frame, str)
        return frame

    async def close(self) -> None:
        await self._ws.close()


async def open_wire(kind: str, url: str, headers: Mapping[str, str]) -> Wire:
    """``kind``: ``"lean"`` or ``"websockets"``."""
    if kind == "lean":
        return LeanWebSocket.connect(url, headers)
    ws = await connect(
        url,
        additional_headers=dict(headers) or None,
        compression=None,
        ping_interval=None,
        max_size=None,
        proxy=None,
    )
    return LibraryWebSocket(ws)
