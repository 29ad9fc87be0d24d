"""Broadcast views (``pylive.broadcast_view``) in one process, on asyncio and trio, through
``pylive.testing`` (every diff checked against a fresh render of the group's assigns, per
viewer): viewers of one key share one render per update and all see it, a late joiner gets the
current state and follows the shared diffs, leaving disturbs nobody, a crash ends only its
group (its viewers rejoin a fresh one), a viewer that reads too slowly is dropped without
slowing the others, and misuse is refused with a clear error. The app is
tests/broadcast_apps.py; the official client runs the same page in
tests/conformance/test_broadcast_views.py and tests/e2e/test_broadcast_view.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AsyncExitStack

import pytest
from broadcast_apps import SCORE_RENDERS, make_app
from live_socket import join, open_page

from pylive import LiveApp
from pylive.testing import JoinError, View, ViewCrashed, live

pytestmark = pytest.mark.anyio

VIEWERS = 6


@pytest.fixture
def app() -> LiveApp:
    return make_app()


def _score(view: View) -> str:
    return view.element("#score").text


def _scored(score: str) -> Callable[[View], bool]:
    return lambda view: _score(view) == score


async def _renders_per_goal(app: LiveApp, path: str, game: str) -> tuple[int, list[str]]:
    """Open VIEWERS viewers of ``path``, broadcast 3 goals: score renders per goal, and what
    each viewer shows (the probe is off: it renders the page once more per viewer)."""
    async with AsyncExitStack() as stack:
        views = [
            await stack.enter_async_context(live(app, path, check_diffs=False))
            for _ in range(VIEWERS)
        ]
        before = SCORE_RENDERS.get(game, 0)
        for goal in range(1, 4):
            await app.pubsub.broadcast(f"game:{game}", ("goal", "home"))
            for view in views:
                await view.wait_for(f"{goal} : 0")
        return (SCORE_RENDERS[game] - before) // 3, [v.html() for v in views]


async def test_one_render_per_update_whatever_the_number_of_viewers(app: LiveApp) -> None:
    shared, shared_html = await _renders_per_goal(app, "/board/one", "one")
    solo, solo_html = await _renders_per_goal(app, "/solo/two", "two")
    assert shared == 1  # the group rendered once for its six viewers
    assert solo == VIEWERS  # the same page as plain LiveViews: once per viewer
    assert len(set(shared_html)) == 1  # every viewer shows the same page
    assert shared_html[0] == solo_html[0]


async def test_viewers_see_identical_updates_and_a_late_joiner_the_current_state(
    app: LiveApp,
) -> None:
    async with live(app, "/board/g") as early, live(app, "/board/g") as other:
        await early.click("#home")  # an event of one viewer, handled once by the group
        await early.click("#away")
        for view in (early, other):
            await view.wait_for(lambda v: _score(v) == "1 : 1")
        async with live(app, "/board/g") as late:
            assert _score(late) == "1 : 1"  # the group's state, in full
            assert late.html() == early.html()
            await late.click("#home")
            for view in (early, other, late):  # the shared diffs apply to the late joiner too
                await view.wait_for(lambda v: _score(v) == "2 : 1")
                assert [li.text for li in view.elements("#log li")] == ["home", "away", "home"]


async def test_a_reply_goes_to_the_viewer_who_asked(app: LiveApp) -> None:
    async with live(app, "/board/r") as one, live(app, "/board/r"):
        assert await one.push("ping") == {"pong": "r"}


async def test_a_viewer_leaving_disturbs_nobody_and_the_last_ends_the_group(app: LiveApp) -> None:
    async with live(app, "/board/l") as stays:
        async with live(app, "/board/l") as leaves:
            await leaves.click("#home")
            await stays.wait_for(lambda v: _score(v) == "1 : 0")
        await app.pubsub.broadcast("game:l", ("goal", "away"))
        await stays.wait_for(lambda v: _score(v) == "1 : 1")
    async with live(app, "/board/l") as fresh:  # nobody was left: a new group mounted afresh
        assert _score(fresh) == "0 : 0"


async def test_groups_are_per_key(app: LiveApp) -> None:
    async with live(app, "/board/x") as x, live(app, "/board/y") as y:
        await x.click("#home")
        await x.wait_for(lambda v: _score(v) == "1 : 0")
        await y.click("#away")
        await y.wait_for(lambda v: _score(v) == "0 : 1")
        assert _score(x) == "1 : 0"


async def test_a_crash_in_the_shared_render_ends_only_its_group(
    app: LiveApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, "pylive.broadcast_view")
    async with (
        live(app, "/board/c") as one,
        live(app, "/board/c") as two,
        live(app, "/board/ok") as elsewhere,
    ):
        await one.click("#home")
        await app.pubsub.broadcast("game:c", "boom")
        for view in (one, two):  # every viewer of the group gets phx_error
            with pytest.raises(ViewCrashed):
                await view.wait_for(lambda v: not v.connected)
        assert "the board cannot render" in caplog.text
        await elsewhere.click("#home")  # the server and the other groups go on
        await elsewhere.wait_for(lambda v: _score(v) == "1 : 0")
        await one.rejoin()  # as the client does after phx_error: a fresh group
        await two.rejoin()
        assert _score(one) == _score(two) == "0 : 0"
        await two.click("#away")
        await one.wait_for(lambda v: _score(v) == "0 : 1")


async def test_navigating_from_a_broadcast_view_is_refused_clearly(
    app: LiveApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, "pylive.broadcast_view")
    async with live(app, "/board/n") as view:
        await app.pubsub.broadcast("game:n", "navigate")
        with pytest.raises(ViewCrashed):
            await view.wait_for(lambda v: not v.connected)
    assert "a broadcast view cannot navigate" in caplog.text


async def test_messages_a_broadcast_view_does_not_take_are_refused(app: LiveApp) -> None:
    async with live(app, "/board/p") as view:
        with pytest.raises(AssertionError, match="not supported by a broadcast view"):
            await view.patch("/board/p?tab=2")
        await view.click("#home")  # the viewer goes on
        await view.wait_for(lambda v: _score(v) == "1 : 0")


async def test_a_viewer_that_reads_too_slowly_is_dropped_and_nobody_waits(app: LiveApp) -> None:
    # the slow viewer never reads: its frames fill the in-process WebSocket's buffer, then its
    # socket's outbox; the next shared diff finds that full and drops it (phx_error), while the
    # group and the other viewer go on
    async with open_page(app, "/board/slow") as (slow, page):
        status, _ = await join(slow, page)
        assert status == "ok"
        async with live(app, "/board/slow", check_diffs=False) as fast:
            sent = 0
            while sent < 5000:
                for _ in range(250):
                    sent += 1
                    await app.pubsub.broadcast("game:slow", ("set", sent, 0))
                await fast.wait_for(_scored(f"{sent} : 0"))
        events: list[str] = []
        while "phx_error" not in events:
            events.append((await slow.receive()).event)
        assert 0 < events.count("diff") < sent  # it got what fitted, then was dropped


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/nested", "cannot render nested LiveViews"),
        ("/with-component", "cannot render LiveComponents"),
        ("/with-stream", "cannot use streams"),
    ],
)
async def test_what_shared_mode_does_not_support_is_refused_clearly(
    app: LiveApp, caplog: pytest.LogCaptureFixture, path: str, error: str
) -> None:
    caplog.set_level(logging.ERROR, "pylive.broadcast_view")
    with pytest.raises(JoinError, match="join crashed"):
        async with live(app, path):
            pass
    assert f"a broadcast view {error}" in caplog.text
