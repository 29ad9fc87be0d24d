"""Long-poll sessions across processes: two apps sharing a real ``redis-server``
(tests/redis_support.py) each stand for a worker process. A session opened in one answers
requests that land in the other, relayed over pub/sub (``pylive.longpoll_relay``); once it is
closed, the other answers 410."""

from __future__ import annotations

import pytest
from live_apps import make_app
from redis_support import RedisServer, redis_server
from test_longpoll import UNMATCHED, Poller, binary_push, reply_to

from pylive.testing.client import LiveClient

__all__ = ["redis_server"]  # the fixture, imported for this module

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # a redis:// pub/sub runs on asyncio only


async def test_requests_landing_in_another_process_reach_the_session(
    redis_server: RedisServer,
) -> None:
    owner, other = make_app(pubsub=redis_server.url), make_app(pubsub=redis_server.url)
    assert owner.pubsub.node != other.pubsub.node
    client = LiveClient(owner)
    page = client.page_of(await client.get("/"))
    poller = Poller(owner, client, page)
    await poller.open()  # the session lives in `owner`
    poller.app = other  # every later request lands in the other process
    assert await poller.send(["1", "1", page.topic, "phx_join", page.join_payload()]) == {
        "status": 200
    }
    joined = await poller.until(reply_to("1"))
    assert joined[4]["status"] == "ok", joined
    click = {"type": "click", "event": "inc", "value": {}}
    for n in range(2, 5):
        assert await poller.send(["1", str(n), page.topic, "event", click]) == {"status": 200}
        reply = await poller.until(reply_to(str(n)))
        assert reply[4] == {"status": "ok", "response": {"diff": {"0": str(n - 1)}}}
    chunk = binary_push("9", "lvu:nobody", "chunk", bytes(range(256)) * 300)
    assert await poller.send(chunk) == {"status": 200}  # base64, relayed as text
    assert (await poller.until(reply_to("9")))[4] == UNMATCHED
    ndjson = (("content-type", "application/x-ndjson"),)
    assert await poller.request("POST", b"%%%", headers=ndjson) == {"status": 400}
    assert len(owner.runtime.sockets) == 1 and not other.runtime.sockets
    await owner.close_sockets()  # the session is gone: the other process says so
    assert await poller.request("GET") == {"status": 410}
    assert await poller.request("POST", b"[]") == {"status": 410}
    await other.close_sockets()
