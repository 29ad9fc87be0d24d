"""The Phoenix socket: handshake, heartbeats, Phoenix's routing rules, bad input; and the view
socket's ``assign_new`` and ``update``."""

from __future__ import annotations

import gc
import types
from typing import Any

import anyio
import htpy as h
import orjson
import pytest
from diff_values import client_html, diff_reply
from live_apps import make_app
from live_socket import join, open_page

from pylive import Assigns, LiveApp, LiveRoute, LiveView
from pylive.connection import ConnectInfo, Connection
from pylive.effects import Effects
from pylive.phoenix_socket import Outlet, PhoenixSocket
from pylive.socket import BaseSocket, Socket
from pylive.testing import live, phoenix
from pylive.testing.asgi import WebSocketClosed, connect_websocket
from pylive.testing.phoenix import Frame
from pylive.transport.base import Transport, TransportClosed
from pylive.transport.serializer import Message

pytestmark = pytest.mark.anyio

INC = {"type": "click", "event": "inc", "value": {"value": ""}}


async def test_heartbeat_is_answered_on_the_phoenix_topic() -> None:
    async with phoenix.connect(make_app()) as conn:
        ref = await conn.heartbeat()
        assert await conn.receive() == Frame(
            None, ref, "phoenix", "phx_reply", {"status": "ok", "response": {}}
        )


async def test_handshake_refuses_other_serializer_versions() -> None:
    with pytest.raises(WebSocketClosed):
        async with connect_websocket(make_app(), "/live/websocket?vsn=1.0.0"):
            pass


async def test_handshake_refuses_foreign_origin_and_accepts_own() -> None:
    app = make_app()
    with pytest.raises(WebSocketClosed):
        async with phoenix.connect(app, origin="http://evil.example"):
            pass
    async with phoenix.connect(app, origin="http://testserver") as conn:
        assert conn.ws.subprotocol is None


async def test_phoenix_subprotocol_is_echoed() -> None:
    protocols = ["phoenix", "base64url.bearer.phx.abc"]
    async with connect_websocket(
        make_app(), "/live/websocket?vsn=2.0.0", subprotocols=protocols
    ) as ws:
        assert ws.subprotocol == "phoenix"


async def test_unknown_topics_and_events_on_unjoined_topics() -> None:
    async with phoenix.connect(make_app()) as conn:
        assert await conn.expect_reply(await conn.join("room:1", {})) == (
            "error",
            {"reason": "unmatched topic"},
        )
        assert await conn.call("lv:nope", "event", INC) == (
            "error",
            {"reason": "unmatched topic"},
        )
        # leaving a topic that is not joined is fine
        assert await conn.call("lv:nope", "phx_leave", {}) == ("ok", {})


async def test_outdated_join_ref_is_dropped_and_current_one_served() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        await conn.push(page.topic, "event", INC, join_ref="999")  # silently dropped
        assert diff_reply(await conn.call(page.topic, "event", INC)) == ("ok", ["1"])


async def test_duplicate_join_closes_the_old_instance_then_joins() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        old = conn.join_refs[page.topic]
        await conn.call(page.topic, "event", INC)
        ref = await conn.join(page.topic, page.join_payload(mounts=1))
        assert await conn.receive() == Frame(old, old, page.topic, "phx_close", {})
        status, response = await conn.expect_reply(ref)
        assert status == "ok"
        html = client_html(page.view_id, response["rendered"])
        assert "<p>Count: 0</p>" in html  # a fresh mount
        assert diff_reply(await conn.call(page.topic, "event", INC)) == ("ok", ["1"])


async def test_leave_closes_then_replies_and_frees_the_topic() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        jr = conn.join_refs[page.topic]
        ref = await conn.push(page.topic, "phx_leave", {})
        assert await conn.receive() == Frame(jr, jr, page.topic, "phx_close", {})
        assert await conn.expect_reply(ref) == ("ok", {})
        assert await conn.call(page.topic, "event", INC) == (
            "error",
            {"reason": "unmatched topic"},
        )


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", 1007),
        ('{"a": 1}', 1007),
        ('[null, 1, "phoenix", "heartbeat", {}]', 1007),
        (b"\x01\x00", 1007),
        ("[" + " " * (1 << 20) + "]", 1009),
    ],
)
async def test_malformed_or_oversized_frames_close_the_socket(
    frame: str | bytes, code: int
) -> None:
    async with phoenix.connect(make_app()) as conn:
        await conn.ws.send(frame)
        assert await conn.expect_close() == code


