"""One Phoenix socket per connection: reading, writing, heartbeats and topic routing.

The connection's own task is the reader, always waiting in ``receive()`` (the only way to learn that
the peer left, since hypercorn silently drops writes to a vanished peer). A channel's frame produced
while nothing is queued or being written goes out at once, written by the channel task itself, which
saves a task switch on every event round trip. Anything else joins a bounded outbox drained by a
writer task, started when the first frame queues and gone once the outbox is empty (one writer keeps
frames in the order they were produced and slows producers down when the client reads slowly).
``Heartbeats`` closes a connection that sent nothing, not even a heartbeat, for too long: one task
watches every socket. A joined channel runs in a task of the socket's task group only while it has
work: its join, then whenever its outlet's ``wake`` says mail came in, until its mailbox is empty
again (``Channel.run``). An idle connection thus costs the reader's task and nothing else, which
matters at ten thousand of them. With a ``Linger`` (a ``LiveApp``'s sockets have one), a task that
handled mail after the join waits a second or two for more before it ends: a view in use (clicks,
keystrokes) wakes its waiting task instead of paying for a new task per message. Routing follows
Phoenix's own socket (``Phoenix.Socket`` in phoenix's ``lib/phoenix/socket.ex``): heartbeats on
topic ``phoenix``, a second join of a topic replaces the first, messages of an outdated join are
dropped, anything for a topic not joined is answered ``unmatched topic``.

The socket knows nothing of WebSockets: any ``Transport`` (WebSocket, long-poll) can carry it.
Its ``Connection`` (``pylive.connection``) is handed to every channel factory; the socket keeps
the connection's channels by topic up to date.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import anyio
from anyio.abc import TaskGroup

from pylive.connection import Channel, Connection
from pylive.mailbox import Mailbox
from pylive.rate_limit import RateLimit, TokenBucket
from pylive.telemetry_events import Telemetry
from pylive.transport.base import Transport, TransportClosed
from pylive.transport.serializer import Message, ProtocolError, decode, encode, encode_raw

__all__ = [
    "ChannelFactory",
    "Heartbeats",
    "Linger",
    "Outlet",
    "PhoenixSocket",
]

logger = logging.getLogger(__name__)

GOING_AWAY = 1001
"""Close code for server shutdown and dead peers: the client reconnects (1000 would reload)."""
INVALID_DATA = 1007
TOO_BIG = 1009

_RATE_LIMITED = frozenset(["event", "live_patch", "phx_join"])
"""Messages that run the app's code (``handle_event``, ``handle_params``, ``mount``): the
ones ``RateLimit`` counts."""

_CLEANUP_TIMEOUT = 5.0
"""Upper bound for writes that must happen while a task is being cancelled."""


ChannelFactory = Callable[[Message, "Outlet", Connection[Any]], Channel]
"""Builds the channel for a ``phx_join`` message, writing through the given outlet, with the
connection's context."""


