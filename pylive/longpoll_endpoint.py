"""The long-poll route, ``<prefix>/live/longpoll``: the live socket over plain HTTP requests.

It answers as phoenix's ``Phoenix.Transports.LongPoll`` (``lib/phoenix/transports/
long_poll.ex``) does, since the official client is what talks to it. Every answer is HTTP 200
with a JSON body whose ``status`` says what happened:

* ``GET`` without a token opens a session (a ``LongPollSession`` carrying a ``PhoenixSocket``,
  run in the app's task group) and answers ``410`` with the session's signed token: for a
  client without a token, 410 means "opened".
* ``GET`` with the token waits up to ``window`` seconds for the socket's frames: ``200`` with
  them, or ``204`` with none.
* ``POST`` with the token hands the body's frames to the socket: ``200``.
* ``410`` for a token that is forged, expired or of a closed session (the client then
  reconnects, its views rejoin); ``403`` for a refused ``Origin`` or serializer.
* A ``GET`` opening a session while the app is at its connection limits
  (``pylive.connection_limits``) answers HTTP 503 with an empty body, as the WebSocket's
  handshake is refused (429 with ``retry-after`` when the address is over its rate of new
  sockets, ``pylive.address_rate_limit``): the client reads no status, takes it for a failed
  request and reconnects with its backoff (a ``{"status": 503}`` body would stop its poll
  loop).

Every answer carries ``x-content-type-options: nosniff``.

The token travels in the ``token`` query parameter (or the ``x-phoenix-longpoll-token``
header). The CSRF check and ``session`` lookup are the WebSocket route's (``LiveApp``).
A session lives in the process that opened it. With a shared pub/sub (``redis://``), requests
that land in another worker process reach it through ``pylive.longpoll_relay``; with
``memory://`` they are answered 410 (docs/deployment.md).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

import anyio
import orjson
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from pylive.browser_headers import NOSNIFF
from pylive.connection_limits import client_address
from pylive.longpoll_relay import (
    GONE,
    OK,
    LocalSession,
    RemoteSession,
    SessionRef,
    answer_remote,
)
from pylive.phoenix_socket import PhoenixSocket
from pylive.runtime import Runtime
from pylive.transport.base import Transport
from pylive.transport.longpoll import LongPoll, LongPollSession

__all__ = ["LongPollEndpoint"]

logger = logging.getLogger(__name__)

TOKEN_HEADER = "x-phoenix-longpoll-token"
MAX_BODY = 10_000_000
"""Bytes a POST may carry (100 base64 upload chunks of 64 kB fit; Phoenix caps it at ~8 MB)."""

_NO_CONTENT, _FORBIDDEN, _TOO_LARGE = 204, 403, 413

OpenSocket = Callable[[HTTPConnection, Transport], PhoenixSocket]
"""Builds the Phoenix socket of a new connection (``LiveApp`` checks CSRF and reads the
session, as for a WebSocket)."""


class LongPollEndpoint:
    """The long-poll route as an ASGI app; it keeps this process's sessions by id."""

    def __init__(self, runtime: Runtime, settings: LongPoll, open_socket: OpenSocket) -> None:
        self._runtime = runtime
        self._settings = settings
        self._open_socket = open_socket
        self.sessions: dict[str, LongPollSession] = {}
        """The open sessions of this process, by id (each removes itself when it ends)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        body = await self._answer(request, receive)
        if isinstance(body, Response):  # a session refused (module docstring)
            response = body
        else:
            response = Response(
                orjson.dumps(body),
                media_type="application/json",
                # the URL is the same for every poll of a session: nothing may be cached
                headers={"cache-control": "no-store"},
            )
        response.headers.update(NOSNIFF)
        await response(scope, receive, send)

    async def _answer(self, request: Request, receive: Receive) -> dict[str, Any] | Response:
        if not request.query_params.get("vsn", "").startswith("2."):
            logger.info("refusing long-poll: serializer vsn is not 2.x")
            return {"status": _FORBIDDEN}
        origin, host = request.headers.get("origin"), request.headers.get("host", "")
        if not self._runtime.settings.origins.allows(origin, host):
            logger.warning("refusing long-poll from origin %r", origin)
            self._runtime.telemetry.refused("origin", client_address(request.scope))
            return {"status": _FORBIDDEN}
        token = request.headers.get(TOKEN_HEADER) or request.query_params.get("token")
        if token is None:
            if request.method == "GET":
                return await self._open(request)
            return {"status": GONE}
        session = await self._resume(token)
        if session is None:
            return {"status": GONE}
        if request.method == "GET":
            return await self._listen(session, token, receive)
        return await self._publish(request, session)

    # ------------------------------------------------------------------ sessions

    async def _open(self, request: Request) -> dict[str, Any] | Response:
        """A new session (its token), or the response refusing it (at the connection limits,
        or the address over its rate)."""
        address = client_address(request.scope)
        refusal = self._runtime.admit_socket(address)
        if refusal is not None:
            return refusal
        try:
            session = LongPollSession(secrets.token_urlsafe(16))
            socket = self._open_socket(request, session)
            self.sessions[session.id] = session
            await self._runtime.tasks.start_soon(
                partial(self._serve, session, socket, address), name="pylive long-poll session"
            )
        except BaseException:
            self._runtime.limits.release(address)
            raise
        token = self._runtime.tokens.sign(
            "longpoll", {"id": session.id, "node": self._runtime.pubsub.node}
        )
        return {"status": GONE, "token": token, "messages": []}

    async def _serve(
        self, session: LongPollSession, socket: PhoenixSocket, address: str | None
    ) -> None:
        """Run the session's socket until it ends or the session expires; then free both,
        and the slot ``_open`` took for ``address``."""
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(session.expire, self._settings.timeout)
                pubsub = self._runtime.pubsub
                if pubsub.remote:  # requests may land in the other processes
                    tg.start_soon(answer_remote, pubsub, session, self._settings.window)
                with self._runtime.pubsub.as_current():
                    await self._runtime.serve(socket, heartbeats=False)
                tg.cancel_scope.cancel()
        finally:
            session.end()
            del self.sessions[session.id]
            self._runtime.limits.release(address)

    async def _resume(self, token: str) -> SessionRef | None:
        data = self._runtime.tokens.verify("longpoll", token)
        if not (isinstance(data, dict) and isinstance(data.get("id"), str)):
            logger.info("long-poll request with an invalid token")
            return None
        pubsub = self._runtime.pubsub
        if data.get("node") == pubsub.node:
            session = self.sessions.get(data["id"])
            return None if session is None else LocalSession(session)
        if pubsub.remote:
            return RemoteSession(pubsub, data["id"])
        logger.warning(
            "long-poll request for a session of another process: with several workers, use a "
            "shared pub/sub (LiveApp(pubsub='redis://...')) or route each client to one "
            "process (docs/deployment.md)"
        )
        return None

    # ------------------------------------------------------------------ requests

    async def _listen(self, session: SessionRef, token: str, receive: Receive) -> dict[str, Any]:
        frames: list[str] | None = []
        async with anyio.create_task_group() as tg:
            # a client that leaves mid-poll must not take frames with it
            tg.start_soon(_cancel_on_disconnect, receive, tg.cancel_scope)
            frames = await session.poll(self._settings.window)
            tg.cancel_scope.cancel()
        if frames is None:
            return {"status": GONE}
        return {"status": OK if frames else _NO_CONTENT, "token": token, "messages": frames}

    async def _publish(self, request: Request, session: SessionRef) -> dict[str, Any]:
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                logger.warning("long-poll POST over %d bytes refused", MAX_BODY)
                return {"status": _TOO_LARGE}
        content_type = request.headers.get("content-type", "")
        return {"status": await session.publish(bytes(body), content_type, self._settings.window)}


async def _cancel_on_disconnect(receive: Receive, scope: anyio.CancelScope) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    scope.cancel()
