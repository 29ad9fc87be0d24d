"""The long-poll route (``pylive.longpoll_endpoint``) in-process: the poll/publish cycle of
phoenix's long-poll protocol, its status codes, the token, the CSRF and Origin checks, and
sessions closing (and freeing their socket) once polls stop."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import anyio
import orjson
import pytest
from live_apps import make_app
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Scope

from pylive import LiveApp
from pylive.embedding import dispatch
from pylive.longpoll_endpoint import MAX_BODY, LongPollEndpoint
from pylive.testing.asgi import http_request
from pylive.testing.client import LiveClient
from pylive.testing.page import LivePage
from pylive.transport.base import TransportClosed
from pylive.transport.longpoll import BatchError, LongPoll, LongPollSession, parse_batch

pytestmark = pytest.mark.anyio

WAIT = 30.0
"""Seconds any condition may take (generous: the machine may be loaded)."""
UNMATCHED = {"status": "error", "response": {"reason": "unmatched topic"}}


class Poller:
    """What phoenix's ``longpoll.js`` does, one request at a time: this browser's cookies, the
    page's CSRF token and ``vsn`` in the URL, the session token once it has one."""

    def __init__(self, app: ASGIApp, client: LiveClient, page: LivePage) -> None:
        self.app = app
        self.client = client
        self.url = page.socket_path + "/longpoll"
        self.params = {"_csrf_token": page.csrf_token or "", "vsn": "2.0.0"}
        self.token: str | None = None
        self.frames: list[list[Any]] = []

    async def request(
        self,
        method: str,
        body: bytes = b"",
        *,
        token: str | None = None,
        headers: tuple[tuple[str, str], ...] = (),
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        query = {**self.params, **(params or {})}
        token = token or self.token
        if token is not None:
            query["token"] = token
        all_headers = [("cookie", self.client.cookies.header() or ""), *headers]
        response = await http_request(
            self.app,
            method,
            self.url + "?" + urlencode(query),
            headers=all_headers,
            body=body,
            timeout=WAIT,
        )
        assert response.status == 200, response.text
        assert response.header("cache-control") == "no-store"
        data: dict[str, Any] = orjson.loads(response.body)
        return data

    async def open(self) -> None:
        opened = await self.request("GET")
        assert opened["status"] == 410 and opened["messages"] == []
        self.token = opened["token"]

    async def send(self, *frames: list[Any] | bytes) -> dict[str, Any]:
        lines = [
            base64.b64encode(f).decode() if isinstance(f, bytes) else orjson.dumps(f).decode()
            for f in frames
        ]
        body = "\n".join(lines).encode()
        return await self.request("POST", body, headers=(("content-type", "application/x-ndjson"),))

    async def until(self, found: Callable[[list[Any]], bool]) -> list[Any]:
        """The first frame polled so far that matches ``found``, polling for more as needed
        (every frame polled lands in ``frames``)."""
        with anyio.fail_after(WAIT):
            while True:
                for frame in self.frames:
                    if found(frame):
                        return frame
                polled = await self.request("GET")
                assert polled["status"] in (200, 204), polled
                assert polled["token"] == self.token
                assert (polled["status"] == 200) == bool(polled["messages"])
                self.frames += [orjson.loads(text) for text in polled["messages"]]


def binary_push(ref: str, topic: str, event: str, payload: bytes) -> bytes:
    """A client's binary push as phoenix's serializer lays it out (no join ref)."""
    fields = [b"", ref.encode(), topic.encode(), event.encode()]
    return bytes([0, *(len(f) for f in fields)]) + b"".join(fields) + payload


def reply_to(ref: str) -> Callable[[list[Any]], bool]:
    return lambda frame: frame[1] == ref and frame[3] == "phx_reply"


async def poller_for(app: LiveApp, path: str = "/") -> Poller:
    client = LiveClient(app)
    page = client.page_of(await client.get(path))
    return Poller(app, client, page)


def endpoint_of(app: LiveApp) -> LongPollEndpoint:
    route = next(r for r in app.routes if getattr(r, "path", "") == "/live/longpoll")
    endpoint = getattr(route, "endpoint", None)
    assert isinstance(endpoint, LongPollEndpoint)
    return endpoint


async def join_counter(app: LiveApp) -> tuple[Poller, LivePage]:
    client = LiveClient(app)
    page = client.page_of(await client.get("/"))
    poller = Poller(app, client, page)
    await poller.open()
    assert (await poller.send(["1", "1", page.topic, "phx_join", page.join_payload()])) == {
        "status": 200
    }
    reply = await poller.until(reply_to("1"))
    assert reply[4]["status"] == "ok", reply
    return poller, page


async def test_join_event_and_diff_over_long_poll() -> None:
    app = make_app()
    poller, page = await join_counter(app)
    joined = poller.frames[-1][4]["response"]["rendered"]
    assert "Count: " in str(joined)
    click = {"type": "click", "event": "inc", "value": {}}
    heartbeat: list[Any] = [None, "3", "phoenix", "heartbeat", {}]
    # two frames in one POST, as the client batches them
    assert await poller.send(["1", "2", page.topic, "event", click], heartbeat) == {"status": 200}
    reply = await poller.until(reply_to("2"))
    assert reply[4] == {"status": "ok", "response": {"diff": {"0": "1"}}}
    await poller.until(reply_to("3"))
    assert len(app.runtime.sockets) == 1
    await app.close_sockets()


async def test_a_held_poll_answers_as_soon_as_a_frame_is_written() -> None:
    app = make_app(longpoll=LongPoll(window=1000.0, timeout=2000.0))  # only news ends a poll
    poller, page = await join_counter(app)
    polled: dict[str, Any] = {}

    async def hold() -> None:
        polled.update(await poller.request("GET"))

    with anyio.fail_after(WAIT):
        async with anyio.create_task_group() as tg:
            tg.start_soon(hold)
            await anyio.wait_all_tasks_blocked()  # the poll is held, nothing to send
            click = {"type": "click", "event": "inc", "value": {}}
            await poller.send(["1", "2", page.topic, "event", click])
    assert [orjson.loads(m)[1] for m in polled["messages"]] == ["2"]
    await app.close_sockets()


async def test_a_poll_whose_client_left_takes_no_frames() -> None:
    app = make_app(longpoll=LongPoll(window=1000.0, timeout=2000.0))
    poller, page = await join_counter(app)
    left = anyio.Event()
    query = urlencode({**poller.params, "token": poller.token or ""})
    cookie = poller.client.cookies.header() or ""
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/live/longpoll",
        "raw_path": b"/live/longpoll",
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await left.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        pass

    with anyio.fail_after(WAIT):
        async with anyio.create_task_group() as tg:
            tg.start_soon(app, scope, receive, send)
            await anyio.wait_all_tasks_blocked()  # the poll is held
            left.set()  # the browser went away; the poll must end without frames
        click = {"type": "click", "event": "inc", "value": {}}
        await poller.send(["1", "2", page.topic, "event", click])
        reply = await poller.until(reply_to("2"))  # on the next poll: nothing was lost
    assert reply[4]["status"] == "ok"
    await app.close_sockets()


async def test_binary_frames_travel_as_base64_lines() -> None:
    app = make_app()
    poller, _ = await join_counter(app)
    chunk = binary_push("7", "lvu:nobody", "chunk", bytes(range(256)) * 300)
    assert await poller.send(chunk) == {"status": 200}
    reply = await poller.until(reply_to("7"))  # decoded and routed: nobody joined that topic
    assert reply == [None, "7", "lvu:nobody", "phx_reply", UNMATCHED]
    await app.close_sockets()


async def test_a_poll_with_nothing_to_say_answers_204_after_the_window() -> None:
    app = make_app(longpoll=LongPoll(window=0.05, timeout=30.0))
    poller = await poller_for(app)
    await poller.open()
    polled = await poller.request("GET")
    assert polled == {"status": 204, "token": poller.token, "messages": []}
    await app.close_sockets()


async def test_the_token_may_come_in_the_header() -> None:
    app = make_app(longpoll=LongPoll(window=0.05, timeout=30.0))
    poller = await poller_for(app)
    await poller.open()
    assert poller.token is not None
    token, poller.token = poller.token, None
    polled = await poller.request("GET", headers=(("x-phoenix-longpoll-token", token),))
    assert polled["status"] == 204
    await app.close_sockets()


async def test_a_tampered_or_foreign_token_is_gone() -> None:
    app = make_app()
    poller, page = await join_counter(app)
    assert poller.token is not None
    tampered = poller.token[:-2] + ("AA" if not poller.token.endswith("AA") else "BB")
    assert await poller.request("GET", token=tampered) == {"status": 410}
    assert await poller.request("POST", b"[]", token=tampered) == {"status": 410}
    other_app = make_app()  # same secret, another process's sessions
    other = Poller(other_app, poller.client, page)
    assert await other.request("GET", token=poller.token) == {"status": 410}
    poller.token = None  # a POST without a token opens nothing
    assert await poller.request("POST", b"[]") == {"status": 410}
    assert len(endpoint_of(app).sessions) == 1
    await app.close_sockets()


async def test_refused_serializer_and_origin_answer_403() -> None:
    app = make_app()
    poller = await poller_for(app)
    assert await poller.request("GET", params={"vsn": "1.0.0"}) == {"status": 403}
    evil = (("origin", "https://evil.example"),)
    assert await poller.request("GET", headers=evil) == {"status": 403}
    same = (("origin", "http://testserver"),)
    assert (await poller.request("GET", headers=same))["status"] == 410
    allowed = make_app(allowed_origins=["https://evil.example"])
    poller = await poller_for(allowed)
    assert (await poller.request("GET", headers=evil))["status"] == 410
    await app.close_sockets()
    await allowed.close_sockets()


async def test_without_a_valid_csrf_token_joins_answer_stale() -> None:
    app = make_app()
    client = LiveClient(app)
    page = client.page_of(await client.get("/"))
    poller = Poller(app, client, page)
    poller.params["_csrf_token"] = "forged"
    await poller.open()
    await poller.send(["1", "1", page.topic, "phx_join", page.join_payload()])
    reply = await poller.until(reply_to("1"))
    assert reply[4] == {"status": "error", "response": {"reason": "stale"}}
    await app.close_sockets()


async def test_bad_bodies_are_refused_and_lose_nothing() -> None:
    app = make_app()
    poller, page = await join_counter(app)
    ndjson = (("content-type", "application/x-ndjson"),)
    assert await poller.request("POST", b"not base64 !", headers=ndjson) == {"status": 400}
    assert await poller.request("POST", b"\xff", headers=ndjson) == {"status": 400}
    too_big = b"[]\n" * (MAX_BODY // 3 + 1)
    assert await poller.request("POST", too_big, headers=ndjson) == {"status": 413}
    # the session is still there
    click = {"type": "click", "event": "inc", "value": {}}
    assert await poller.send(["1", "2", page.topic, "event", click]) == {"status": 200}
    await poller.until(reply_to("2"))
    await app.close_sockets()


async def test_a_frame_the_socket_refuses_ends_the_session() -> None:
    app = make_app()
    poller, _ = await join_counter(app)
    assert await poller.request("POST", b"{}") == {"status": 200}  # not a V2 frame
    with anyio.fail_after(WAIT):
        while (await poller.request("GET"))["status"] != 410:
            pass
    assert not endpoint_of(app).sessions
    await app.close_sockets()


async def test_a_session_nobody_polls_expires_and_frees_everything() -> None:
    app = make_app(longpoll=LongPoll(window=0.05, timeout=1.0))
    poller, _ = await join_counter(app)
    endpoint = endpoint_of(app)
    assert len(endpoint.sessions) == 1 and len(app.runtime.sockets) == 1
    with anyio.fail_after(WAIT):  # polls stopped: the session closes by itself
        while endpoint.sessions or app.runtime.sockets:
            await anyio.sleep(0.02)
    assert await poller.request("GET") == {"status": 410}
    assert await poller.request("POST", b"[]") == {"status": 410}


async def test_a_held_poll_keeps_the_session_alive() -> None:
    app = make_app(longpoll=LongPoll(window=0.05, timeout=1.0))
    poller, _ = await join_counter(app)
    # polling back to back for several timeouts: the session stays
    with anyio.fail_after(WAIT):
        start = anyio.current_time()
        while anyio.current_time() - start < 3.0:
            assert (await poller.request("GET"))["status"] in (200, 204)
    assert len(endpoint_of(app).sessions) == 1
    await app.close_sockets()
    assert await poller.request("GET") == {"status": 410}


async def test_closing_the_app_closes_long_poll_sessions() -> None:
    app = make_app()
    poller, _ = await join_counter(app)
    await app.close_sockets()
    assert not app.runtime.sockets and not endpoint_of(app).sessions
    assert await poller.request("GET") == {"status": 410}


@pytest.mark.parametrize("host", ["mount", "dispatch"])
async def test_long_poll_under_a_prefix(host: str) -> None:
    live = make_app()
    site: ASGIApp = (
        Starlette(routes=[Mount("/app", app=live)])
        if host == "mount"
        else dispatch(live, "/app", Starlette())
    )
    client = LiveClient(site)
    page = client.page_of(await client.get("/app/"))
    poller = Poller(site, client, page)
    assert poller.url == "/app/live/longpoll"
    await poller.open()
    await poller.send(["1", "1", page.topic, "phx_join", page.join_payload()])
    reply = await poller.until(reply_to("1"))
    assert reply[4]["status"] == "ok", reply
    await live.close_sockets()


async def test_the_page_tells_the_client_when_to_fall_back() -> None:
    client = LiveClient(make_app())
    page = await client.get("/")
    assert '<meta name="pylive-longpoll" content="2500">' in page.text
    client = LiveClient(make_app(longpoll=LongPoll(fallback_ms=800)))
    assert '<meta name="pylive-longpoll" content="800">' in (await client.get("/")).text
    off = make_app(longpoll=False)
    client = LiveClient(off)
    assert "pylive-longpoll" not in (await client.get("/")).text
    response = await http_request(off, "GET", "/live/longpoll?vsn=2.0.0")
    assert response.status == 404


def test_batches_carry_text_and_base64_binary_frames() -> None:
    chunk = bytes(range(256))
    body = b'["1","2","t","e",{}]\n' + base64.b64encode(chunk) + b'\r\n[null,null,"t","x",1]'
    frames = parse_batch(body, "application/x-ndjson")
    assert frames == ['["1","2","t","e",{}]', chunk, '[null,null,"t","x",1]']
    assert parse_batch(b"[1]\n[2]", "text/plain") == ["[1]\n[2]"]
    lines = b"\n".join([b"[]"] * 150)
    assert len(parse_batch(lines, "application/x-ndjson")) == 100
    with pytest.raises(BatchError):
        parse_batch(b"%%%", "application/x-ndjson")


def test_long_poll_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="window < timeout"):
        LongPoll(window=10, timeout=5)
    with pytest.raises(ValueError, match="fallback_ms"):
        LongPoll(fallback_ms=0)


async def test_frames_written_before_the_session_closed_are_still_polled() -> None:
    session = LongPollSession("s")
    await session.send('["1","1","t","phx_reply",{}]')
    session.end()
    assert await session.poll(0.01) == ['["1","1","t","phx_reply",{}]']
    assert await session.poll(0.01) is None
    with pytest.raises(TransportClosed):
        await session.send("[]")
    assert await session.receive() is None