class Outlet:
    """Where one channel instance writes: every frame carries its topic and join ref."""

    __slots__ = ("_answered", "_settled", "_socket", "accepted", "closed", "join_ref", "topic")

    def __init__(self, socket: PhoenixSocket, topic: str, join_ref: str | None) -> None:
        self._socket = socket
        self.topic = topic
        self.join_ref = join_ref
        self.closed = False
        self.accepted: bool | None = None
        """Whether the join was answered ok (None until it is answered)."""
        self._settled = False  # the join was answered, or its channel ended
        self._answered: anyio.Event | None = None  # made by someone waiting for the answer

    def reply(
        self, ref: str | None, response: Mapping[str, Any], status: str = "ok"
    ) -> Coroutine[Any, Any, int]:
        """Answer the request ``ref`` (await it); returns the frame's length. (The socket's
        ``send`` itself: no coroutine of its own on every reply.)"""
        payload = {"status": status, "response": response}
        if ref == self.join_ref and self.accepted is None:
            self.accepted = status == "ok"
            self._settle()
        return self._socket.send(Message(self.join_ref, ref, self.topic, "phx_reply", payload))

    async def answered(self) -> None:
        """Wait until the join is answered, or its channel ended without an answer."""
        if not self._settled:
            self._answered = self._answered or anyio.Event()
            await self._answered.wait()

    def ended(self) -> None:
        """Its channel ended: nobody waits for the join's answer any more."""
        self._settle()

    def _settle(self) -> None:
        self._settled = True
        if self._answered is not None:
            self._answered.set()

    async def push(self, event: str, payload: Mapping[str, Any]) -> int:
        """Send a server push (``diff``, ``live_patch``, ``redirect``...); returns the frame's
        length."""
        return await self._socket.send(Message(self.join_ref, None, self.topic, event, payload))

    def push_encoded_nowait(self, event: str, payload: str) -> bool:
        """Queue a server push whose ``payload`` is JSON already (encoded once for many
        channels) behind everything this socket has queued; False, and nothing sent, if its
        outbox is full (a client that reads too slowly) or the socket is not running."""
        return self._socket.send_nowait(encode_raw(self.join_ref, self.topic, event, payload))

    async def close(self) -> None:
        """Tell the client the channel ended normally (``phx_close``: no rejoin). Sent once."""
        if not self.closed:
            self.closed = True
            await self._send_control("phx_close", {})

    async def unhandled(self, messages: Sequence[object]) -> None:
        """Answer the client messages among ``messages`` that reached the channel's mailbox but
        were never handled (the channel ended first), as the socket answers messages for a
        topic not joined: ``phx_leave`` ok, anything else ``unmatched topic``. Nothing is
        written once the socket is closing."""
        with anyio.CancelScope(shield=True), anyio.move_on_after(_CLEANUP_TIMEOUT):
            for msg in messages:
                if isinstance(msg, Message) and msg.ref is not None:
                    try:
                        await self._socket._not_joined(msg)
                    except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                        return

    def wake(self) -> None:
        """The channel has mail: run it (``Channel.run``) unless it runs or has ended."""
        self._socket._wake(self)

    def start_soon(self, job: Callable[[], Coroutine[Any, Any, None]]) -> bool:
        """Run ``job`` in the socket's task group (a channel's timers and background work);
        False, and nothing started, once the socket is ending."""
        return self._socket._start_soon(job)

    async def error(self) -> None:
        """Tell the client the channel crashed (``phx_error``: it rejoins with a fresh mount)."""
        self.closed = True
        await self._send_control("phx_error", {"reason": "channel_crash"})

    async def _send_control(self, event: str, payload: dict[str, Any]) -> None:
        ref = self.join_ref
        await self._socket.send(Message(ref, ref, self.topic, event, payload))


@dataclass(eq=False, slots=True)
class _Joined:
    outlet: Outlet
    channel: Channel
    running: bool = False  # a task runs (or is about to run) the channel
    scope: anyio.CancelScope | None = None  # that task's, once it started
    stopped: bool = False  # the channel must end (the socket ends, or its topic is rejoined)
    finished: bool = False
    done: anyio.Event | None = None  # made by a join waiting for this channel to finish
    context: contextvars.Context | None = None  # its last task's, once it went idle
    served: bool = False  # a task ran it before (the join's)
    waiting: anyio.Semaphore | None = None  # its task waits for mail on it (Linger)


