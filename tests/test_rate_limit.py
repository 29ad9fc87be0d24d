"""The per-connection event rate limit: a token bucket; over it, events get the error reply
``rate limited``, the connection and the other connections go on."""

from __future__ import annotations

import logging

import pytest
from fuzzing import Healthy
from live_socket import join, open_page

from pylive import LiveApp, LiveRoute
from pylive.rate_limit import RateLimit, TokenBucket

pytestmark = pytest.mark.anyio

CLICK = {"type": "click", "event": "inc", "value": {}}


def test_the_bucket_allows_a_burst_then_refills_at_its_rate() -> None:
    bucket = TokenBucket(RateLimit(per_second=10, burst=3))
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert not bucket.take(0.05)  # half a token back
    assert bucket.take(0.1)
    assert not bucket.take(0.1)
    assert [bucket.take(100.0) for _ in range(4)] == [True, True, True, False]  # at most burst


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimit(per_second=0)
    with pytest.raises(ValueError, match="burst"):
        RateLimit(burst=0)


def test_on_by_default_and_off_with_false() -> None:
    assert LiveApp([]).runtime.settings.rate_limit == RateLimit(per_second=100, burst=200)
    assert LiveApp([], rate_limit=False).runtime.settings.rate_limit is None
    mine = RateLimit(per_second=5, burst=10)
    assert LiveApp([], rate_limit=mine).runtime.settings.rate_limit is mine


async def test_events_over_the_limit_get_an_error_reply_and_the_socket_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # a refill of one event every 1000 s: nothing comes back during the test
    app = LiveApp(
        [LiveRoute("/", Healthy)],
        secret_key="k",
        rate_limit=RateLimit(per_second=0.001, burst=3),
    )
    async with open_page(app) as (other, other_page), open_page(app) as (conn, page):
        assert (await join(other, other_page))[0] == "ok"  # other's first token
        assert (await join(conn, page))[0] == "ok"  # the join takes a token
        for count in ("1", "2"):
            status, response = await conn.call(page.topic, "event", CLICK)
            assert (status, response["diff"]) == ("ok", {"0": count})
        with caplog.at_level(logging.WARNING, "pylive"):
            for _ in range(3):
                assert await conn.call(page.topic, "event", CLICK) == (
                    "error",
                    {"reason": "rate limited"},
                )
        limited = [r for r in caplog.records if "rate limit" in r.getMessage()]
        assert len(limited) == 1  # one line per spell, not one per event
        assert await conn.expect_reply(await conn.heartbeat()) == ("ok", {})
        # the other connection has its own bucket
        status, response = await other.call(other_page.topic, "event", CLICK)
        assert (status, response["diff"]) == ("ok", {"0": "1"})