async def test_binary_push_is_decoded_and_routed() -> None:
    async with phoenix.connect(make_app()) as conn:
        head = [b"", b"5", b"lvu:0", b"chunk"]
        frame = bytes([0, *(len(h) for h in head)]) + b"".join(head) + b"\x00\xffdata"
        await conn.ws.send(frame)
        # no upload channel yet: a push to an unjoined topic gets the usual error reply
        assert await conn.receive() == Frame(
            None,
            "5",
            "lvu:0",
            "phx_reply",
            {"status": "error", "response": {"reason": "unmatched topic"}},
        )


async def test_a_silent_peer_is_closed_by_the_watchdog() -> None:
    async with phoenix.connect(make_app(heartbeat_timeout=0.1)) as conn:
        assert await conn.expect_close() == 1001


async def test_a_peer_sending_heartbeats_stays_connected() -> None:
    async with phoenix.connect(make_app(heartbeat_timeout=0.5)) as conn:
        for _ in range(12):  # 1.2 s: more than twice the timeout (a slow CI machine has slack)
            assert await conn.expect_reply(await conn.heartbeat()) == ("ok", {})
            await anyio.sleep(0.1)


async def test_close_sockets_closes_every_live_socket_with_1001() -> None:
    app = make_app()
    async with phoenix.connect(app) as conn1, phoenix.connect(app) as conn2:
        # both sockets are registered once they answer
        assert await conn1.expect_reply(await conn1.heartbeat()) == ("ok", {})
        assert await conn2.expect_reply(await conn2.heartbeat()) == ("ok", {})
        async with anyio.create_task_group() as tg:
            tg.start_soon(app.close_sockets)
            assert await conn1.expect_close() == 1001
            assert await conn2.expect_close() == 1001


async def test_an_idle_connection_keeps_few_coroutines_alive() -> None:
    """Per-connection memory: while a socket waits for its next frame, the app's own call
    serves it (no coroutine of a helper stays alive between it and the runtime)."""
    app = make_app()

    def reader() -> list[str]:
        """The coroutines of the app's call, outermost first."""
        (call,) = [  # this app's call that is still running (other tests' may linger)
            o
            for o in gc.get_objects()
            if type(o) is types.CoroutineType  # (isinstance would run lazy objects' code)
            and o.cr_code is LiveApp.__call__.__code__
            and o.cr_frame is not None
            and o.cr_frame.f_locals.get("self") is app
        ]
        chain = []
        awaited: Any = call
        while isinstance(awaited, types.CoroutineType):
            chain.append(awaited.cr_code.co_qualname)
            awaited = awaited.cr_await
        return chain

    async with phoenix.connect(app) as conn:
        assert await conn.expect_reply(await conn.heartbeat()) == ("ok", {})
        with anyio.move_on_after(10):  # the reader may still be queueing the reply
            while "WebSocketTransport.receive" not in reader():
                await anyio.sleep(0.01)
        assert reader()[:4] == [
            "LiveApp.__call__",
            "Runtime.serve",
            "PhoenixSocket.run",
            "WebSocketTransport.receive",
        ]


# --------------------------------------------------------------------------- socket alone


class _MemoryTransport:
    """A Transport made of two memory streams (the socket is transport-agnostic)."""

    def __init__(self) -> None:
        self.inbound_send, self.inbound = anyio.create_memory_object_stream[str | bytes | None](10)
        self.outbound, self.outbound_recv = anyio.create_memory_object_stream[str](100)
        self.closed: int | None = None

    async def receive(self) -> str | bytes | None:
        return await self.inbound.receive()

    async def send(self, frame: str) -> None:
        await self.outbound.send(frame)

    async def close(self, code: int) -> None:
        self.closed = code

    def dispose(self) -> None:
        for stream in (self.inbound_send, self.inbound, self.outbound, self.outbound_recv):
            stream.close()


