"""Calling an ASGI app in-process: HTTP requests and WebSocket connections over memory.

Nothing is mocked on the app's side — it gets real ASGI scopes and messages, as from a server —
and no socket or thread is involved, so tests run on whichever anyio backend runs them (asyncio
or trio). Every wait has a timeout, so a server that never answers fails a test instead of
hanging it.

``http_request`` runs one request to completion in the calling task; ``connect_websocket``
runs the app in a task of its own for as long as the connection is open. ``CookieJar`` is the
little browser state both share.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Final
from urllib.parse import unquote, urlsplit

import anyio
from starlette.types import ASGIApp, Message, Scope

__all__ = [
    "HOST",
    "AsgiWebSocket",
    "CookieJar",
    "HttpResponse",
    "WebSocketClosed",
    "connect_websocket",
    "http_request",
]

HOST: Final = "testserver"
"""The host name requests are made to (``http://testserver``)."""
_CLIENT: Final = ("127.0.0.1", 50000)


# --------------------------------------------------------------------------- cookies


class CookieJar:
    """Cookies of one browser: name → value, updated from ``Set-Cookie`` headers
    (a ``Max-Age`` of 0 or less deletes). Paths and domains are ignored: one test host."""

    def __init__(self, cookies: Mapping[str, str] | None = None) -> None:
        self._cookies: dict[str, str] = dict(cookies or {})

    def __getitem__(self, name: str) -> str:
        return self._cookies[name]

    def __contains__(self, name: object) -> bool:
        return name in self._cookies

    def get(self, name: str, default: str | None = None) -> str | None:
        """A cookie's value."""
        return self._cookies.get(name, default)

    def set(self, name: str, value: str) -> None:
        """Set a cookie (what ``document.cookie = …`` does in the browser)."""
        self._cookies[name] = value

    def delete(self, name: str) -> None:
        """Remove a cookie if present."""
        self._cookies.pop(name, None)

    def header(self) -> str | None:
        """The ``Cookie`` request header, or None without cookies."""
        if not self._cookies:
            return None
        return "; ".join(f"{k}={v}" for k, v in self._cookies.items())

    def update(self, set_cookie_headers: Iterable[str]) -> None:
        """Apply ``Set-Cookie`` headers of a response."""
        for header in set_cookie_headers:
            parsed: SimpleCookie = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                max_age = morsel["max-age"]
                expires = morsel["expires"]
                gone = (max_age != "" and int(max_age) <= 0) or "1970" in expires
                if gone:
                    self._cookies.pop(name, None)
                else:
                    self._cookies[name] = morsel.value


# --------------------------------------------------------------------------- HTTP


@dataclass
class HttpResponse:
    """A complete HTTP response."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    url: str
    """The absolute URL that was requested."""

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str | None:
        """The first value of a header (case-insensitive name)."""
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)

    def header_list(self, name: str) -> list[str]:
        """Every value of a header."""
        name = name.lower()
        return [v for k, v in self.headers if k == name]

    @property
    def is_redirect(self) -> bool:
        """A 3xx response with a ``Location``."""
        return 300 <= self.status < 400 and self.header("location") is not None


def _request_scope(kind: str, target: str, headers: Sequence[tuple[str, str]]) -> Scope:
    parts = urlsplit(target)
    path = parts.path or "/"
    raw_headers = [(b"host", HOST.encode())]
    raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    return {
        "type": kind,
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "scheme": "http" if kind == "http" else "ws",
        "server": (HOST, 80),
        "client": _CLIENT,
        "path": unquote(path),
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": parts.query.encode(),
        "headers": raw_headers,
        "state": {},
    }


async def http_request(
    app: ASGIApp,
    method: str,
    target: str,
    *,
    headers: Sequence[tuple[str, str]] = (),
    body: bytes = b"",
    timeout: float = 5.0,
) -> HttpResponse:
    """Send one request (``target`` is a path with optional query) and read the response.

    Exceptions raised by the app propagate, so a crashing page fails the test with its own
    traceback.
    """
    scope = _request_scope("http", target, headers)
    scope["method"] = method.upper()
    done = anyio.Event()
    sent_body = False
    status = 0
    response_headers: list[tuple[str, str]] = []
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent_body
        if not sent_body:
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            response_headers.extend(
                (k.decode("latin-1").lower(), v.decode("latin-1"))
                for k, v in message.get("headers", [])
            )
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                done.set()

    with anyio.fail_after(timeout):
        await app(scope, receive, send)
    done.set()
    return HttpResponse(status, response_headers, b"".join(chunks), f"http://{HOST}{target}")


# --------------------------------------------------------------------------- WebSocket


class WebSocketClosed(Exception):
    """The server closed the WebSocket (or refused the handshake) with ``code``."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"WebSocket closed by the server with code {code} {reason}".strip())
        self.code = code
        self.reason = reason


@dataclass
class AsgiWebSocket:
    """The client end of an in-process WebSocket."""

    _to_app: anyio.abc.ObjectSendStream[Message]
    _from_app: anyio.abc.ObjectReceiveStream[Message]
    subprotocol: str | None = None
    close_code: int | None = None
    """Set once the server closed the connection."""
    _closed_by_client: bool = field(default=False, repr=False)

    async def send(self, data: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) frame."""
        key = "bytes" if isinstance(data, bytes) else "text"
        await self._to_app.send({"type": "websocket.receive", key: data})

    async def receive(self, timeout: float | None = None) -> str | bytes:
        """The next frame; ``WebSocketClosed`` once the server closed."""
        if self.close_code is not None:
            raise WebSocketClosed(self.close_code)
        with anyio.fail_after(math.inf if timeout is None else timeout):
            try:
                message = await self._from_app.receive()
            except anyio.EndOfStream:
                message = {"type": "websocket.close", "code": 1006}
        if message["type"] == "websocket.close":
            self.close_code = int(message.get("code") or 1000)
            raise WebSocketClosed(self.close_code, str(message.get("reason") or ""))
        if message.get("text") is not None:
            return str(message["text"])
        return bytes(message.get("bytes") or b"")

    async def close(self, code: int = 1000) -> None:
        """Disconnect (the app sees ``websocket.disconnect``)."""
        if not self._closed_by_client:
            self._closed_by_client = True
            with suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                await self._to_app.send({"type": "websocket.disconnect", "code": code})


@asynccontextmanager
async def connect_websocket(
    app: ASGIApp,
    target: str,
    *,
    headers: Sequence[tuple[str, str]] = (),
    subprotocols: Sequence[str] = (),
    timeout: float = 5.0,
) -> AsyncIterator[AsgiWebSocket]:
    """Open a WebSocket to ``app`` at ``target`` (path and query); on exit, disconnect and
    wait (up to ``timeout``) for the app to finish — an app still running then is cancelled and,
    unless the block is already failing, ``TimeoutError`` is raised. A refused handshake raises
    ``WebSocketClosed``. The app task inherits the caller's context variables."""
    scope = _request_scope("websocket", target, headers)
    scope["subprotocols"] = list(subprotocols)
    to_app_send, to_app_recv = anyio.create_memory_object_stream[Message](256)
    from_app_send, from_app_recv = anyio.create_memory_object_stream[Message](4096)

    async def receive() -> Message:
        try:
            return await to_app_recv.receive()
        except anyio.EndOfStream:
            return {"type": "websocket.disconnect", "code": 1006}

    async def send(message: Message) -> None:
        with suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
            await from_app_send.send(message)  # dropped once the test stopped listening

    refused: int | None = None
    hung = False
    streams = (to_app_send, to_app_recv, from_app_send, from_app_recv)
    try:
        async with anyio.create_task_group() as tg:

            async def serve() -> None:
                async with from_app_send:
                    await app(scope, receive, send)

            tg.start_soon(serve)
            await to_app_send.send({"type": "websocket.connect"})
            with anyio.fail_after(timeout):
                first = await from_app_recv.receive()
            if first["type"] == "websocket.close":
                refused = int(first.get("code") or 1000)
                tg.cancel_scope.cancel()
            else:
                if first["type"] != "websocket.accept":
                    raise RuntimeError(f"unexpected first WebSocket message {first!r}")
                ws = AsgiWebSocket(to_app_send, from_app_recv, first.get("subprotocol"))
                try:
                    yield ws
                finally:
                    with anyio.CancelScope(shield=True):
                        await ws.close()
                        with anyio.move_on_after(timeout) as drained:
                            async for _ in from_app_recv:
                                pass
                        if drained.cancelled_caught:
                            hung = True
                            tg.cancel_scope.cancel()
    finally:
        for stream in streams:
            stream.close()
    if refused is not None:
        raise WebSocketClosed(refused, "(handshake refused)")
    if hung:
        raise TimeoutError(f"the app still ran {timeout}s after the WebSocket disconnected")
