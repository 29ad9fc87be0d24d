"""Stashed assigns in a real ``redis-server`` (``RedisStash``, tests/redis_support.py): a
reconnect restores them, they expire with the TTL, a view that leaves deletes them, and while
Redis is down the view goes on and a reconnect mounts afresh (with a log line)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
import pytest
from redis.asyncio import Redis
from redis_support import RedisServer, redis_server
from served import WAIT
from stash_apps import Counter, make_app

from pylive import RedisStash
from pylive.app import close_live_sockets
from pylive.pubsub import codec
from pylive.routing import view_key
from pylive.testing import View, live

__all__ = ["redis_server"]  # the fixture, imported for this module

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # redis-py is an asyncio library


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_server.url)
    try:
        yield client
    finally:
        await client.aclose()


async def _key(redis: Redis, view: View) -> str:
    """The one Redis key of ``view``'s stash (``<prefix><class>:<page>:<view id>``)."""

    async def found() -> list[bytes]:
        keys: list[bytes] = await redis.keys(f"pylive:stash:{view_key(Counter)}:*:{view.id}")
        return keys

    await _until(found, "the stash written")
    (key,) = await found()
    return key.decode()


async def _until(check: Callable[[], Awaitable[object]], what: str) -> None:
    with anyio.fail_after(WAIT):
        while not await check():
            await anyio.sleep(0.02)


async def test_a_reconnect_restores_from_redis(redis_server: RedisServer, redis: Redis) -> None:
    async with live(make_app(RedisStash(redis_server.url, ttl=600)), "/") as view:
        for n in (1, 2, 3):
            await view.click("#inc")
            assert view.element("#count").text == f"Count: {n}"

        key = await _key(redis, view)

        async def written() -> bool:
            found = await redis.get(key)
            return found is not None and codec.loads(found.decode())["count"] == 3

        await _until(written, "the stash written")
        assert 0 < await redis.ttl(key) <= 600
        assert not [e for e in view.pushed_events if e.name == "pylive:stash"]  # no token

        await view.reconnect()
        assert view.element("#count").text == "Count: 3"
        assert view.element("#restored").text == "restored"
        assert view.assigns["steps"] == (1, 2, 3)
    # the view left (the page closed its view on purpose): its stash is deleted

    async def deleted() -> bool:
        return not await redis.exists(key)

    await _until(deleted, "the stash deleted")


async def test_a_live_navigation_deletes_the_stash(redis_server: RedisServer, redis: Redis) -> None:
    async with live(make_app(RedisStash(redis_server.url)), "/") as view:
        await view.click("#inc")
        key = await _key(redis, view)
        await view.push("go", "/other")
        await view.follow_redirect()
        await _until(lambda: _gone(redis, key), "deleted when the view left")
        await view.push("go", "/")
        await view.follow_redirect()
        await view.reconnect()
        assert view.element("#count").text == "Count: 0"


async def test_nested_views_of_the_same_id_have_a_stash_each(
    redis_server: RedisServer, redis: Redis
) -> None:
    app = make_app(RedisStash(redis_server.url))
    async with live(app, "/host") as one, live(app, "/host") as two:
        await one.child("counter").click("#inc")
        await one.child("counter").click("#inc")
        await two.child("counter").click("#inc")

        async def both_written() -> bool:
            keys = await redis.keys("pylive:stash:*:counter")  # one per page
            values = [await redis.get(key) for key in keys]
            counts = sorted(codec.loads(v.decode())["count"] for v in values if v is not None)
            return counts == [1, 2]

        await _until(both_written, "a key per page")
        await one.reconnect()
        await two.reconnect()
        assert one.child("counter").element("#count").text == "Count: 2"
        assert two.child("counter").element("#count").text == "Count: 1"


async def test_an_expired_stash_mounts_fresh(
    redis_server: RedisServer, redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "pylive.stash")
    async with live(make_app(RedisStash(redis_server.url, ttl=1)), "/") as view:
        await view.click("#inc")
        key = await _key(redis, view)
        await _until(lambda: _gone(redis, key), "expired after the TTL")
        await view.reconnect()
        assert view.element("#count").text == "Count: 0"
        assert any("nothing in Redis" in r.message for r in caplog.records)


async def _gone(redis: Redis, key: str) -> bool:
    return not await redis.exists(key)


async def test_a_redis_outage_never_stops_the_view(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    async with live(make_app(RedisStash(redis_server.url, timeout=1.0)), "/") as view:
        await view.click("#inc")
        redis_server.kill()
        await view.click("#inc")  # the write fails in the background; the view answers
        assert view.element("#count").text == "Count: 2"
        await _until(lambda: _logged(caplog, "Redis write failed"), "the failed write logged")

        await view.reconnect()  # nothing to read: a fresh mount, with a log line
        assert view.element("#count").text == "Count: 0"
        assert await _logged(caplog, "Redis read failed")

        redis_server.start()  # Redis is back: stashing resumes
        await view.click("#inc")
        client = Redis.from_url(redis_server.url)
        try:
            await _key(client, view)  # written again
        finally:
            await client.aclose()
        await view.reconnect()
        assert view.element("#count").text == "Count: 1"


async def _logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    return any(text in record.message for record in caplog.records)


def test_an_app_served_again_under_a_new_event_loop(redis_server: RedisServer) -> None:
    """redis-py's connections belong to the event loop that opened them: an app whose first
    loop has ended (a second ``asyncio.run``, as a test session or a restart in one process
    does) gets a new client, and closing it (``close_live_sockets`` closes every app in the
    process) never touches the dead loop's connections ("Event loop is closed")."""
    app = make_app(RedisStash(redis_server.url, ttl=600))

    async def serve_once(clicks: int) -> None:
        redis = Redis.from_url(redis_server.url)
        try:
            async with live(app, "/") as view:
                for _ in range(clicks):
                    await view.click("#inc")
                key = await _key(redis, view)  # written by this loop's client

                async def written() -> bool:
                    found = await redis.get(key)
                    return found is not None and codec.loads(found.decode())["count"] == clicks

                await _until(written, "the stash written")
                await view.reconnect()  # and read back by it
                assert view.element("#count").text == f"Count: {clicks}"
        finally:
            await redis.aclose()

    anyio.run(serve_once, 1, backend="asyncio")
    anyio.run(serve_once, 2, backend="asyncio")
    anyio.run(close_live_sockets, backend="asyncio")  # the first loop's client is long gone