class _EchoChannel:
    """A minimal channel: joins ok and echoes every message as a reply; an ``x`` message to
    ``echo:n`` whose payload names a ``sibling`` topic is answered with whether that channel is
    joined on the same connection."""

    def __init__(self, join: Message, outlet: Outlet, connection: Connection[None]) -> None:
        self._join, self._out, self._connection = join, outlet, connection
        self._in, self._mail = anyio.create_memory_object_stream[Message](10)

    async def deliver(self, message: Message) -> None:
        await self._in.send(message)

    async def run(self) -> bool:
        await self._out.reply(self._join.ref, {})
        async with self._in, self._mail:
            async for msg in self._mail:
                sibling = msg.payload.get("sibling") if isinstance(msg.payload, dict) else None
                if sibling is not None:
                    found = self._connection.channels.get(sibling)
                    await self._out.reply(msg.ref, {"found": found is not None})
                else:
                    await self._out.reply(msg.ref, {"echo": msg.payload})
        return True

    def close(self) -> None:
        self._in.close()
        self._mail.close()


def _socket(transport: Transport, **options: Any) -> PhoenixSocket:
    connection = Connection(None, ConnectInfo(session={}, root_path=""), transport)
    return PhoenixSocket(connection, {"echo:": _EchoChannel}, **options)


async def test_channel_cap_and_strict_order_on_a_bare_socket() -> None:
    transport = _MemoryTransport()
    socket = _socket(transport, max_channels=3)

    async def frames(n: int) -> list[list[Any]]:
        with anyio.fail_after(10):
            return [orjson.loads(await transport.outbound_recv.receive()) for _ in range(n)]

    async with anyio.create_task_group() as tg:
        tg.start_soon(socket.run)
        for i in range(4):
            await transport.inbound_send.send(f'["j{i}","j{i}","echo:{i}","phx_join",{{}}]')
        # replies of different channels may interleave; each channel's own order is strict
        replies = {r[2]: r[4] for r in await frames(4)}
        assert [replies[f"echo:{i}"] for i in range(3)] == [{"status": "ok", "response": {}}] * 3
        assert replies["echo:3"] == {
            "status": "error",
            "response": {"reason": "too many channels joined"},
        }
        for i in range(20):
            await transport.inbound_send.send(f'["j0","r{i}","echo:0","x",{{"i":{i}}}]')
        assert [f[4]["response"]["echo"]["i"] for f in await frames(20)] == list(range(20))
        await transport.inbound_send.send(None)  # the peer leaves
    transport.dispose()
    assert transport.closed is None  # nothing to close: the peer is gone


class _GatedTransport(_MemoryTransport):
    """Sends wait while the gate is shut, like a peer that stopped reading."""

    def __init__(self) -> None:
        super().__init__()
        self.gate: anyio.Event | None = None
        self.sending = 0

    async def send(self, frame: str) -> None:
        self.sending += 1
        if self.gate is not None:
            await self.gate.wait()
        await super().send(frame)


async def test_frames_keep_their_order_while_a_direct_write_is_stuck() -> None:
    # a channel's frame goes straight to the transport when the line is free; while that
    # write is stuck, the reader's replies and other channels' frames queue behind it
    transport = _GatedTransport()
    socket = _socket(transport)
    async with anyio.create_task_group() as tg:
        tg.start_soon(socket.run)
        for i in range(2):
            await transport.inbound_send.send(f'["j{i}","j{i}","echo:{i}","phx_join",{{}}]')
        with anyio.fail_after(10):
            joined = [await transport.outbound_recv.receive() for _ in range(2)]
        assert sorted(orjson.loads(f)[1] for f in joined) == ["j0", "j1"]
        transport.gate = anyio.Event()
        await transport.inbound_send.send('["j0","a","echo:0","x",{}]')
        with anyio.fail_after(10):
            while transport.sending < 3:  # the echo of "a" is being written
                await anyio.sleep(0.001)
        await transport.inbound_send.send('["j1","b","echo:1","x",{}]')
        await transport.inbound_send.send('[null,"hb","phoenix","heartbeat",{}]')
        await transport.inbound_send.send('["j0","c","echo:0","x",{}]')
        await anyio.wait_all_tasks_blocked()  # b, hb and c are read and wait behind it
        assert transport.sending == 3  # nothing overtook the stuck write
        transport.gate.set()
        with anyio.fail_after(10):
            refs = [orjson.loads(await transport.outbound_recv.receive())[1] for _ in range(4)]
        # the stuck frame first, then the rest (the reader's heartbeat reply and channel 1's
        # echo are produced by different tasks, in either order)
        assert refs[0] == "a" and sorted(refs) == ["a", "b", "c", "hb"]
        await transport.inbound_send.send(None)
    transport.dispose()


