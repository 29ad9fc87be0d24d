"""``LiveApp(address_rate_limit=AddressRateLimit(page_loads=..., sockets=...))``: a client
address over its rate of page loads gets HTTP 429 with ``retry-after``; over its rate of new
live sockets, WebSocket and long-poll together, the socket is refused (429 under a server with
the ASGI denial response, else a close with 1013). Other addresses are not touched, the counts
start again with the next window, and the counters of a window are dropped after it ends."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import orjson
import pytest
import websockets
from fuzzing import Healthy
from served import behind_proxy, hypercorn_serving
from test_connection_limits import ASYNCIO_ONLY, LONGPOLL, SOCKET, WAIT

from pylive import LiveApp, LiveRoute
from pylive.address_rate_limit import AddressRateLimit, AddressRates
from pylive.browser_headers import SECURE_BROWSER_HEADERS
from pylive.testing import phoenix
from pylive.testing.asgi import WebSocketClosed, connect_websocket, http_request

pytestmark = pytest.mark.anyio


def _app(**limit: str) -> LiveApp:
    return LiveApp(
        [LiveRoute("/", Healthy)],
        secret_key="k",
        address_rate_limit=AddressRateLimit(**limit),
    )


def _from(address: str) -> list[tuple[str, str]]:
    return [("x-forwarded-for", address)]


async def _until(condition: Any) -> None:
    with anyio.fail_after(WAIT):
        while not condition():
            await anyio.sleep(0.02)


# ---------------------------------------------------------------------- the counters


def test_a_limit_is_written_in_the_limits_notation() -> None:
    AddressRateLimit(page_loads="60/minute", sockets="5 per second; 100/hour")
    for bad in ("60", "sixty a minute", "60/fortnight", ""):
        with pytest.raises(ValueError, match=r"AddressRateLimit\(sockets="):
            AddressRateLimit(sockets=bad)


def test_each_address_and_each_kind_counts_apart() -> None:
    rates = AddressRates(AddressRateLimit(page_loads="2/minute", sockets="1/minute"))
    assert rates.page_load("1.1.1.1") is None and rates.page_load("1.1.1.1") is None
    wait = rates.page_load("1.1.1.1")
    assert wait is not None and 1 <= wait <= 60
    assert rates.page_load("2.2.2.2") is None  # another address
    assert rates.socket("1.1.1.1") is None  # another kind
    assert rates.socket("1.1.1.1") is not None
    assert all(rates.page_load(None) is None for _ in range(10))  # no address: not counted


def test_with_several_limits_the_longest_wait_is_told() -> None:
    rates = AddressRates(AddressRateLimit(sockets="1/second; 2/hour"))
    assert rates.socket("1.1.1.1") is None
    short = rates.socket("1.1.1.1")
    assert short is not None and short <= 1
    assert rates.socket("1.1.1.1") is not None


def test_nothing_is_counted_without_a_limit() -> None:
    rates = AddressRates(None)
    assert all(rates.socket("1.1.1.1") is None for _ in range(1000))
    assert rates.counters == 0


async def test_counters_are_dropped_when_their_window_ends() -> None:
    rates = AddressRates(AddressRateLimit(page_loads="1 per 5 seconds"))  # room for the loop
    for n in range(2000):
        assert rates.page_load(f"10.0.{n // 256}.{n % 256}") is None
    assert rates.counters == 2000
    assert rates.page_load("10.0.0.0") is not None
    # the storage sweeps expired counters after each request: once the window is over, the
    # next request (another address's) leaves only its own
    with anyio.fail_after(WAIT):
        while rates.counters > 1:
            rates.page_load("192.0.2.1")
            await anyio.sleep(0.05)
    assert rates.page_load("10.0.0.0") is None  # a new window


# ---------------------------------------------------------------------- page loads


async def test_a_page_load_over_the_rate_gets_429_with_retry_after() -> None:
    app = behind_proxy(_app(page_loads="2/minute"))
    for _ in range(2):
        assert (await http_request(app, "GET", "/", headers=_from("203.0.113.1"))).status == 200
    refused = await http_request(app, "GET", "/", headers=_from("203.0.113.1"))
    assert refused.status == 429
    wait = int(refused.header("retry-after") or "0")
    assert 1 <= wait <= 60
    assert refused.text == f"Too many requests: try again in {wait} s."
    for name, value in SECURE_BROWSER_HEADERS.items():
        assert refused.header(name) == value
    other = await http_request(app, "GET", "/", headers=_from("203.0.113.2"))
    assert other.status == 200 and "data-phx-main" in other.text


async def test_page_loads_count_again_in_the_next_window() -> None:
    app = _app(page_loads="1 per 3 seconds")  # both first loads fall in one window
    assert (await http_request(app, "GET", "/")).status == 200
    assert (await http_request(app, "GET", "/")).status == 429
    with anyio.fail_after(WAIT):
        while (await http_request(app, "GET", "/")).status == 429:
            await anyio.sleep(0.1)


async def test_live_sockets_are_not_page_loads() -> None:
    app = _app(page_loads="1/minute")
    assert (await http_request(app, "GET", "/")).status == 200
    for _ in range(3):
        async with phoenix.connect(app) as conn:
            await conn.call("phoenix", "heartbeat", {})
    assert (await http_request(app, "GET", "/")).status == 429


# ---------------------------------------------------------------------- new sockets


async def test_websockets_and_long_poll_sessions_share_the_rate_of_new_sockets() -> None:
    live = _app(sockets="2/minute")
    app = behind_proxy(live)
    async with connect_websocket(app, SOCKET, headers=_from("203.0.113.1")):
        pass
    opened = await http_request(app, "GET", LONGPOLL, headers=_from("203.0.113.1"))
    assert orjson.loads(opened.body)["status"] == 410  # opened
    with pytest.raises(WebSocketClosed) as refused:
        async with connect_websocket(app, SOCKET, headers=_from("203.0.113.1")):
            pass
    assert refused.value.code == 1013  # no denial response in this scope: try again later
    poll = await http_request(app, "GET", LONGPOLL, headers=_from("203.0.113.1"))
    assert (poll.status, poll.body) == (429, b"")  # empty: the client retries with backoff
    assert 1 <= int(poll.header("retry-after") or "0") <= 60
    assert poll.header("x-content-type-options") == "nosniff"
    async with connect_websocket(app, SOCKET, headers=_from("203.0.113.2")):
        pass  # another address
    assert (await http_request(app, "GET", "/", headers=_from("203.0.113.1"))).status == 200
    await live.close_sockets()
    assert live.runtime.limits.open == 0  # a refused socket took no slot


async def test_sockets_open_again_in_the_next_window() -> None:
    app = _app(sockets="1 per 3 seconds")  # both first sockets fall in one window
    async with phoenix.connect(app) as first:
        with pytest.raises(WebSocketClosed):
            async with phoenix.connect(app):
                pass
        await first.call("phoenix", "heartbeat", {})  # the open socket goes on
    with anyio.fail_after(WAIT):
        while True:
            try:
                async with phoenix.connect(app) as again:
                    await again.call("phoenix", "heartbeat", {})
                break
            except WebSocketClosed:
                await anyio.sleep(0.1)


# ---------------------------------------------------------------------- under hypercorn


@ASYNCIO_ONLY
async def test_hypercorn_answers_429_with_retry_after_to_a_handshake_and_a_page() -> None:
    app = _app(sockets="1/minute", page_loads="1/minute")
    async with hypercorn_serving(app) as base:  # its first GET / is the one page load allowed
        url = f"ws://{base}{SOCKET}"
        async with websockets.connect(url, open_timeout=WAIT) as first:
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with websockets.connect(url, open_timeout=WAIT):
                    pass
            response = refused.value.response
            assert response.status_code == 429
            assert 1 <= int(response.headers["retry-after"]) <= 60
            await first.send('["1","1","phoenix","heartbeat",{}]')
            assert "phx_reply" in str(await first.recv())
        async with httpx.AsyncClient(timeout=WAIT) as client:
            poll = await client.get(f"http://{base}{LONGPOLL}")
            page = await client.get(f"http://{base}/")
        assert (poll.status_code, poll.content) == (429, b"")
        assert page.status_code == 429 and "retry-after" in page.headers
