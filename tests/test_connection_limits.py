"""``LiveApp(max_connections=..., max_connections_per_address=...)``: a live socket over either
limit is refused (HTTP 503 under a server with the ASGI denial response, else a close with
1013) over the WebSocket and long-poll alike; open sockets go on, and a freed slot is taken by
the next socket. The address is the ASGI ``client``, which only the server (here hypercorn's
``ProxyFixMiddleware``) may take from ``X-Forwarded-For``."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from typing import Any

import anyio
import httpx
import orjson
import pytest
import websockets
from fuzzing import Healthy
from served import behind_proxy, hypercorn_serving
from starlette.types import ASGIApp

from pylive import LiveApp, LiveRoute
from pylive.connection_limits import ConnectionLimits, client_address
from pylive.testing import phoenix
from pylive.testing.asgi import AsgiWebSocket, WebSocketClosed, connect_websocket, http_request
from pylive.transport.longpoll import LongPoll

pytestmark = pytest.mark.anyio

WAIT = 30.0
"""Seconds any condition may take (generous: the machine may be loaded)."""
SOCKET = "/live/websocket?vsn=2.0.0"
LONGPOLL = "/live/longpoll?vsn=2.0.0"


def _app(**kw: Any) -> LiveApp:
    return LiveApp([LiveRoute("/", Healthy)], secret_key="k", **kw)


async def _until(condition: Any) -> None:
    with anyio.fail_after(WAIT):
        while not condition():
            await anyio.sleep(0.01)


# ---------------------------------------------------------------------- the counts


def test_the_total_cap_refuses_until_a_slot_is_released() -> None:
    limits = ConnectionLimits(total=2)
    assert limits.admit("1.1.1.1") and limits.admit(None)
    assert not limits.admit("2.2.2.2")
    limits.release("1.1.1.1")
    assert limits.open == 1
    assert limits.admit("2.2.2.2") and not limits.admit("3.3.3.3")


def test_the_per_address_limit_counts_each_address_apart() -> None:
    limits = ConnectionLimits(per_address=2)
    assert limits.admit("1.1.1.1") and limits.admit("1.1.1.1")
    assert not limits.admit("1.1.1.1")
    assert limits.admit("2.2.2.2")
    assert limits.admit(None) and limits.admit(None) and limits.admit(None)  # no address: total
    limits.release("1.1.1.1")
    assert limits.admit("1.1.1.1") and not limits.admit("1.1.1.1")
    for _ in range(2):
        limits.release("1.1.1.1")
    assert limits.admit("1.1.1.1") and limits.admit("1.1.1.1")


def test_limits_below_one_are_errors() -> None:
    with pytest.raises(ValueError, match="max_connections must be at least 1"):
        _app(max_connections=0)
    with pytest.raises(ValueError, match="max_connections_per_address must be at least 1"):
        _app(max_connections_per_address=0)


def test_no_limits_by_default() -> None:
    limits = _app().runtime.limits
    assert all(limits.admit("1.1.1.1") for _ in range(1000))


def test_a_refusal_is_logged_once_per_burst(caplog: pytest.LogCaptureFixture) -> None:
    limits = ConnectionLimits(total=1, per_address=1)
    with caplog.at_level(logging.WARNING, "pylive"):
        assert limits.admit("1.1.1.1")
        for _ in range(3):
            assert not limits.admit("2.2.2.2")
        limits.release("1.1.1.1")
        assert limits.admit("1.1.1.1")  # the burst is over
        assert not limits.admit("2.2.2.2")  # a new one
    assert [r.getMessage() for r in caplog.records] == [
        "refusing live sockets (HTTP 503) while 1 live sockets are open (max_connections=1)"
    ] * 2
    caplog.clear()
    limits = ConnectionLimits(per_address=1)
    with caplog.at_level(logging.WARNING, "pylive"):
        assert limits.admit("1.1.1.1") and limits.admit("2.2.2.2")
        for _ in range(3):
            assert not limits.admit("1.1.1.1")
            assert not limits.admit("2.2.2.2")
    assert sorted(r.getMessage() for r in caplog.records) == [
        f"refusing live sockets (HTTP 503) while {ip} has 1 open (max_connections_per_address=1)"
        for ip in ("1.1.1.1", "2.2.2.2")
    ]


def test_the_address_is_the_asgi_client() -> None:
    assert client_address({"client": ("10.0.0.7", 5123)}) == "10.0.0.7"
    assert client_address({"client": None}) is None
    assert client_address({}) is None


# ---------------------------------------------------------------------- in-process transports


async def test_a_websocket_over_the_cap_is_refused_until_one_closes() -> None:
    app = _app(max_connections=2)
    async with phoenix.connect(app) as first, phoenix.connect(app):
        with pytest.raises(WebSocketClosed) as refused:
            async with phoenix.connect(app):
                pass
        assert refused.value.code == 1013  # no denial response in this scope: try again later
        await first.call("phoenix", "heartbeat", {})  # the open sockets go on
    async with phoenix.connect(app), phoenix.connect(app):  # both slots are free again
        assert app.runtime.limits.open == 2
    assert app.runtime.limits.open == 0


async def test_a_refused_origin_gives_its_slot_back() -> None:
    app = _app(max_connections=1)
    for _ in range(3):
        with pytest.raises(WebSocketClosed) as refused:
            async with phoenix.connect(app, origin="https://evil.example"):
                pass
        assert refused.value.code == 1008
    async with phoenix.connect(app):
        pass


async def test_long_poll_sessions_count_and_are_refused_with_503() -> None:
    app = _app(max_connections=1, longpoll=LongPoll(window=0.2, timeout=0.5))
    opened = await http_request(app, "GET", LONGPOLL)
    assert orjson.loads(opened.body)["status"] == 410  # opened
    refused = await http_request(app, "GET", LONGPOLL)
    assert (refused.status, refused.body) == (503, b"")  # the client retries with backoff
    with pytest.raises(WebSocketClosed):  # one cap for both transports
        async with phoenix.connect(app):
            pass
    await _until(lambda: app.runtime.limits.open == 0)  # nobody polls: the session expires
    again = await http_request(app, "GET", LONGPOLL)
    assert orjson.loads(again.body)["status"] == 410
    await app.close_sockets()
    assert app.runtime.limits.open == 0


def _ws_from(app: ASGIApp, address: str) -> AbstractAsyncContextManager[AsgiWebSocket]:
    return connect_websocket(app, SOCKET, headers=[("x-forwarded-for", address)])


async def test_per_address_limit_with_the_address_from_a_trusted_proxy() -> None:
    live = _app(max_connections_per_address=1)
    proxied = behind_proxy(live)
    async with (
        _ws_from(proxied, "203.0.113.1"),
        _ws_from(proxied, "203.0.113.2"),
    ):
        with pytest.raises(WebSocketClosed):
            async with _ws_from(proxied, "203.0.113.1"):
                pass
        forwarded = [("x-forwarded-for", "203.0.113.2")]
        response = await http_request(proxied, "GET", LONGPOLL, headers=forwarded)
        assert response.status == 503  # long-poll too
    # without the proxy middleware the header is not read: every socket is 127.0.0.1's
    async with _ws_from(live, "203.0.113.1"):
        with pytest.raises(WebSocketClosed):
            async with _ws_from(live, "203.0.113.2"):
                pass


# ---------------------------------------------------------------------- under hypercorn


ASYNCIO_ONLY = pytest.mark.parametrize("anyio_backend", ["asyncio"])
"""The websockets client needs asyncio."""


@ASYNCIO_ONLY
async def test_hypercorn_refuses_the_handshake_with_503_then_accepts_a_freed_slot() -> None:
    app = _app(max_connections=1)
    async with hypercorn_serving(app) as base:
        url = f"ws://{base}{SOCKET}"
        async with websockets.connect(url, open_timeout=WAIT) as first:
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with websockets.connect(url, open_timeout=WAIT):
                    pass
            assert refused.value.response.status_code == 503
            async with httpx.AsyncClient(timeout=WAIT) as client:
                poll = await client.get(f"http://{base}{LONGPOLL}")
            assert (poll.status_code, poll.content) == (503, b"")
            await first.send('["1","1","phoenix","heartbeat",{}]')
            assert "phx_reply" in str(await first.recv())  # the open socket goes on
        await _until(lambda: app.runtime.limits.open == 0)
        async with websockets.connect(url, open_timeout=WAIT):
            pass


@ASYNCIO_ONLY
async def test_hypercorn_behind_a_proxy_counts_each_forwarded_address() -> None:
    live = _app(max_connections_per_address=1)
    async with hypercorn_serving(behind_proxy(live)) as base:
        url = f"ws://{base}{SOCKET}"

        def from_(address: str) -> Any:
            headers = {"X-Forwarded-For": address}
            return websockets.connect(url, open_timeout=WAIT, additional_headers=headers)

        async with from_("203.0.113.1"), from_("203.0.113.2"):
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with from_("203.0.113.1"):
                    pass
            assert refused.value.response.status_code == 503
            assert live.runtime.limits.open == 2
