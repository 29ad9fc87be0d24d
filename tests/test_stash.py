"""Stashed assigns (pylive.stash, docs/stash.md) in-process, through pylive.testing: a
reconnect restores them; a first join, a forged, foreign, expired or oversized token and values
that are not JSON data all give a normal mount (with a log line), never a crash."""

from __future__ import annotations

import secrets
import time
from typing import Any

import itsdangerous
import pytest
from live_socket import join, open_page
from stash_apps import SECRET, Counter, Other, make_app

from pylive import ClientStash, LiveView, RedisStash
from pylive.pubsub import codec
from pylive.stash import STASH_EVENT, stash_binding
from pylive.testing import JoinError, LiveClient, ViewCrashed, live
from pylive.testing.page import LivePage
from pylive.tokens import Tokens

pytestmark = pytest.mark.anyio


def _stash_events(view: Any) -> list[Any]:
    return [event.payload for event in view.pushed_events if event.name == STASH_EVENT]


async def test_a_reconnect_restores_the_stashed_assigns() -> None:
    async with live(make_app(), "/") as view:
        assert _stash_events(view) == []  # a fresh mount pushes nothing
        for n in (1, 2, 3):
            await view.click("#inc")
            assert view.element("#count").text == f"Count: {n}"
        await view.click("#click")  # clicks is not stashed: no new token
        events = _stash_events(view)
        assert len(events) == 3 and all(e["id"] == view.id and e["token"] for e in events)

        await view.reconnect()
        assert view.element("#count").text == "Count: 3"
        assert view.element("#restored").text == "restored"
        assert view.element("#clicks").text == "Clicks: 0"  # mount's value
        assert view.assigns["steps"] == (1, 2, 3)  # a tuple stays a tuple
        assert len(_stash_events(view)) == 3  # restored as sent: no new token

        await view.click("#inc")  # and it goes on from there
        await view.reconnect()
        assert view.element("#count").text == "Count: 4"


async def test_a_live_navigation_never_restores() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#inc")
        await view.click("#inc")
        await view.push("go", "/other")
        await view.follow_redirect()  # the same view id, a first join: fresh, token forgotten
        assert view.element("#count").text == "Count: 0"
        assert _stash_events(view)[-1] == {"id": view.id, "token": None}
        await view.click("#inc")  # Other inherits the stash
        await view.reconnect()
        assert view.element("#count").text == "Count: 1"
        await view.push("go", "/")
        await view.follow_redirect()  # back to Counter: not its old count
        assert view.element("#count").text == "Count: 0"
        await view.reconnect()  # no token of the earlier Counter left to come back
        assert view.element("#count").text == "Count: 0"


async def test_a_nested_view_restores_its_own_stash() -> None:
    client = LiveClient(make_app())
    async with client.live("/host") as host, client.live("/host") as other_tab:
        child = host.child("counter")
        await child.click("#inc")
        await child.click("#inc")
        await other_tab.child("counter").click("#inc")
        await host.reconnect()  # the children join again, with _mounts > 0
        assert host.child("counter").element("#count").text == "Count: 2"
        await other_tab.reconnect()  # the same id on another page: its own stash
        assert other_tab.child("counter").element("#count").text == "Count: 1"


async def test_a_new_page_mounts_fresh() -> None:
    app = make_app()
    client = LiveClient(app)
    async with client.live("/") as view:
        await view.click("#inc")
        assert view.element("#count").text == "Count: 1"
    async with client.live("/") as view:  # a reload or a new tab: a new page
        assert view.element("#count").text == "Count: 0"
        assert view.element("#restored").text == "fresh"


def _token(
    loaded: LivePage, stashed: dict[str, Any], *, view: type[LiveView] = Counter, **claims: Any
) -> str:
    binding = stash_binding(view, loaded.view_id, loaded.csrf_token or "")
    data = {**binding, "values": codec.dumps(stashed), **claims}
    return Tokens(SECRET).sign("stash", data)


async def _join_with(page_token: Any, *, mounts: int = 1, path: str = "/") -> tuple[str, Any]:
    async with open_page(make_app(), path) as (conn, page):
        token = page_token(page) if callable(page_token) else page_token
        payload = page.join_payload(mounts=mounts)
        payload["params"]["_stash"] = token
        return await join(conn, page, payload)


def _count(response: Any) -> str:
    return str(response["rendered"]["0"])


