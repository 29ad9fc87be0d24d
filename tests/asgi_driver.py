"""Drive a real ASGI app in-process on anyio: HTTP via httpx, WebSockets via memory streams.

Nothing of pylive is mocked: the app under test is the real ``LiveApp``; this module plays the
browser's part of the protocol (the dead render, then Phoenix V2 frames), with a timeout on
every wait so a broken server fails a test instead of hanging it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import anyio
import httpx
import orjson
from starlette.types import ASGIApp, Message

TIMEOUT = 3.0
HOST = "testserver"


@dataclass
class DeadPage:
    """What the browser extracts from the HTTP render of a live page."""

    html: str
    cookies: dict[str, str]
    csrf_token: str
    view_id: str
    session: str
    static: str
    url: str

    @property
    def topic(self) -> str:
        return f"lv:{self.view_id}"


def _attr(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, f"{pattern!r} not in {html[:500]}"
    return unescape(found.group(1))


async def get_page(
    app: ASGIApp, path: str, *, root_path: str = "", cookies: Mapping[str, str] | None = None
) -> DeadPage:
    """GET a live page and pick out the CSRF token and the main container's tokens."""
    async with http_client(app, cookies) as client:
        response = await client.get(root_path + path)
        assert response.status_code == 200, response.text
    html = response.text
    main = _attr(html, r"(<div id=\"[^\"]+\" data-phx-main[^>]*>)")
    return DeadPage(
        html=html,
        cookies=dict(response.cookies),
        csrf_token=_attr(html, r'<meta name="csrf-token" content="([^"]+)"'),
        view_id=_attr(main, r'id="([^"]+)"'),
        session=_attr(main, r'data-phx-session="([^"]+)"'),
        static=_attr(main, r'data-phx-static="([^"]*)"'),
        url=f"http://{HOST}{root_path}{path}",
    )


