"""The long-poll transport: a ``Transport`` fed by HTTP requests instead of a WebSocket.

The official client falls back to it when WebSockets are blocked (``longPollFallbackMs``).
Its wire format is phoenix's ``Phoenix.Transports.LongPoll`` (``lib/phoenix/transports/
long_poll.ex``, ``long_poll_server.ex``) as its client ``assets/js/phoenix/longpoll.js``
speaks it: a session lives between requests; each ``GET`` waits up to ``window`` seconds for
the frames the socket wrote and takes them all; each ``POST`` carries up to 100 client frames,
one a line, a binary frame (an upload chunk) as a base64 line. A session nobody polled for
``timeout`` seconds is closed, which ends its socket and frees everything it held.

The HTTP side (tokens, status codes, the route) is ``pylive.longpoll_endpoint``; this module
only holds the session, so it knows nothing of requests.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import anyio

from pylive.transport.base import TransportClosed

__all__ = ["MAX_BATCH", "BatchError", "LongPoll", "LongPollSession", "parse_batch"]

MAX_BATCH = 100
"""Frames per POST, as the client batches them (``MAX_LONGPOLL_BATCH_SIZE``); more are ignored,
as Phoenix does."""

_OUTBOX = 256
"""Frames a session holds for the next poll; a socket writing more waits for that poll."""
_INBOX = 16
"""Client frames queued for the socket's reader; a POST beyond that waits for it."""


@dataclass(frozen=True, slots=True)
class LongPoll:
    """How a ``LiveApp`` serves the long-poll fallback (``LiveApp(longpoll=LongPoll(...))``).

    ``fallback_ms``: how long the browser tries the WebSocket before switching to long-poll
    (the client's ``longPollFallbackMs``, what Phoenix's generated apps set; None leaves the
    client on WebSockets, the route still answering a client configured otherwise).
    ``window``: seconds a poll waits for frames before answering "nothing" (Phoenix's
    ``window_ms``; the client gives up on a poll after 20 s). ``timeout``: seconds without a
    poll after which a session is closed (Phoenix's 1.5 times window).
    """

    fallback_ms: int | None = 2500
    window: float = 10.0
    timeout: float = 15.0

    def __post_init__(self) -> None:
        if not 0 < self.window < self.timeout:
            raise ValueError("LongPoll needs 0 < window < timeout (a poll must not look idle)")
        if self.fallback_ms is not None and self.fallback_ms <= 0:
            raise ValueError("LongPoll fallback_ms must be positive (or None)")


class BatchError(ValueError):
    """A POST body that is not frames the client could have sent."""


def parse_batch(body: bytes, content_type: str) -> list[str | bytes]:
    """The frames of a POST body: ``application/x-ndjson`` holds one frame a line (a line not
    starting with ``[`` is a base64 binary frame), anything else is one text frame."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise BatchError("the body is not UTF-8") from None
    if content_type.partition(";")[0].strip() != "application/x-ndjson":
        return [text]
    frames: list[str | bytes] = []
    for line in text.splitlines()[:MAX_BATCH]:
        if line.startswith("["):
            frames.append(line)
            continue
        try:
            frames.append(base64.b64decode(line, validate=True))
        except binascii.Error:
            raise BatchError("a line is neither a JSON frame nor base64") from None
    return frames


class LongPollSession:
    """One long-poll client: a ``pylive.transport.base.Transport`` for its socket, and what
    the HTTP requests call (``poll``, ``publish``). ``id`` names it in the client's token."""

    def __init__(self, session_id: str) -> None:
        self.id = session_id
        self._to_socket, self._from_client = anyio.create_memory_object_stream[str | bytes](_INBOX)
        self._outbox: list[str] = []
        self._changed = anyio.Event()  # set (and replaced) on every outbox or state change
        self._polls = 0  # polls being held right now
        self._last_poll = anyio.current_time()
        self._ended = anyio.Event()
        self.closed = False

    # ------------------------------------------------------------------ Transport

    async def receive(self) -> str | bytes | None:
        """The next client frame, or None once the session is closed."""
        try:
            return await self._from_client.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            return None

    async def send(self, frame: str) -> None:
        """Queue a frame for the next poll (waits while ``_OUTBOX`` frames are unpolled)."""
        while len(self._outbox) >= _OUTBOX and not self.closed:
            await self._changed.wait()
        if self.closed:
            raise TransportClosed("the long-poll session is closed")
        self._outbox.append(frame)
        self._notify()

    async def close(self, code: int) -> None:
        """Close the session; the client learns it from its next request (status 410) and
        reconnects, so ``code`` has nowhere to go."""
        self.end()

    # ------------------------------------------------------------------ HTTP side

    def end(self) -> None:
        """Close the session now: the socket's ``receive`` returns None, held polls answer."""
        if not self.closed:
            self.closed = True
            self._to_socket.close()
            self._ended.set()
            self._notify()

    async def poll(self, window: float) -> list[str] | None:
        """Every frame queued so far, waiting up to ``window`` seconds for the first one;
        ``[]`` if none came, None if the session is closed (once its last frames are taken)."""
        self._polls += 1
        try:
            with anyio.move_on_after(window):
                while not self._outbox and not self.closed:
                    await self._changed.wait()
        finally:
            self._polls -= 1
            self._last_poll = anyio.current_time()
        if self.closed and not self._outbox:
            return None
        frames, self._outbox = self._outbox, []
        self._notify()  # a socket waiting for room may write again
        return frames

    async def publish(self, frames: list[str | bytes], window: float) -> bool | None:
        """Hand the client's ``frames`` to the socket in order: True once all are queued,
        False if the socket left one waiting for ``window`` seconds, None if the session is
        closed."""
        try:
            for frame in frames:
                with anyio.move_on_after(window) as waited:
                    await self._to_socket.send(frame)
                if waited.cancelled_caught:
                    return False
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            return None
        return None if self.closed else True

    async def expire(self, timeout: float) -> None:
        """Close the session once nobody polled it for ``timeout`` seconds (checked every
        ``timeout / 2``, so it ends between ``timeout`` and 1.5 ``timeout`` after the last
        poll); returns when it is closed, for whatever reason."""
        while not self.closed:
            idle = anyio.current_time() - self._last_poll
            if self._polls == 0 and idle >= timeout:
                self.end()
                return
            with anyio.move_on_after(timeout / 2):
                await self._ended.wait()

    def _notify(self) -> None:
        changed, self._changed = self._changed, anyio.Event()
        changed.set()