async def test_a_valid_token_restores_on_a_rejoin_only() -> None:
    status, response = await _join_with(lambda page: _token(page, {"count": 5}))
    assert status == "ok" and "Count: 5" in _count(response)
    # a first join (after the HTTP render or a live navigation) never restores, and tells the
    # client to forget the token it holds for this view id
    status, response = await _join_with(lambda page: _token(page, {"count": 5}), mounts=0)
    assert status == "ok" and "Count: 0" in _count(response)
    assert response["rendered"]["e"] == [
        [STASH_EVENT, {"id": response_id(response), "token": None}]
    ]


def response_id(response: Any) -> str:
    (_, payload), *_ = response["rendered"]["e"]
    return str(payload["id"])


async def test_forged_foreign_and_expired_tokens_are_ignored(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def forged(page: LivePage) -> str:
        token = _token(page, {"count": 5})
        return token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    def expired(page: LivePage) -> str:
        class Old(itsdangerous.TimestampSigner):
            def get_timestamp(self) -> int:
                return int(time.time()) - 2 * 24 * 3600

        serializer = itsdangerous.URLSafeTimedSerializer(SECRET, salt="pylive.stash", signer=Old)
        binding = stash_binding(Counter, page.view_id, page.csrf_token or "")
        return str(serializer.dumps({**binding, "values": codec.dumps({"count": 5})}))

    cases = {
        "forged": forged,
        "another page's view": lambda page: _token(page, {"count": 5}, id="phx-other"),
        "another view class": lambda page: _token(page, {"count": 5}, view=Other),
        "another page": lambda page: _token(page, {"count": 5}, page="0" * 32),
        "expired": expired,
        "not a string": 12,
        "garbage values": lambda page: _token(page, {}, values="[1,"),
        "not a dict": lambda page: _token(page, {}, values="[1]"),
    }
    for what, token in cases.items():
        caplog.clear()
        status, response = await _join_with(token)
        assert status == "ok", what
        assert "Count: 0" in _count(response), what
        assert any("stash of" in r.message for r in caplog.records), what


async def test_an_oversized_stash_is_not_kept(caplog: pytest.LogCaptureFixture) -> None:
    async with live(make_app(ClientStash(max_bytes=400)), "/") as view:
        await view.click("#inc")
        assert _stash_events(view)[-1]["token"]
        await view.push("note", secrets.token_hex(500))  # incompressible
        # the client forgets the older token, so that an older state never comes back
        assert _stash_events(view)[-1]["token"] is None
        assert any("over ClientStash(max_bytes=400)" in r.message for r in caplog.records)
        await view.reconnect()
        assert view.element("#count").text == "Count: 0"
    # a token over the cap is not even read
    status, response = await _join_with("x" * 100_000)
    assert status == "ok" and "Count: 0" in _count(response)


async def test_values_that_are_not_json_stop_the_stash(caplog: pytest.LogCaptureFixture) -> None:
    async with live(make_app(), "/") as view:
        await view.click("#inc")
        await view.push("bad")
        assert _stash_events(view)[-1]["token"] is None
        assert any("not JSON data" in r.message for r in caplog.records)
        await view.click("#inc")  # the view goes on, unstashed
        assert view.element("#count").text == "Count: 2"
        assert _stash_events(view)[-1]["token"] is None


def test_stash_must_list_assign_names() -> None:
    with pytest.raises(TypeError, match="tuple of assign names"):

        class Wrong(LiveView):
            stash = "count"  # type: ignore[assignment]


async def test_the_gallery_demo_keeps_its_stashed_count_through_a_crash() -> None:
    from gallery.app import create_app

    async with live(create_app(), "/demos/stash") as view:
        await view.click("#inc")
        await view.click("#inc")
        with pytest.raises(ViewCrashed):
            await view.click("#crash")
        await view.rejoin()  # as the client does after phx_error: _mounts > 0, with the token
        assert view.element("#kept").text == "2"
        assert view.element("#lost").text == "0"


async def test_redis_stash_under_trio_fails_the_join_with_a_clear_error(
    anyio_backend: str,
) -> None:
    app = make_app(RedisStash("redis://127.0.0.1:9/0"))  # nothing listens there
    if anyio_backend == "asyncio":  # a first join reads nothing: Redis is not even asked
        async with live(app, "/") as view:
            assert view.element("#count").text == "Count: 0"
        return
    with pytest.raises(JoinError, match="RedisStash needs asyncio"):
        async with live(app, "/"):
            pass
