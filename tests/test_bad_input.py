"""Bad input the fuzzers found or that a client can craft on purpose, each answered as Phoenix
answers it (or with a logged close), while another view of the same app keeps working:
oversized frames, unknown events, tampered, replayed and expired tokens, upload floods."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import itsdangerous.timed
import pytest
from diff_values import client_html
from fuzzing import APP
from live_socket import join, open_page

from pylive.testing import UploadFile, phoenix
from pylive.testing.asgi import WebSocketClosed
from pylive.testing.phoenix import PhoenixConnection
from pylive.testing.uploads import entries_of
from pylive.tokens import MAX_AGE
from pylive.uploads.config import EXTRA_ENTRIES, UploadConfig

pytestmark = pytest.mark.anyio

CLICK = {"type": "click", "event": "inc", "value": {}}


@asynccontextmanager
async def healthy_view() -> AsyncIterator[tuple[PhoenixConnection, str]]:
    """Another browser on the same app, joined; ``assert_answers`` checks it still works."""
    async with open_page(APP, "/healthy") as (conn, page):
        assert (await join(conn, page))[0] == "ok"
        yield conn, page.topic


async def assert_answers(healthy: tuple[PhoenixConnection, str], count: int) -> None:
    conn, topic = healthy
    status, response = await conn.call(topic, "event", CLICK)
    assert (status, response["diff"]) == ("ok", {"0": str(count)})


def tampered(token: str) -> str:
    """``token`` with one character of its payload changed."""
    index = len(token) // 3
    return token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]


async def test_a_text_frame_over_the_limit_in_bytes_closes_with_1009() -> None:
    # 300,000 characters, 1.2 MB in UTF-8: the limit counts bytes, as the frame is sent
    frame = '[null, "1", "phoenix", "heartbeat", {"x": "' + "\U0001f600" * 300_000 + '"}]'
    async with healthy_view() as healthy, open_page(APP) as (conn, _):
        await conn.ws.send(frame)
        assert await conn.expect_close() == 1009
        await assert_answers(healthy, 1)


async def test_an_unknown_event_on_a_joined_view_gets_an_error_reply() -> None:
    async with healthy_view() as healthy, open_page(APP) as (conn, page):
        assert (await join(conn, page))[0] == "ok"
        assert await conn.call(page.topic, "no_such_event", {}) == (
            "error",
            {"reason": "unknown event"},
        )
        assert await conn.call(page.topic, "event", {"type": "click", "value": {}}) == (
            "error",
            {"reason": "malformed event"},
        )
        await assert_answers(healthy, 1)


@pytest.mark.parametrize("token", ["session", "static"])
async def test_a_tampered_join_token_is_stale(token: str) -> None:
    async with healthy_view() as healthy, open_page(APP) as (conn, page):
        original = page.session if token == "session" else page.static
        assert original is not None
        payload = {**page.join_payload(), token: tampered(original)}
        assert await join(conn, page, payload) == (
            "error",
            {"reason": "stale"},
        )
        await assert_answers(healthy, 1)


async def test_a_replayed_page_token_mounts_a_fresh_view() -> None:
    """As in Phoenix, a page's tokens may be presented again until they expire: that is how a
    browser rejoins after a reconnect. Each join mounts the view afresh, with the session of
    the socket that joins (another browser's page token gives it nothing of this user's)."""
    async with open_page(APP) as (conn, page):
        assert (await join(conn, page))[0] == "ok"
        ref = await conn.join(page.topic, page.join_payload(mounts=1))
        assert (await conn.receive()).event == "phx_close"  # the first instance ends
        assert (await conn.expect_reply(ref))[0] == "ok"
        async with open_page(APP) as (other, _):
            assert (await join(other, page))[0] == "ok"


async def test_an_expired_session_is_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    async with open_page(APP) as (conn, page):
        real = itsdangerous.timed.TimestampSigner.get_timestamp
        later = (MAX_AGE["session"] or 0) + 1
        monkeypatch.setattr(
            itsdangerous.timed.TimestampSigner, "get_timestamp", lambda s: real(s) + later
        )
        assert await join(conn, page) == ("error", {"reason": "stale"})


async def _preflight(conn: PhoenixConnection, topic: str, html: str) -> tuple[str, str, str]:
    """Preflight one 3-byte entry: its config ref, entry ref and upload token."""
    found = re.search(r'data-phx-upload-ref="([^"]+)"', html)
    assert found is not None
    entries = entries_of([UploadFile("a.txt", b"abc")], "docs")
    status, response = await conn.call(
        topic, "allow_upload", {"ref": found.group(1), "entries": entries}
    )
    assert status == "ok", response
    entry = entries[0]["ref"]
    return found.group(1), entry, response["entries"][entry]


async def _upload_join(conn: PhoenixConnection, entry: str, token: str) -> tuple[str, Any]:
    return await conn.expect_reply(await conn.join(f"lvu:{entry}", {"token": token}))


async def test_upload_tokens_tampered_replayed_or_for_another_entry() -> None:
    async with healthy_view() as healthy, open_page(APP) as (conn, page):
        _, response = await join(conn, page)
        html = client_html(page.view_id, response["rendered"])
        _, entry, token = await _preflight(conn, page.topic, html)
        bad = await _upload_join(conn, entry, tampered(token))
        assert bad == ("error", {"reason": "invalid_token"})
        assert await _upload_join(conn, "other", token) == ("error", {"reason": "invalid_token"})
        assert await _upload_join(conn, entry, token) == ("ok", {})
        ref = await conn.push(f"lvu:{entry}", "chunk", {})  # a chunk must be binary
        assert await conn.expect_reply(ref) == ("error", {"reason": "unexpected"})
        # the same token on another connection: the view is not there
        async with open_page(APP) as (other, _):
            assert await _upload_join(other, entry, token) == ("error", {"reason": "disallowed"})
        await assert_answers(healthy, 1)


async def test_a_flood_of_upload_entries_is_bounded() -> None:
    """Found by reasoning over the fuzzers' upload events: 20,000 entries in one (< 1 MiB)
    event used to be checked pairwise (9 s with the event loop blocked, every view on the
    server frozen) and all kept in memory. Now entries past ``max_entries + EXTRA_ENTRIES`` are
    not kept, and the rest are checked in linear time."""
    config = UploadConfig("docs", accept=None, max_entries=2)
    flood = [{"ref": str(i), "name": "a", "size": 1, "type": "t"} for i in range(20_000)]
    config.put_entries(flood)
    assert len(config.entries) == 2 + EXTRA_ENTRIES
    assert (config.ref, "too_many_files") in config.errors
    config.put_entries(flood[:3])  # known refs are not added twice
    assert len(config.entries) == 2 + EXTRA_ENTRIES
    assert config.cancel("0") and len(config.entries) == 1 + EXTRA_ENTRIES


async def test_a_flood_of_upload_entries_over_the_socket() -> None:
    async with healthy_view() as healthy, open_page(APP) as (conn, page):
        _, response = await join(conn, page)
        html = client_html(page.view_id, response["rendered"])
        found = re.search(r'data-phx-upload-ref="([^"]+)"', html)
        assert found is not None
        flood = [{"ref": str(i), "name": "a.txt", "size": 1, "type": "t"} for i in range(20_000)]
        status, response = await conn.call(
            page.topic, "allow_upload", {"ref": found.group(1), "entries": flood}
        )
        assert status == "ok" and [found.group(1), "too_many_files"] in response["error"]
        await assert_answers(healthy, 1)


@pytest.mark.parametrize("origin", ["http://[", "http://[::1", "http://a:x", "null", "http://"])
async def test_a_malformed_origin_is_refused(origin: str) -> None:
    """Found by fuzzing the Origin check: ``http://[`` made the handshake raise ValueError."""
    async with healthy_view() as healthy:
        with pytest.raises(WebSocketClosed):
            async with phoenix.connect(APP, origin=origin):
                pass
        await assert_answers(healthy, 1)