@asynccontextmanager
async def http_client(
    app: ASGIApp, cookies: Mapping[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client calling ``app`` in-process (no redirects followed)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=f"http://{HOST}", cookies=dict(cookies or {})
    ) as client:
        yield client


class Closed(Exception):
    """The server closed the WebSocket (``code``)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class WebSocketClient:
    """One in-process WebSocket connection speaking Phoenix V2 frames."""

    _to_app: Any
    _from_app: Any
    subprotocol: str | None = None
    closed_with: int | None = None
    _ref: int = 0
    joins: dict[str, str] = field(default_factory=dict)

    # raw frames

    async def send_raw(self, data: str | bytes) -> None:
        key = "bytes" if isinstance(data, bytes) else "text"
        await self._to_app.send({"type": "websocket.receive", key: data})

    async def recv_raw(self, timeout: float = TIMEOUT) -> Message:
        with anyio.fail_after(timeout):
            message: Message = await self._from_app.receive()
        if message["type"] == "websocket.close":
            self.closed_with = message.get("code", 1000)
            raise Closed(self.closed_with)
        return message

    async def recv(self, timeout: float = TIMEOUT) -> list[Any]:
        """The next frame as ``[join_ref, ref, topic, event, payload]``."""
        message = await self.recv_raw(timeout)
        frame: list[Any] = orjson.loads(message["text"])
        return frame

    async def expect_close(self, timeout: float = TIMEOUT) -> int:
        """Wait for the server to close; returns the close code (frames before it fail)."""
        try:
            frame = await self.recv(timeout)
        except Closed as closed:
            return closed.code
        raise AssertionError(f"expected a close, got {frame}")

    async def silent(self, seconds: float = 0.05) -> None:
        """Assert nothing arrives for a moment (used only where no event can be awaited)."""
        with anyio.move_on_after(seconds):
            frame = await self.recv(seconds + 1)
            raise AssertionError(f"unexpected frame {frame}")

    # Phoenix helpers

    def next_ref(self) -> str:
        self._ref += 1
        return str(self._ref)

    async def push(
        self, topic: str, event: str, payload: Any, *, join_ref: str | bool | None = True
    ) -> str:
        """Send a message; ``join_ref=True`` uses the topic's current join ref."""
        ref = self.next_ref()
        jr = self.joins.get(topic) if join_ref is True else join_ref
        await self.send_raw(orjson.dumps([jr, ref, topic, event, payload]).decode())
        return ref

    async def join(self, topic: str, payload: Mapping[str, Any]) -> str:
        ref = self.next_ref()
        self.joins[topic] = ref
        await self.send_raw(orjson.dumps([ref, ref, topic, "phx_join", payload]).decode())
        return ref

    async def reply(self, ref: str) -> tuple[str, Any]:
        """Wait for the reply to ``ref`` (frames before it must be none); (status, response)."""
        frame = await self.recv()
        assert frame[1] == ref and frame[3] == "phx_reply", f"expected reply to {ref}: {frame}"
        return frame[4]["status"], frame[4]["response"]

    async def call(self, topic: str, event: str, payload: Any) -> tuple[str, Any]:
        return await self.reply(await self.push(topic, event, payload))

    async def join_page(self, page: DeadPage, **extra: Any) -> tuple[str, Any]:
        """Join the page's main view like the official client (§2.6); (status, response)."""
        payload: dict[str, Any] = {
            "url": page.url,
            "params": {"_csrf_token": page.csrf_token, "_mounts": 0, "_mount_attempts": 0},
            "session": page.session,
            "static": page.static or None,
            "sticky": False,
        }
        payload.update(extra)
        return await self.reply(await self.join(page.topic, payload))


@asynccontextmanager
async def websocket(
    app: ASGIApp,
    path: str = "/live/websocket",
    *,
    query: str = "vsn=2.0.0",
    cookies: Mapping[str, str] | None = None,
    headers: Sequence[tuple[str, str]] = (),
    root_path: str = "",
    subprotocols: Sequence[str] = (),
) -> AsyncIterator[WebSocketClient]:
    """Open a WebSocket to ``app`` in-process; raises ``Closed`` if the handshake is refused."""
    to_app_send, to_app_recv = anyio.create_memory_object_stream[Message](100)
    from_app_send, from_app_recv = anyio.create_memory_object_stream[Message](1000)
    raw_headers = [(b"host", HOST.encode()), *((k.encode(), v.encode()) for k, v in headers)]
    if cookies:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        raw_headers.append((b"cookie", cookie.encode()))
    full_path = root_path + path
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "scheme": "ws",
        "server": (HOST, 80),
        "client": ("127.0.0.1", 50000),
        "path": full_path,
        "raw_path": full_path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": raw_headers,
        "subprotocols": list(subprotocols),
        "state": {},
    }

    async def receive() -> Message:
        return await to_app_recv.receive()

    async def send(message: Message) -> None:
        await from_app_send.send(message)

    refused: int | None = None
    async with anyio.create_task_group() as tg:

        async def serve() -> None:
            await app(scope, receive, send)
            from_app_send.close()

        tg.start_soon(serve)
        await to_app_send.send({"type": "websocket.connect"})
        with anyio.fail_after(TIMEOUT):
            first = await from_app_recv.receive()
        if first["type"] == "websocket.close":
            refused = first.get("code", 1000)
            tg.cancel_scope.cancel()
        else:
            assert first["type"] == "websocket.accept", first
            client = WebSocketClient(to_app_send, from_app_recv, first.get("subprotocol"))
            try:
                yield client
            finally:
                if client.closed_with is None:
                    await to_app_send.send({"type": "websocket.disconnect", "code": 1000})
                with anyio.fail_after(TIMEOUT):
                    async for _ in from_app_recv:  # drain until the app returns
                        pass
    if refused is not None:
        raise Closed(refused)


@asynccontextmanager
async def live(
    app: ASGIApp, path: str = "/", *, root_path: str = "", **kw: Any
) -> AsyncIterator[tuple[WebSocketClient, DeadPage]]:
    """Dead-render ``path`` and open a socket with its cookies and CSRF token (not joined)."""
    page = await get_page(app, path, root_path=root_path)
    query = f"_csrf_token={page.csrf_token}&vsn=2.0.0"
    async with websocket(app, query=query, cookies=page.cookies, root_path=root_path, **kw) as ws:
        yield ws, page
