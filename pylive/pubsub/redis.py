"""The ``redis://`` backend: broadcaster's Redis pub/sub, supervised (asyncio only).

broadcaster 0.3.1 (pinned) carries the messages; this thin adapter fixes what it lacks:

* **No reconnect.** When the Redis connection drops, broadcaster's listener task ends with a
  ``ConnectionError`` that nobody sees, and its subscribers wait forever (upstream issue #144;
  the maintainer leaves reconnecting to callers). ``_Backend`` notices the listener's end;
  ``RedisBridge.run`` then throws that ``Broadcast`` away, connects a new one (retrying every
  0.05 to 0.5 s) and subscribes again to every channel wanted.
* **Subscribe ordering.** broadcaster wakes its listener *before* the channel is recorded in
  redis-py's ``PubSub``; with redis-py 8 the listener then sees no channel and parks forever, so
  nothing is delivered. ``_Backend.subscribe`` records first, then wakes the listener. (The
  ``redis`` extra still pins ``redis>=5,<8``: only those versions are tested here.)
* **Concurrent first subscribes.** broadcaster's ``subscribe`` checks, awaits, then assigns;
  concurrent first subscribers of a channel race. The bridge holds one broadcaster
  subscription per channel per process and fans out locally (``pylive.pubsub.hub``).
* **Unbounded queues.** broadcaster queues without bound per subscriber; the bridge's only
  subscriber per channel hands each message on at once (non-blocking), and what this process
  sends goes through a bounded outbox (``outbox`` messages; beyond that new ones are dropped).
* **asyncio only.** broadcaster uses asyncio directly; ``PubSub`` refuses ``redis://`` on
  trio with a clear error (``pylive serve`` refuses ``--worker-class trio`` with it).

While disconnected, messages for other processes are dropped, not queued for later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import anyio
from anyio.abc import TaskGroup, TaskStatus
from broadcaster import Broadcast
from broadcaster._backends.redis import RedisBackend

__all__ = ["RedisBridge"]

logger = logging.getLogger(__name__)

RETRY_MIN = 0.05
RETRY_MAX = 0.5


class _Backend(RedisBackend):
    """broadcaster's Redis backend, reporting a lost connection and subscribing in order."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.lost = anyio.Event()

    async def subscribe(self, channel: str) -> None:
        await self._pubsub.subscribe(channel)  # record the channel first...
        self._ready.set()  # ...then let the listener run (upstream does these the other way)

    async def _pubsub_listener(self) -> None:
        try:
            await super()._pubsub_listener()
        except Exception as error:  # the connection is gone (ConnectionError, TimeoutError...)
            logger.warning("pub/sub: lost the Redis connection (%s)", error or type(error).__name__)
        finally:
            self.lost.set()


class RedisBridge:
    """Keeps one broadcaster ``Broadcast`` connected: subscribes the wanted channels (again
    after every reconnect), hands each message to ``on_message(channel, data)``, publishes what
    ``send`` queues, and calls ``on_connect()`` after each (re)connection."""

    def __init__(
        self,
        url: str,
        on_message: Callable[[str, str], None],
        on_connect: Callable[[], None],
        *,
        outbox: int = 10_000,
    ) -> None:
        self.url = url
        self.connected = False
        self._on_message = on_message
        self._on_connect = on_connect
        self._wanted: dict[str, None] = {}
        self._scopes: dict[str, anyio.CancelScope] = {}
        self._tg: TaskGroup | None = None
        self._broadcast: Broadcast | None = None
        self._send, self._receive = anyio.create_memory_object_stream[tuple[str, str]](outbox)
        self._publishing = False
        self._failed = False

    def subscribe(self, channel: str) -> None:
        """Want ``channel`` (subscribed now if connected, else on connecting)."""
        if channel in self._wanted:
            return
        self._wanted[channel] = None
        if self._tg is not None:
            self._tg.start_soon(self._listen, channel)

    def unsubscribe(self, channel: str) -> None:
        """No longer want ``channel``."""
        self._wanted.pop(channel, None)
        scope = self._scopes.pop(channel, None)
        if scope is not None:
            scope.cancel()

    def send(self, channel: str, data: str) -> bool:
        """Queue ``data`` for ``channel``; False (dropped) if disconnected or the outbox is full."""
        if not self.connected:
            return False
        try:
            self._send.send_nowait((channel, data))
        except anyio.WouldBlock:
            logger.warning("pub/sub: Redis outbox full, a message to %s is dropped", channel)
            return False
        return True

    async def drained(self) -> None:
        """Wait until every queued message is published."""
        while self.connected and (
            self._publishing or self._receive.statistics().current_buffer_used
        ):
            await anyio.sleep(0.01)

    async def run(self) -> None:
        """Stay connected until cancelled."""
        delay = RETRY_MIN
        while True:
            try:
                await self._session()
                delay = RETRY_MIN
            except Exception as error:
                self._failed = True
                logger.log(
                    logging.WARNING if delay == RETRY_MIN else logging.DEBUG,
                    "pub/sub: Redis at %s unavailable (%s); retrying in %.2fs",
                    self.url,
                    error or type(error).__name__,
                    delay,
                )
                await anyio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)

    async def _session(self) -> None:
        backend = _Backend(self.url)
        broadcast = Broadcast(backend=backend)
        try:
            await broadcast.connect()
            connected_once = False
            async with anyio.create_task_group() as tg:
                self._tg, self._broadcast = tg, broadcast
                for channel in list(self._wanted):  # a channel wanted meanwhile starts itself
                    await tg.start(self._listen, channel, broadcast)
                tg.start_soon(self._publisher, broadcast, backend)
                self.connected = connected_once = True
                logger.log(
                    logging.WARNING if self._failed else logging.INFO,  # a reconnect is news
                    "pub/sub: connected to Redis at %s",
                    self.url,
                )
                self._failed = False
                self._on_connect()
                await backend.lost.wait()
                tg.cancel_scope.cancel()
        finally:
            self.connected = False
            self._tg = self._broadcast = None
            self._scopes.clear()
            self._discard_outbox()
            # the listener's error, a dead connection: all expected here
            with (
                anyio.CancelScope(shield=True),
                anyio.move_on_after(1),
                contextlib.suppress(Exception, asyncio.CancelledError),
            ):
                await broadcast.disconnect()
            listener = backend._listener  # still there when connect() itself failed
            if listener is not None and not listener.done():
                listener.cancel()
        if connected_once:
            raise ConnectionError("connection lost")

    async def _listen(
        self,
        channel: str,
        broadcast: Broadcast | None = None,
        *,
        task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        target = broadcast or self._broadcast
        if target is None:
            task_status.started()
            return
        with anyio.CancelScope() as scope:
            self._scopes[channel] = scope
            try:
                async with target.subscribe(channel) as subscriber:
                    task_status.started()
                    while True:
                        event = await subscriber.get()
                        self._on_message(channel, event.message)
            except Exception as error:  # a lost connection: the session reconnects
                logger.debug("pub/sub: subscription to %s ended: %s", channel, error)
        if self._scopes.get(channel) is scope:
            del self._scopes[channel]

    async def _publisher(self, broadcast: Broadcast, backend: _Backend) -> None:
        async for channel, data in self._receive:
            self._publishing = True
            try:
                await broadcast.publish(channel, data)
            except Exception as error:
                logger.warning("pub/sub: publish to %s failed (%s)", channel, error)
                backend.lost.set()
                return
            finally:
                self._publishing = False

    def _discard_outbox(self) -> None:
        while True:
            try:
                self._receive.receive_nowait()
            except anyio.WouldBlock:
                break
