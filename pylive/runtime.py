"""``Runtime``: the per-app context, one per ``LiveApp``.

It holds what every request and connection of the app shares: the router, the token signer, the
settings, the live sockets (to close them on shutdown), what admits new ones (``admit_socket``:
the connection limits and the address rate limit) and ``tasks``, a task group for work that
outlives one request. Each connection's context (``pylive.connection.Connection``) points here.

Nothing needs an ASGI lifespan (a mounted sub-app never gets one): the task group starts on first
use and everything stops in ``close``, which ``LiveApp.close_sockets`` calls.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
from anyio.abc import TaskGroup
from starlette.requests import HTTPConnection
from starlette.responses import Response

from pylive.address_rate_limit import AddressRateLimit, AddressRates
from pylive.browser_headers import SECURE_BROWSER_HEADERS
from pylive.connection_limits import ConnectionLimits
from pylive.phoenix_socket import GOING_AWAY, Heartbeats, Linger, PhoenixSocket
from pylive.pubsub import PubSub
from pylive.rate_limit import RateLimit
from pylive.routing import Router
from pylive.stash import ClientStash, RedisStash, StashStore
from pylive.telemetry_events import Telemetry
from pylive.tokens import Tokens
from pylive.transport.longpoll import LongPoll
from pylive.transport.origin import OriginCheck

__all__ = ["AppTasks", "Runtime", "SessionGetter", "Settings"]

logger = logging.getLogger(__name__)

SessionGetter = Callable[[HTTPConnection], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Settings:
    """How a LiveApp serves (see ``LiveApp`` for each one's meaning)."""

    layout: Callable[[Any], Any]
    session: SessionGetter
    origins: OriginCheck
    """Who may open a live socket (``LiveApp(allowed_origins=...)``)."""
    socket_path: str
    heartbeat_timeout: float | None
    pubsub: str = "memory://"
    stash: StashStore = field(default_factory=ClientStash)
    longpoll: LongPoll | None = None
    websocket_compression: bool = False
    rate_limit: RateLimit | None = None
    max_connections: int | None = None
    max_connections_per_address: int | None = None
    content_security_policy: str | None = None
    """The header of the HTML pages, ``{nonce}`` standing for each page's (``pylive.csp``)."""
    secure_browser_headers: Mapping[str, str] = field(
        default_factory=lambda: SECURE_BROWSER_HEADERS
    )
    """The other headers of the live routes' responses (``pylive.browser_headers``)."""
    address_rate_limit: AddressRateLimit | None = None


class AppTasks:
    """A task group for app-wide work, started on first use and stopped by ``close``.

    It runs in a task of its own, not in the request that started it (which may end first): a
    plain asyncio task, or a trio system task. A job that raises is logged; it never stops the
    group or the server.
    """

    def __init__(self) -> None:
        self._group: TaskGroup | None = None
        self._starting: anyio.Event | None = None
        self._stop: anyio.Event | None = None
        self._stopped: anyio.Event | None = None
        self._host_task: asyncio.Task[None] | None = None  # keeps the asyncio host alive

    @property
    def running(self) -> bool:
        """Whether the group is up (it starts with the first ``start_soon``)."""
        return self._group is not None

    async def start_soon(self, job: Callable[[], Awaitable[None]], *, name: str = "") -> None:
        """Run ``job`` in the app's task group, starting the group if need be."""
        group = self._group or await self._start()

        async def guarded() -> None:
            try:
                await job()
            except Exception:
                logger.exception("app task %s failed", name or job)

        group.start_soon(guarded, name=name or None)

    async def close(self) -> None:
        """Cancel every job and stop the group (a later ``start_soon`` starts a new one)."""
        if self._starting is not None:
            await self._starting.wait()
        if self._stop is None or self._stopped is None:
            return
        self._stop.set()
        await self._stopped.wait()

    async def _start(self) -> TaskGroup:
        if self._starting is None:
            self._starting = anyio.Event()
            self._stop, self._stopped = anyio.Event(), anyio.Event()
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # not asyncio: anyio's other backend, trio
                import trio.lowlevel

                trio.lowlevel.spawn_system_task(self._host, name="pylive app tasks")
            else:
                self._host_task = loop.create_task(self._host())
        await self._starting.wait()
        assert self._group is not None
        return self._group

    async def _host(self) -> None:
        assert self._starting is not None and self._stop is not None and self._stopped is not None
        try:
            async with anyio.create_task_group() as group:
                self._group = group
                self._starting.set()
                await self._stop.wait()
                group.cancel_scope.cancel()
        finally:
            self._group = self._starting = self._stop = self._host_task = None
            self._stopped.set()


class Runtime:
    """The context of one LiveApp (see the module docstring)."""

    def __init__(self, router: Router, tokens: Tokens, settings: Settings) -> None:
        self.router = router
        self.tokens = tokens
        self.settings = settings
        self.tasks = AppTasks()
        self.pubsub = PubSub(settings.pubsub, start_soon=self.tasks.start_soon)
        """Topics and presence (``pylive.pubsub``), started on first use in ``tasks``."""
        self.telemetry = Telemetry()
        """The app's measurement events (``pylive.telemetry``): attach handlers to it."""
        self.sockets: set[PhoenixSocket] = set()
        """The live sockets being served (each removes itself when it ends)."""
        self.limits = ConnectionLimits(
            settings.max_connections, settings.max_connections_per_address, self.telemetry
        )
        """The slots of live sockets: each transport takes one (``admit_socket``) before it
        sets a socket up, and gives it back with ``limits.release``."""
        self.address_rates = AddressRates(settings.address_rate_limit)
        """Page loads and new live sockets per client address (``pylive.address_rate_limit``)."""
        timeout = settings.heartbeat_timeout
        self.heartbeats = None if timeout is None else Heartbeats(timeout)
        """Closes silent sockets; runs in ``tasks`` while sockets are served."""
        self._watching = False
        self.linger = Linger()
        """Ends the waits of channel tasks for their next message (``pylive.phoenix_socket``);
        its check runs in ``tasks`` while sockets are served."""
        self._lingering = False
        self._drained: anyio.Event | None = None

    def admit_socket(self, address: str | None) -> Response | None:
        """Take a slot for a new live socket from ``address`` (the caller gives it back with
        ``limits.release(address)``), or return the HTTP response refusing it, with an empty
        body: 429 over the address's rate of new sockets, 503 at the connection limits."""
        wait = self.address_rates.socket(address)
        if wait is not None:
            logger.info("refusing a live socket from %s (HTTP 429): over its rate", address)
            self.telemetry.refused("socket_rate", address)
            return Response(status_code=429, headers={"retry-after": str(wait)})
        if not self.limits.admit(address):
            return Response(status_code=503)
        return None

    async def serve(
        self,
        socket: PhoenixSocket,
        *,
        heartbeats: bool = True,
        admitted: bool = False,
        address: str | None = None,
    ) -> None:
        """Run ``socket`` until its connection ends, counting it among the live sockets and
        closing it if it falls silent (``Settings.heartbeat_timeout``; ``heartbeats=False``
        for a transport whose client sends none, long-poll, which has its own timeout).
        ``admitted``: the socket holds the slot ``admit_socket(address)`` took, given back
        when it ends (whatever happens from the call on)."""
        watcher = self.heartbeats if heartbeats else None
        telemetry = self.telemetry
        started = 0.0
        try:
            if watcher is not None:
                if not self._watching:
                    self._watching = True
                    await self.tasks.start_soon(self._watch, name="pylive heartbeats")
                watcher.watch(socket)
            if not self._lingering:
                self._lingering = True
                await self.tasks.start_soon(self._check_linger, name="pylive channel tasks")
            self.sockets.add(socket)
            if telemetry.active:
                started = time.perf_counter()
                telemetry.execute("pylive.socket.connect", {}, {})
            await socket.run()
        finally:
            self.sockets.discard(socket)
            if started:
                duration = time.perf_counter() - started
                telemetry.execute("pylive.socket.disconnect", {"duration": duration}, {})
            if watcher is not None:
                watcher.unwatch(socket)
            if admitted:
                self.limits.release(address)
            if not self.sockets and self._drained is not None:
                self._drained.set()

    async def _watch(self) -> None:
        assert self.heartbeats is not None
        try:
            await self.heartbeats.run()
        finally:
            self._watching = False  # the app's tasks stopped: the next socket restarts it

    async def _check_linger(self) -> None:
        try:
            await self.linger.run()
        finally:
            self._lingering = False  # the app's tasks stopped: the next socket restarts it

    async def close(self, code: int = GOING_AWAY, timeout: float = 5.0) -> None:
        """Close every live socket with ``code``, wait up to ``timeout`` seconds for them to
        finish, then stop the app's tasks."""
        if self.sockets:
            self._drained = anyio.Event()
            for socket in list(self.sockets):
                socket.close(code)
            with anyio.move_on_after(timeout):
                await self._drained.wait()
        await self.pubsub.close()
        if isinstance(self.settings.stash, RedisStash):
            await self.settings.stash.aclose()
        await self.tasks.close()