class PhoenixSocket:
    """Serves one client connection until the peer leaves or ``close``."""

    __slots__ = (
        "_backlog",
        "_bucket",
        "_close_code",
        "_connection",
        "_context",
        "_factories",
        "_joined",
        "_limited",
        "_linger",
        "_max_channels",
        "_max_message_size",
        "_outbox",
        "_outbox_size",
        "_scope",
        "_telemetry",
        "_tg",
        "_turn",
        "_writing",
        "frames_received",
    )

    def __init__(
        self,
        connection: Connection[Any],
        channels: Mapping[str, ChannelFactory],
        *,
        max_channels: int = 100,
        max_message_size: int = 1 << 20,
        outbox_size: int = 256,
        rate_limit: RateLimit | None = None,
        telemetry: Telemetry | None = None,
        linger: Linger | None = None,
    ) -> None:
        """``channels`` maps topic prefixes (``"lv:"``) to channel factories (kept, not
        copied: one mapping serves every socket); ``rate_limit`` bounds the events the client
        may send (``pylive.rate_limit``); ``telemetry`` is told of refused events and frames;
        ``linger`` keeps a channel's task waiting a while for its next message (without it,
        the task ends as soon as the mailbox is empty). Channels run in a copy of the context
        variables of the task that makes the socket."""
        self._connection = connection
        self._factories = channels
        self._max_channels = max_channels
        self._max_message_size = max_message_size
        self._outbox_size = outbox_size
        self._joined: dict[str, _Joined] = {}
        self._close_code: int | None = None
        self._scope: anyio.CancelScope | None = None
        self._tg: TaskGroup | None = None
        self._context = _socket_context()  # where channel tasks start
        self._outbox: Mailbox[str] | None = None  # while frames are queued for the writer
        self._backlog = 0  # frames queued for the writer and not yet written
        self._writing = False  # a frame is being written (by the writer or a channel)
        self._turn: anyio.Event | None = None  # set when a channel's direct write ends
        self.frames_received = 0
        """Frames received so far (``Heartbeats`` reads it as the sign of life)."""
        self._bucket = None if rate_limit is None else TokenBucket(rate_limit)
        self._limited = False  # the last counted message was refused (log once per spell)
        self._telemetry = telemetry or Telemetry()  # none given: nobody listens
        self._linger = linger

    async def run(self) -> None:
        """Serve the connection; returns once it is over (and closes the transport if needed)."""
        transport = self._connection.transport
        try:
            async with anyio.create_task_group() as tg:
                self._scope, self._tg = tg.cancel_scope, tg
                try:
                    if self._close_code is not None:  # close() came before run()
                        tg.cancel_scope.cancel()
                    while await self._take(await transport.receive()):
                        pass
                finally:
                    tg.cancel_scope.cancel()
                    for joined in list(self._joined.values()):
                        self._stop(joined)  # idle channels end in a task of their own
        finally:
            self._tg = None
            if self._outbox is not None:
                self._outbox.close()
            for joined in self._joined.values():  # channels whose task never started
                joined.channel.close()
            if self._close_code is not None:
                with anyio.CancelScope(shield=True), anyio.move_on_after(_CLEANUP_TIMEOUT):
                    await transport.close(self._close_code)

    def close(self, code: int = GOING_AWAY) -> None:
        """End the connection with ``code``; channels terminate, then the transport closes."""
        if self._close_code is None:
            self._close_code = code
        if self._scope is not None:
            self._scope.cancel()

    async def send(self, message: Message) -> int:
        """Write a channel's frame now if the line is free, else queue it for the writer;
        returns the frame's length (characters of JSON text: its bytes when ASCII)."""
        frame = encode(message)
        if self._backlog or self._writing:
            await self._enqueue(frame)
            return len(frame)
        assert self._scope is not None, "socket is not running"
        self._writing = True
        try:
            await self._connection.transport.send(frame)
        except TransportClosed:
            self._scope.cancel()
        finally:
            self._writing = False
            if self._turn is not None:
                self._turn.set()
        return len(frame)

    def send_nowait(self, frame: str) -> bool:
        """Queue an encoded frame for the writer without waiting; False if the outbox is full
        or closed, or the socket is not running (the frame is not sent)."""
        if self._tg is None or not self._writer_outbox().offer(frame):
            return False
        self._backlog += 1
        return True

    async def _enqueue(self, frame: str) -> None:
        """Queue a frame for the writer, starting it if need be (waits while the outbox is
        full)."""
        outbox = self._writer_outbox()
        self._backlog += 1
        try:
            await outbox.put(frame)
        except BaseException:
            self._backlog -= 1
            raise

    def _writer_outbox(self) -> Mailbox[str]:
        """The writer's outbox, started (with the writer) if no frame is queued."""
        assert self._tg is not None, "socket is not running"
        outbox = self._outbox
        if outbox is None:
            outbox = self._outbox = Mailbox[str](self._outbox_size)
            self._tg.start_soon(self._write, outbox, self._connection.transport)
        return outbox

    # ------------------------------------------------------------------ tasks

    async def _write(self, outbox: Mailbox[str], transport: Transport) -> None:
        """Write the queued frames; end (and drop the outbox) once none is left."""
        while True:
            try:
                frame = outbox.get_nowait()
            except anyio.WouldBlock:
                self._outbox = None  # the next queued frame starts a new writer
                return
            except (anyio.EndOfStream, anyio.ClosedResourceError):
                return  # the socket is ending
            while self._writing:  # a channel's direct write is under way
                self._turn = anyio.Event()
                await self._turn.wait()
                self._turn = None
            self._writing = True
            try:
                await transport.send(frame)
            except TransportClosed:
                break
            finally:
                self._writing = False
                self._backlog -= 1
        assert self._scope is not None
        self._scope.cancel()

    async def _take(self, frame: str | bytes | None) -> bool:
        """Route one frame; False once the connection is over. (Its own frame: the reader
        keeps no frame or message alive while it waits for the next one.)"""
        if frame is None:
            return False
        self.frames_received += 1
        limit = self._max_message_size
        if len(frame) * 4 > limit and _too_big(frame, limit):  # no call for small frames
            logger.warning("closing socket: a frame exceeds %d bytes", limit)
            self._telemetry.refused("frame_too_large", self._connection.info.address)
            self.close(TOO_BIG)
            return False
        try:
            message = decode(frame, binary=isinstance(frame, bytes))
        except ProtocolError as exc:
            logger.warning("closing socket: %s", exc)
            self.close(INVALID_DATA)
            return False
        await self._route(message)
        return True

    # ------------------------------------------------------------------ routing

    async def _route(self, msg: Message) -> None:
        if msg.topic == "phoenix":
            if msg.event == "heartbeat":
                await self._reply(msg, "ok", {})
            else:
                await self._reply(msg, "error", {"reason": "unmatched topic"})
            return
        if self._bucket is not None and msg.event in _RATE_LIMITED and not self._allowed():
            await self._reply(msg, "error", {"reason": "rate limited"})
            return
        if msg.event == "phx_join":
            await self._join(msg)
            return
        joined = self._joined.get(msg.topic)
        if joined is None:
            await self._not_joined(msg)
            return
        if msg.join_ref is not None and msg.join_ref != joined.outlet.join_ref:
            await self._outdated(msg, joined)
            return
        try:
            await joined.channel.deliver(msg)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            await self._not_joined(msg)  # the channel ended while the message was in flight

    def _allowed(self) -> bool:
        """Take a token from the bucket; the first refusal of a spell is logged, each one is
        a ``pylive.refusal`` telemetry event."""
        assert self._bucket is not None
        allowed = self._bucket.take(anyio.current_time())
        if not allowed:
            if not self._limited:
                logger.warning("socket over its event rate limit: refusing events (rate limited)")
            self._telemetry.refused("event_rate", self._connection.info.address)
        self._limited = not allowed
        return allowed

    async def _outdated(self, msg: Message, joined: _Joined) -> None:
        """A message for another join of a topic whose join is ``joined``'s. As in Phoenix,
        whose socket waits for a join's outcome before its next message: once that join is
        accepted the message is dropped, unanswered; if it was refused (or its channel ended
        without an answer) the topic is not joined."""
        await joined.outlet.answered()  # at once unless the join is pending (rare)
        if joined.outlet.accepted and not joined.finished:
            logger.debug(
                "dropping %s for outdated join %s of %s", msg.event, msg.join_ref, msg.topic
            )
            return
        await self._not_joined(msg)

    async def _not_joined(self, msg: Message) -> None:
        if msg.event == "phx_leave":
            await self._reply(msg, "ok", {})
        else:
            await self._reply(msg, "error", {"reason": "unmatched topic"})

    async def _join(self, msg: Message) -> None:
        old = self._joined.get(msg.topic)
        if old is not None:
            self._stop(old)
            if not old.finished:
                old.done = old.done or anyio.Event()
                await old.done.wait()
            await old.outlet.close()
        factory = next((f for p, f in self._factories.items() if msg.topic.startswith(p)), None)
        if factory is None:
            await self._reply(msg, "error", {"reason": "unmatched topic"})
            return
        if len(self._joined) >= self._max_channels:
            await self._reply(msg, "error", {"reason": "too many channels joined"})
            return
        outlet = Outlet(self, msg.topic, msg.join_ref if msg.join_ref is not None else msg.ref)
        try:
            channel = factory(msg, outlet, self._connection)
        except Exception:
            logger.exception("could not create a channel for %s", msg.topic)
            await self._reply(msg, "error", {"reason": "join crashed"})
            return
        joined = _Joined(outlet, channel)
        self._joined[msg.topic] = joined
        self._connection.register(msg.topic, channel)
        self._run_channel(joined)

    def _run_channel(self, joined: _Joined) -> None:
        """Start a task running ``joined``'s channel, unless one runs or it has ended."""
        if joined.running or joined.finished or self._tg is None:
            return
        joined.running = True
        # in the context its last task left (a context variable set in mount is still set in
        # handle_event, as in one long-lived task), first the socket's: never the waker's
        # (another view's broadcast...)
        (joined.context or self._context).run(self._tg.start_soon, self._serve_channel, joined)

    def _wake(self, outlet: Outlet) -> None:
        joined = self._joined.get(outlet.topic)
        if joined is None or joined.outlet is not outlet:
            return
        waiting = joined.waiting
        if waiting is None:
            self._run_channel(joined)
        else:  # its task waits for mail (``_lingered``)
            joined.waiting = None
            assert self._linger is not None
            self._linger.end(waiting)

    def _stop(self, joined: _Joined) -> None:
        """End ``joined``'s channel: its mailbox closes, a running task is cancelled, an idle
        channel gets a task to end in (``terminate`` and the like run there, never here)."""
        joined.stopped = True
        joined.channel.close()
        if joined.scope is not None:
            joined.scope.cancel()
        self._run_channel(joined)

    def _start_soon(self, job: Callable[[], Coroutine[Any, Any, None]]) -> bool:
        if self._tg is None or self._scope is None or self._scope.cancel_called:
            return False
        self._tg.start_soon(job)
        return True

    async def _serve_channel(self, joined: _Joined) -> None:
        ended = True  # unless run says the channel is merely idle
        scope = joined.scope = anyio.CancelScope()
        if joined.stopped:
            scope.cancel()
        lingers = joined.served and self._linger is not None  # not after the join
        joined.served = True
        try:
            with scope:
                ended = await joined.channel.run()
                if lingers and not ended:
                    wake = anyio.Semaphore(0)  # released when it is to go on (one per task)
                    while not ended and await self._lingered(joined, wake):
                        ended = await joined.channel.run()
        except Exception:
            # channels handle errors in user code themselves; this is a bug in pylive
            logger.exception("channel %s failed", joined.outlet.topic)
            with anyio.CancelScope(shield=True), anyio.move_on_after(_CLEANUP_TIMEOUT):
                await joined.outlet.error()
        finally:
            joined.scope = None
            joined.running = False
            joined.context = None if ended else contextvars.copy_context()
            if ended:
                if self._joined.get(joined.outlet.topic) is joined:
                    del self._joined[joined.outlet.topic]
                self._connection.unregister(joined.outlet.topic, joined.channel)
                joined.finished = True
                joined.outlet.ended()
                if joined.done is not None:
                    joined.done.set()
            elif joined.stopped:
                # stopped while idle or waiting for mail (then the socket's cancellation may
                # end this task before ``run`` could): it ends in a task of its own now
                self._run_channel(joined)

    async def _lingered(self, joined: _Joined, wake: anyio.Semaphore) -> bool:
        """Wait for ``joined``'s next mail, up to ``Linger``'s time: whether some came (else
        the task ends, and the next mail starts one)."""
        assert self._linger is not None
        joined.waiting = wake
        self._linger.begin(wake)
        try:
            await wake.acquire()
        finally:
            woken = joined.waiting is None  # ``_wake`` cleared it
            joined.waiting = None
            self._linger.end(wake)  # forgotten, if cancelled
        return woken

    async def _reply(self, msg: Message, status: str, response: dict[str, Any]) -> None:
        # the reader queues its own replies: it must get back to receive() at once
        payload = {"status": status, "response": response}
        await self._enqueue(encode(Message(msg.join_ref, msg.ref, msg.topic, "phx_reply", payload)))