async def test_a_url_that_does_not_parse_is_refused_not_a_crash() -> None:
    """Found while extending the socket fuzzer to join and patch URLs: ``http://[`` in a
    join's ``url`` or a ``live_patch`` made the URL parser raise, which crashed the view
    (``phx_error``) instead of refusing."""
    async with healthy_view() as healthy, open_page(APP) as (conn, page):
        assert await join(conn, page, url="http://[") == ("error", {"reason": "unauthorized"})
        assert (await join(conn, page))[0] == "ok"
        assert await conn.call(page.topic, "live_patch", {"url": "http://["}) == (
            "ok",
            {"link_redirect": True},
        )
        await assert_answers(healthy, 1)


@pytest.mark.parametrize("topic", ["view", "upload"])
async def test_a_message_right_after_a_failed_join_is_answered(topic: str) -> None:
    """Found by the socket fuzzer: a message sent right behind a join that fails reached the
    channel's mailbox before the channel ended, and was never answered. It now gets what a
    topic not joined gets, ``unmatched topic``, as in Phoenix (no channel after a failed
    join)."""
    async with healthy_view() as healthy, open_page(APP) as (conn, page):
        name = page.topic if topic == "view" else "lvu:0"
        join_ref = await conn.join(name, {"token": "forged"} if topic == "upload" else {})
        ref = await conn.push(name, "event", CLICK)
        leave = await conn.push(name, "phx_leave", {})
        replies = {}
        for _ in range(3):
            frame = await conn.receive()
            replies[frame.ref] = (frame.status, frame.response)
        assert replies[join_ref][0] == "error"
        assert replies[ref] == ("error", {"reason": "unmatched topic"})
        assert replies[leave] == ("ok", {})
        await assert_answers(healthy, 1)
