"""``PubSub``: one app's hub for topics and presence, in memory or shared through Redis.

Delivery is local first: ``broadcast`` hands the message to this process's subscribers of the
topic at once (each into its own bounded buffer, never waiting), then queues it for the other
processes when the backend is ``redis://``. A message from Redis whose sender is this process
is skipped (it was delivered already). Each process subscribes to a topic in Redis once, however
many of its views subscribe (``pylive.pubsub.redis``).

Presence is a table replicated on every process (``pylive.pubsub.table``): a process owns the
entries its views track; it publishes each join and leave, and every ``heartbeat`` seconds a
snapshot of all its entries, which replaces what the others hold for it (so a lost message heals
on the next snapshot). A process not heard from for ``presence_ttl`` seconds is dropped with its
entries. After (re)connecting, a process asks the others for their snapshots at once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import uuid
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream

from pylive.pubsub.codec import dumps, loads, pack, unpack
from pylive.pubsub.table import Changes, Presences, PresenceTable

if TYPE_CHECKING:
    from pylive.pubsub.redis import RedisBridge

__all__ = ["Member", "PubSub", "PubSubError", "current_pubsub"]

logger = logging.getLogger(__name__)

SCHEMES = ("memory", "redis", "rediss")
TOPIC_PREFIX = "pylive:t:"
PRESENCE_CHANNEL = "pylive:presence"

_CURRENT: ContextVar[PubSub | None] = ContextVar("pylive_pubsub", default=None)
_HUBS: weakref.WeakSet[PubSub] = weakref.WeakSet()


class PubSubError(RuntimeError):
    """Pub/sub cannot work here (e.g. ``redis://`` under trio, or no app to publish on)."""


class StartSoon(Protocol):
    def __call__(
        self, job: Callable[[], Awaitable[None]], *, name: str = ""
    ) -> Awaitable[None]: ...


def current_pubsub() -> PubSub:
    """The hub of the app serving the current request or live connection (views, components,
    HTTP routes, and tasks started from them); else the only app's hub in this process."""
    hub = _CURRENT.get()
    if hub is not None:
        return hub
    hubs = list(_HUBS)
    if len(hubs) == 1:
        return hubs[0]
    raise PubSubError(
        "no current pub/sub: call this inside a request or view of a LiveApp, "
        "or use app.pubsub.broadcast(...) directly"
        + (f" ({len(hubs)} apps in this process)" if hubs else "")
    )


def _on_asyncio() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class Member:
    """One subscriber of a hub: a connected LiveView (``socket.pubsub_member``) or a
    ``PubSub.subscribe`` block. ``deliver`` must not wait: it returns False when the member's
    buffer is full, and the message is dropped for that member (counted in ``dropped``)."""

    _ids = itertools.count(1)

    def __init__(
        self,
        hub: PubSub,
        deliver: Callable[[Any], bool],
        spawn: Callable[[Callable[[], Awaitable[None]]], Any] | None = None,
    ) -> None:
        self.hub = hub
        self.id = f"{hub.node}.{next(Member._ids)}"
        self.topics: set[str] = set()
        self.dropped = 0
        """Messages dropped because this member's buffer was full."""
        self.closed = False
        self._deliver = deliver
        self._spawn = spawn

    def subscribe(self, topic: str) -> None:
        """Receive what is broadcast on ``topic`` (and its presence diffs) from now on."""
        self.hub._subscribe(self, topic)

    def unsubscribe(self, topic: str) -> None:
        """Stop receiving ``topic``."""
        self.hub._unsubscribe(self, topic)

    def close(self) -> None:
        """Unsubscribe from everything and untrack every presence of this member."""
        if not self.closed:
            self.hub._leave(self)
            self.closed = True

    def deliver(self, msg: Any) -> None:
        if self.closed:
            return
        if not self._deliver(msg):
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                logger.warning(
                    "pub/sub subscriber %s is too slow: %d message(s) dropped",
                    self.id,
                    self.dropped,
                )


class PubSub:
    """Topics and presence for one app (``app.pubsub``); see the module docstring.

    ``url`` picks the backend: ``memory://`` (this process only; asyncio and trio) or
    ``redis://host:port/db`` (``rediss://`` for TLS; every process on the same Redis shares
    topics and presence; asyncio only). ``start_soon`` runs the hub's background work (the app's
    ``runtime.tasks``); ``buffer`` bounds each ``subscribe`` block's queue.
    """

    def __init__(
        self,
        url: str = "memory://",
        *,
        start_soon: StartSoon | None = None,
        buffer: int = 1024,
        heartbeat: float = 1.0,
        presence_ttl: float = 5.0,
    ) -> None:
        scheme = urlsplit(url).scheme
        if scheme not in SCHEMES:
            raise ValueError(f"pub/sub URL {url!r}: the scheme must be one of {', '.join(SCHEMES)}")
        self.url = url
        self.remote = scheme != "memory"
        self.node = uuid.uuid4().hex[:16]
        """This process's id among those sharing the backend."""
        self.buffer = buffer
        self.heartbeat = heartbeat
        self.presence_ttl = presence_ttl
        self._start_soon = start_soon
        self._topics: dict[str, set[Member]] = {}
        self._members: dict[str, Member] = {}
        self._table = PresenceTable()
        self._seen: dict[str, float] = {}
        self._bridge: RedisBridge | None = None
        self._starting = False
        _HUBS.add(self)

    # ------------------------------------------------------------------ public API

    @property
    def connected(self) -> bool:
        """Whether other processes can be reached now (always True for ``memory://``)."""
        return not self.remote or (self._bridge is not None and self._bridge.connected)

    def member(
        self,
        deliver: Callable[[Any], bool],
        spawn: Callable[[Callable[[], Awaitable[None]]], Any] | None = None,
    ) -> Member:
        """A new subscriber that gets each message through ``deliver`` (non-blocking)."""
        member = Member(self, deliver, spawn)
        self._members[member.id] = member
        return member

    async def broadcast(self, topic: str, msg: Any) -> None:
        """Send ``msg`` to every subscriber of ``topic``, in every process."""
        await self.publish(topic, msg)

    async def broadcast_from(self, member: Member | None, topic: str, msg: Any) -> None:
        """``broadcast``, except to ``member`` (the sender)."""
        await self.publish(topic, msg, sender=member)

    async def publish(self, topic: str, msg: Any, *, sender: Member | None = None) -> None:
        """Deliver ``msg`` here at once, and queue it for the other processes."""
        data = json.dumps({"n": self.node, "m": pack(msg)}, allow_nan=False, separators=(",", ":"))
        await self._ensure_started()
        self._fanout(topic, unpack(json.loads(data)["m"]), sender)
        if self._bridge is not None:
            self._bridge.send(TOPIC_PREFIX + topic, data)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[MemoryObjectReceiveStream[Any]]:
        """Subscribe plain code (a background task, a server-sent events route)::

            async with app.pubsub.subscribe("room:1") as messages:
                async for msg in messages:
                    ...

        The queue holds ``buffer`` messages; beyond that new ones are dropped (and logged)."""
        await self._ensure_started()
        send, receive = anyio.create_memory_object_stream[Any](self.buffer)

        def deliver(msg: Any) -> bool:
            try:
                send.send_nowait(msg)
            except anyio.WouldBlock:
                return False
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                return True
            return True

        member = self.member(deliver)
        try:
            for topic in topics:
                member.subscribe(topic)
            with receive:
                yield receive
        finally:
            member.close()
            send.close()

    async def track(
        self, member: Member, topic: str, key: str, meta: dict[str, Any] | None = None
    ) -> str:
        """Track ``member`` under ``key`` in ``topic`` with ``meta`` until ``untrack`` or
        the member's end; returns the entry's ``phx_ref`` (also in its meta)."""
        ref = uuid.uuid4().hex[:20]
        entry_meta = loads(dumps({**dict(meta or {}), "phx_ref": ref}))
        await self._ensure_started()
        changes = Changes()
        self._table.add(changes, self.node, topic, str(key), entry_meta, member.id)
        self._apply(changes)
        self._send_presence({"k": "join", "t": topic, "key": str(key), "m": pack(entry_meta)})
        return ref

    async def untrack(self, member: Member, topic: str, key: str) -> None:
        """Remove ``member``'s entries under ``key`` in ``topic``."""
        self._untrack(self._table.refs(owner=member.id, topic=topic, key=str(key)))

    def list(self, topic: str) -> Presences:
        """Who is in ``topic``: ``{key: {"metas": [meta, ...]}}`` (every process's entries)."""
        return self._table.list(topic)

    async def start(self) -> None:
        """Start the background work a ``redis://`` hub needs (once; later calls return)."""
        if not self.remote or self._starting:
            return
        self._require_asyncio()
        if self._start_soon is None:
            raise PubSubError("this PubSub has no task group to run in (start_soon)")
        self._starting = True
        try:
            await self._start_soon(self._run, name="pylive pub/sub")
        except BaseException:
            self._starting = False
            raise

    async def close(self, timeout: float = 1.0) -> None:
        """Tell the other processes this one leaves (its presences go at once) and send what is
        queued, for at most ``timeout`` seconds. The app's task group stops the rest."""
        bridge = self._bridge
        if bridge is not None and bridge.connected:
            self._send_presence({"k": "bye"})
            with anyio.move_on_after(timeout):
                await bridge.drained()

    @contextmanager
    def as_current(self) -> Iterator[None]:
        """Make this the hub ``pylive.broadcast`` and friends use within the block."""
        token = _CURRENT.set(self)
        try:
            yield
        finally:
            _CURRENT.reset(token)

    # ------------------------------------------------------------------ members

    def _require_asyncio(self) -> None:
        if self.remote and not _on_asyncio():
            raise PubSubError(
                f"pub/sub backend {self.url.split('://')[0]}:// runs on asyncio only (broadcaster "
                "and redis-py are asyncio libraries); under trio use memory:// (one process) "
                "or serve with --worker-class asyncio"
            )

    def _subscribe(self, member: Member, topic: str) -> None:
        self._require_asyncio()
        members = self._topics.setdefault(topic, set())
        first = not members
        members.add(member)
        member.topics.add(topic)
        if first and self._bridge is not None:
            self._bridge.subscribe(TOPIC_PREFIX + topic)
        if self.remote and not self._starting and member._spawn is not None:
            member._spawn(self.start)

    def _unsubscribe(self, member: Member, topic: str) -> None:
        member.topics.discard(topic)
        members = self._topics.get(topic)
        if members is None:
            return
        members.discard(member)
        if not members:
            del self._topics[topic]
            if self._bridge is not None:
                self._bridge.unsubscribe(TOPIC_PREFIX + topic)

    def _leave(self, member: Member) -> None:
        for topic in list(member.topics):
            self._unsubscribe(member, topic)
        self._untrack(self._table.refs(owner=member.id))
        self._members.pop(member.id, None)

    def _fanout(self, topic: str, msg: Any, sender: Member | None) -> None:
        for member in list(self._topics.get(topic, ())):
            if member is not sender:
                member.deliver(msg)

    async def _ensure_started(self) -> None:
        if self.remote and not self._starting:
            await self.start()

    # ------------------------------------------------------------------ presence

    def _untrack(self, refs: Sequence[str]) -> None:
        if not refs:
            return
        changes = Changes()
        self._table.remove(changes, refs)
        self._apply(changes)
        self._send_presence({"k": "leave", "refs": refs})

    def _apply(self, changes: Changes) -> None:
        for diff in changes.diffs():
            self._fanout(diff.topic, diff, None)

    def _send_presence(self, body: dict[str, Any]) -> None:
        if self._bridge is not None:
            self._bridge.send(PRESENCE_CHANNEL, json.dumps({**body, "n": self.node}))

    def _send_state(self) -> None:
        self._send_presence({"k": "state", "s": pack(self._table.snapshot(self.node))})

    def _on_presence(self, data: str) -> None:
        body = json.loads(data)
        node = body.get("n")
        if not isinstance(node, str) or node == self.node:
            return
        kind = body.get("k")
        self._seen[node] = anyio.current_time()
        changes = Changes()
        if kind == "join":
            self._table.add(changes, node, body["t"], body["key"], unpack(body["m"]))
        elif kind == "leave":
            self._table.remove(changes, body["refs"])
        elif kind == "state":
            self._table.replace_node(changes, node, unpack(body["s"]))
        elif kind == "sync":
            self._send_state()
        elif kind == "bye":
            self._table.remove(changes, self._table.refs(node=node))
            self._seen.pop(node, None)
        self._apply(changes)

    def _on_message(self, channel: str, data: str) -> None:
        """A message from the backend (runs in the bridge's listener)."""
        try:
            if channel == PRESENCE_CHANNEL:
                self._on_presence(data)
                return
            body = json.loads(data)
            if body.get("n") == self.node:
                return  # ours: delivered locally already
            self._fanout(channel.removeprefix(TOPIC_PREFIX), unpack(body["m"]), None)
        except Exception:
            logger.exception("pub/sub: bad message on %s", channel)

    def _on_connect(self) -> None:
        """The bridge is (re)connected: send our snapshot and ask the others for theirs."""
        self._send_state()
        self._send_presence({"k": "sync"})

    def _expire(self) -> None:
        now = anyio.current_time()
        for node in self._table.nodes() - {self.node}:
            seen = self._seen.setdefault(node, now)
            if now - seen > self.presence_ttl:
                logger.info(
                    "pub/sub: node %s not heard from for %.1fs: its presences expire",
                    node,
                    now - seen,
                )
                changes = Changes()
                self._table.remove(changes, self._table.refs(node=node))
                self._seen.pop(node, None)
                self._apply(changes)

    async def _heartbeats(self) -> None:
        while True:
            await anyio.sleep(self.heartbeat)
            if self._bridge is not None and self._bridge.connected:
                self._send_state()
            self._expire()

    async def _run(self) -> None:
        from pylive.pubsub.redis import RedisBridge

        bridge = RedisBridge(self.url, self._on_message, self._on_connect)
        bridge.subscribe(PRESENCE_CHANNEL)
        for topic in self._topics:
            bridge.subscribe(TOPIC_PREFIX + topic)
        self._bridge = bridge
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(bridge.run)
                tg.start_soon(self._heartbeats)
        finally:
            self._bridge = None
            self._starting = False