class Heartbeats:
    """Closes the sockets that sent nothing, not even a heartbeat, for ``timeout`` seconds.

    One task (``run``) watches every socket: a task per connection would cost more memory than
    an idle LiveView. It checks every ``timeout / 2`` (sockets only count frames: reading a
    clock per frame costs more), so a silent peer is closed after between ``timeout`` and
    ``1.5 * timeout`` seconds, counted from its last frame or from ``watch``.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._watched: dict[PhoenixSocket, tuple[int, int]] = {}  # frames seen, quiet checks

    def watch(self, socket: PhoenixSocket) -> None:
        """Start watching ``socket`` (the first check counts as a sign of life)."""
        self._watched[socket] = (socket.frames_received, -1)

    def unwatch(self, socket: PhoenixSocket) -> None:
        """Stop watching ``socket`` (it ended)."""
        self._watched.pop(socket, None)

    async def run(self) -> None:
        """Check every ``timeout / 2`` seconds, until cancelled."""
        while True:
            await anyio.sleep(self.timeout / 2)
            self.check()

    def check(self) -> None:
        """One round: close each socket silent since the check before the previous one."""
        for socket, (seen, quiet) in list(self._watched.items()):
            frames = socket.frames_received
            quiet = quiet + 1 if frames == seen else 0
            if quiet >= 2:
                logger.info("closing a socket silent for %.0f s (no heartbeat)", self.timeout)
                del self._watched[socket]
                socket.close(GOING_AWAY)
            else:
                self._watched[socket] = (frames, quiet)


class _LastSocketContext(threading.local):
    """Per thread: a context is entered (``Context.run``) by one thread at a time, and each
    event loop runs in a thread of its own."""

    context = contextvars.Context()


_last_socket = _LastSocketContext()


def _socket_context() -> contextvars.Context:
    """A copy of the current context for a new socket, or the last socket's of this thread when
    every variable has the same value there (every connection of an app sets the same ones):
    each socket would otherwise keep a copy, with the mapping its app's variables made."""
    last, context = _last_socket.context, contextvars.copy_context()
    if len(context) == len(last) and all(
        last.get(var, context) is value for var, value in context.items()
    ):  # (the context itself is no variable's value)
        return last
    _last_socket.context = context
    return context


