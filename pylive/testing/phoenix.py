"""The client half of a Phoenix V2 socket: frames, refs and join refs (phoenix's
``assets/js/phoenix/socket.js``, ``channel.js``, ``serializer.js``).

``PhoenixConnection`` wraps an ``AsgiWebSocket``: it numbers requests like ``phoenix.js`` does
(one counter per socket, join ref = ref of the ``phx_join``), remembers the current join ref of
every topic and encodes/decodes ``[join_ref, ref, topic, event, payload]`` frames. It can be
used pull-style (``receive``, ``expect_reply``, ``call``) by protocol-level tests, or fed to a
reader loop (what ``pylive.testing.View`` does).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import orjson
from starlette.types import ASGIApp

from pylive.testing.asgi import AsgiWebSocket, WebSocketClosed, connect_websocket
from pylive.testing.forms import urlencode

__all__ = ["Frame", "PhoenixConnection", "connect"]


@dataclass(frozen=True, slots=True)
class Frame:
    """One V2 text frame."""

    join_ref: str | None
    ref: str | None
    topic: str
    event: str
    payload: Any

    @classmethod
    def decode(cls, text: str | bytes) -> Frame:
        """Parse a frame sent by the server."""
        data = orjson.loads(text)
        if not (isinstance(data, list) and len(data) == 5):
            raise ValueError(f"not a Phoenix V2 frame: {text!r}")
        join_ref, ref, topic, event, payload = data
        return cls(join_ref, ref, topic, event, payload)

    def encode(self) -> str:
        """The frame as JSON text."""
        return orjson.dumps(
            [self.join_ref, self.ref, self.topic, self.event, self.payload]
        ).decode()

    @property
    def is_reply(self) -> bool:
        """A ``phx_reply``."""
        return self.event == "phx_reply"

    @property
    def status(self) -> str | None:
        """``ok``/``error`` of a reply."""
        return self.payload.get("status") if self.is_reply else None

    @property
    def response(self) -> Any:
        """The ``response`` of a reply."""
        return self.payload.get("response") if self.is_reply else None


class PhoenixConnection:
    """Requests and frames on one socket."""

    def __init__(self, ws: AsgiWebSocket, *, timeout: float = 5.0) -> None:
        self.ws = ws
        self.timeout = timeout
        self.join_refs: dict[str, str] = {}
        """Current join ref of every joined topic."""
        self._ref = 0

    def next_ref(self) -> str:
        """A fresh ref (the counter is shared by every topic, as in ``phoenix.js``)."""
        self._ref += 1
        return str(self._ref)

    async def send(self, frame: Frame) -> None:
        """Send a frame as is."""
        await self.ws.send(frame.encode())

    async def push(
        self, topic: str, event: str, payload: Any, *, join_ref: str | bool | None = True
    ) -> str:
        """Send ``event`` on ``topic`` and return its ref. ``join_ref=True`` uses the topic's
        current join ref (None when not joined)."""
        ref = self.next_ref()
        jr = self.join_refs.get(topic) if join_ref is True else join_ref
        await self.send(Frame(jr or None, ref, topic, event, payload))
        return ref

    async def join(self, topic: str, payload: Mapping[str, Any]) -> str:
        """Send ``phx_join``; the ref becomes the topic's join ref and is returned."""
        ref = self.next_ref()
        self.join_refs[topic] = ref
        await self.send(Frame(ref, ref, topic, "phx_join", dict(payload)))
        return ref

    async def heartbeat(self) -> str:
        """Send a heartbeat on the ``phoenix`` topic."""
        return await self.push("phoenix", "heartbeat", {}, join_ref=None)

    async def receive(self, timeout: float | None = None) -> Frame:
        """The next frame from the server (``WebSocketClosed`` once it closed)."""
        text = await self.ws.receive(self.timeout if timeout is None else timeout)
        return Frame.decode(text)

    async def expect_reply(self, ref: str, timeout: float | None = None) -> tuple[str, Any]:
        """The next frame, which must be the reply to ``ref``: ``(status, response)``."""
        frame = await self.receive(timeout)
        if not (frame.is_reply and frame.ref == ref):
            raise AssertionError(f"expected the reply to ref {ref}, got {frame}")
        return frame.status or "", frame.response

    async def call(self, topic: str, event: str, payload: Any) -> tuple[str, Any]:
        """Push and wait for the reply (no other frame may come first)."""
        return await self.expect_reply(await self.push(topic, event, payload))

    async def expect_close(self, timeout: float | None = None) -> int:
        """Wait for the server to close the socket and return the close code; a frame
        arriving first is an ``AssertionError``."""
        try:
            frame = await self.receive(timeout)
        except WebSocketClosed as closed:
            return closed.code
        raise AssertionError(f"expected the server to close the socket, got {frame}")

    async def expect_silence(self, seconds: float) -> None:
        """Assert that no frame (nor a close) arrives for ``seconds`` — for checks where there
        is nothing to wait for, such as a cancelled timer."""
        with anyio.move_on_after(seconds):
            frame = await self.receive(math.inf)
            raise AssertionError(f"expected no frame for {seconds}s, got {frame}")


@asynccontextmanager
async def connect(
    app: ASGIApp,
    socket_path: str = "/live",
    *,
    params: Mapping[str, str] | None = None,
    cookies: str | None = None,
    origin: str | None = "http://testserver",
    timeout: float = 5.0,
) -> AsyncIterator[PhoenixConnection]:
    """Open ``<socket_path>/websocket?<params>&vsn=2.0.0`` like ``phoenix.js`` and yield a
    ``PhoenixConnection``; ``cookies`` is a ``Cookie`` header value."""
    query = urlencode([*(params or {}).items(), ("vsn", "2.0.0")])
    headers: list[tuple[str, str]] = []
    if cookies:
        headers.append(("cookie", cookies))
    if origin:
        headers.append(("origin", origin))
    target = f"{socket_path.rstrip('/')}/websocket?{query}"
    async with connect_websocket(app, target, headers=headers, timeout=timeout) as ws:
        yield PhoenixConnection(ws, timeout=timeout)
