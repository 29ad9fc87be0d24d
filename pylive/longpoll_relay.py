"""Long-poll requests for a session that lives in another process, relayed over pub/sub.

With several worker processes, a client's requests land on any of them, but its session (and
the socket in it) lives in the one that opened it. As Phoenix does (``long_poll.ex`` broadcasts
to the session's private topic), a request for another process's session goes through the
app's pub/sub (``redis://``): the owner answers on a reply topic the request made up.

Pub/sub delivers at most once and a new subscription takes a moment to reach Redis, so a
request first pings the owner until it answers (which proves both subscriptions live), then
sends its operation once. No answer to the pings within ``PING_TIMEOUT`` means the session is
gone (status 410, the client reconnects).

``LocalSession`` and ``RemoteSession`` are the two ways a request reaches a session; the
owner's ``answer_remote`` serves the other processes' requests with a ``LocalSession``.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any, Protocol

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream

from pylive.pubsub import PubSub
from pylive.transport.longpoll import BatchError, LongPollSession, parse_batch

__all__ = [
    "BAD_REQUEST",
    "GONE",
    "OK",
    "PING_TIMEOUT",
    "REQUEST_TIMEOUT",
    "LocalSession",
    "RemoteSession",
    "SessionRef",
    "answer_remote",
]

logger = logging.getLogger(__name__)

OK, BAD_REQUEST, REQUEST_TIMEOUT, GONE = 200, 400, 408, 410
PING_TIMEOUT = 2.0
"""Seconds the owner of a session has to answer (Phoenix's ``pubsub_timeout_ms``)."""
_PING_EVERY = 0.1

_TOPIC = "pylive:longpoll:"


class SessionRef(Protocol):
    """What a request does to a session, wherever it lives."""

    async def poll(self, window: float) -> list[str] | None:
        """The frames for the client (``[]`` after ``window`` seconds without), None if gone."""
        ...

    async def publish(self, body: bytes, content_type: str, window: float) -> int:
        """Hand a POST body's frames to the socket; the status to answer."""
        ...


class LocalSession:
    """A session of this process."""

    def __init__(self, session: LongPollSession) -> None:
        self.session = session

    async def poll(self, window: float) -> list[str] | None:
        return await self.session.poll(window)

    async def publish(self, body: bytes, content_type: str, window: float) -> int:
        try:
            frames = parse_batch(body, content_type)
        except BatchError as exc:
            logger.warning("long-poll POST refused: %s", exc)
            return BAD_REQUEST
        done = await self.session.publish(frames, window)
        return {True: OK, False: REQUEST_TIMEOUT, None: GONE}[done]


class RemoteSession:
    """A session of another process, reached through ``pubsub``."""

    def __init__(self, pubsub: PubSub, session_id: str) -> None:
        self._pubsub = pubsub
        self._topic = _TOPIC + session_id

    async def poll(self, window: float) -> list[str] | None:
        answer = await self._ask(["poll"], window)
        return None if answer is None else answer[1]

    async def publish(self, body: bytes, content_type: str, window: float) -> int:
        try:
            text = body.decode()
        except UnicodeDecodeError:
            return BAD_REQUEST
        answer = await self._ask(["publish", text, content_type], window)
        return GONE if answer is None else int(answer[1])

    async def _ask(self, request: list[Any], window: float) -> Any:
        reply = f"{_TOPIC}reply:{secrets.token_urlsafe(12)}"
        async with self._pubsub.subscribe(reply) as answers:
            if not await self._ping(reply, answers):
                return None
            try:
                await self._pubsub.publish(self._topic, [*request[:1], reply, *request[1:]])
                with anyio.move_on_after(window + PING_TIMEOUT):
                    while (answer := await answers.receive())[0] == "pong":
                        pass  # a late answer to one of the pings
                    return answer
                return None  # the owner went away meanwhile
            except anyio.get_cancelled_exc_class():
                with anyio.CancelScope(shield=True), anyio.move_on_after(PING_TIMEOUT):
                    # the client left: the owner must keep its frames for the next poll
                    await self._pubsub.publish(self._topic, ["cancel", reply])
                raise

    async def _ping(self, reply: str, answers: MemoryObjectReceiveStream[Any]) -> bool:
        with anyio.move_on_after(PING_TIMEOUT):
            while True:
                await self._pubsub.publish(self._topic, ["ping", reply])
                with anyio.move_on_after(_PING_EVERY):
                    await answers.receive()
                    return True
        return False


async def answer_remote(pubsub: PubSub, session: LongPollSession, window: float) -> None:
    """Serve other processes' requests for ``session`` until cancelled."""
    local = LocalSession(session)
    polls: dict[str, anyio.CancelScope] = {}
    async with pubsub.subscribe(_TOPIC + session.id) as requests, anyio.create_task_group() as tg:
        async for request in requests:
            tg.start_soon(_answer, pubsub, local, request, polls, window)


async def _answer(
    pubsub: PubSub,
    local: LocalSession,
    request: list[Any],
    polls: dict[str, anyio.CancelScope],
    window: float,
) -> None:
    match request:
        case ["ping", str(reply)]:
            await pubsub.publish(reply, ["pong"])
        case ["poll", str(reply)]:
            frames = None
            with anyio.CancelScope() as scope:  # cancelled before it takes any frame
                polls[reply] = scope
                try:
                    frames = await local.poll(window)
                finally:
                    del polls[reply]
            if not scope.cancelled_caught:
                await pubsub.publish(reply, ["polled", frames])
        case ["cancel", str(reply)] if reply in polls:
            polls[reply].cancel()
        case ["publish", str(reply), str(body), str(content_type)]:
            status = await local.publish(body.encode(), content_type, window)
            await pubsub.publish(reply, ["published", status])
        case _:
            logger.debug("ignoring long-poll relay message %r", request)