class _VanishingTransport(_MemoryTransport):
    """Reads go on, but every write finds the peer gone."""

    async def send(self, frame: str) -> None:
        raise TransportClosed("peer gone")


@pytest.mark.parametrize("first", ["join", "heartbeat"])
async def test_a_failed_write_ends_the_socket_whoever_writes(first: str) -> None:
    # a channel's join reply goes out directly; a heartbeat reply through the writer task
    transport = _VanishingTransport()
    socket = _socket(transport)
    frame = {
        "join": '["j0","j0","echo:0","phx_join",{}]',
        "heartbeat": '[null,"hb","phoenix","heartbeat",{}]',
    }[first]
    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(socket.run)
            await transport.inbound_send.send(frame)
        # socket.run returned by itself: nothing is left waiting on the dead peer
    transport.dispose()
    assert transport.closed is None


async def test_channels_find_their_siblings_through_the_connection() -> None:
    transport = _MemoryTransport()
    socket = _socket(transport)

    async def reply() -> Any:
        with anyio.fail_after(10):
            return orjson.loads(await transport.outbound_recv.receive())[4]["response"]

    async with anyio.create_task_group() as tg:
        tg.start_soon(socket.run)
        await transport.inbound_send.send('["1","1","echo:a","phx_join",{}]')
        assert await reply() == {}
        await transport.inbound_send.send('["1","2","echo:a","x",{"sibling":"echo:b"}]')
        assert await reply() == {"found": False}
        await transport.inbound_send.send('["3","3","echo:b","phx_join",{}]')
        assert await reply() == {}
        await transport.inbound_send.send('["1","4","echo:a","x",{"sibling":"echo:b"}]')
        assert await reply() == {"found": True}
        await transport.inbound_send.send(None)
    transport.dispose()


# --------------------------------------------------------------------------- assign_new, update


def test_assign_new_assigns_only_a_missing_key_and_marks_it_changed() -> None:
    effects = Effects.for_view()
    socket = Socket("phx-1", effects)
    effects.rendered()
    calls: list[str] = []

    def load() -> str:
        calls.append("load")
        return "ada"

    assert socket.assign_new("user", load) is socket
    assert socket.assigns.user == "ada" and socket.changed == {"user"}
    effects.rendered()
    socket.assign_new("user", load)  # already assigned: fn is not called, nothing changes
    assert calls == ["load"] and socket.changed == frozenset()
    socket.assign(user=None).assign_new("user", load)  # None is a value too
    assert socket.assigns.user is None and calls == ["load"]


def test_assign_new_passes_the_assigns_to_a_one_argument_function() -> None:
    socket = Socket("phx-1").assign(user="ada")

    def org_of(assigns: Assigns) -> str:
        return f"{assigns.user}'s org"

    socket.assign_new("org", org_of).assign_new("tags", list).assign_new("n", lambda: 1)
    assert socket.assigns.org == "ada's org"
    assert socket.assigns.tags == [] and socket.assigns.n == 1


def test_update_applies_fn_to_the_current_value_like_assign() -> None:
    effects = Effects({"count": 1, "tags": ["a"]})
    socket = BaseSocket(effects, None)  # what a LiveComponent's socket is: it has both too
    effects.rendered()
    assert socket.update("count", lambda n: n + 1) is socket
    assert socket.assigns.count == 2 and socket.changed == {"count"}
    effects.rendered()
    socket.update("count", lambda n: n)  # an equal scalar is no change
    assert socket.changed == frozenset()
    socket.update("tags", lambda tags: [*tags, "b"])
    assert socket.assigns.tags == ["a", "b"] and socket.changed == {"tags"}


def test_update_of_a_missing_key_raises_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="'count'"):
        Socket("phx-1").update("count", lambda n: n + 1)


async def test_assign_new_and_update_in_a_live_view() -> None:
    class Counter(LiveView):
        async def mount(
            self, socket: Socket, params: dict[str, Any], session: dict[str, Any]
        ) -> None:
            socket.assign_new("count", lambda: int(params.get("start", 0)))

        async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
            socket.update("count", lambda n: n + 1)

        def render(self, assigns: Assigns) -> h.Element:
            return h.button("#inc", phx_click="inc")[assigns.count]

    app = LiveApp([LiveRoute("/", Counter)], secret_key="test-secret")
    async with live(app, "/?start=4") as view:
        assert view.element("#inc").text == "4"
        await view.click("#inc")
        assert view.element("#inc").text == "5"