class Linger:
    """How long a channel's task waits for more mail before it ends: between ``seconds`` and
    twice that since its last message.

    A new task per message (anyio's task handle, two cancel scopes, the task group's
    bookkeeping) was about 40% of pylive's own instructions for a counter click: a view in use
    keeps its task, a view left alone holds none. One task (``run``) ends the waits of every
    socket: a timer per wait (a cancel scope with a deadline) would cost half of what the
    waiting saves. A task waits on a semaphore of its own, made once: an ``anyio.Event`` per
    wait costs four times as much as the asyncio one below it.
    """

    def __init__(self, seconds: float = 1.0) -> None:
        self.seconds = seconds
        self._waiting: dict[anyio.Semaphore, bool] = {}  # each wait's: seen by a check

    def begin(self, wake: anyio.Semaphore) -> None:
        """A task waits on ``wake`` (acquires it): ``end`` or a check releases it."""
        self._waiting[wake] = False

    def end(self, wake: anyio.Semaphore) -> None:
        """End the wait on ``wake`` now (a no-op for one ended already)."""
        if self._waiting.pop(wake, None) is not None:
            wake.release()

    async def run(self) -> None:
        """Check every ``seconds``, until cancelled."""
        while True:
            await anyio.sleep(self.seconds)
            self.check()

    def check(self) -> None:
        """One round: end the waits that began before the previous round."""
        waiting = self._waiting
        for wake, seen in list(waiting.items()):
            if seen:
                del waiting[wake]
                wake.release()
            else:
                waiting[wake] = True


def _too_big(frame: str | bytes, limit: int) -> bool:
    """Whether ``frame`` is over ``limit`` bytes as sent (UTF-8 for text); a text frame is
    encoded to count only if it could be (a character takes up to 4 bytes)."""
    if len(frame) > limit:
        return True
    return isinstance(frame, str) and len(frame) * 4 > limit and len(frame.encode()) > limit
