"""A crashing LiveView behaves like a Phoenix channel process that died.

* The message whose handling crashed gets **no reply**: the only frame is ``phx_error``, then
  the client rejoins and the view mounts afresh. (An error reply would make the official client
  reload the old URL after a ``live_patch``, and log "Failed to push event" after an event.)
* ``push_patch`` from ``handle_params`` may repeat 20 times in a row; the 21st crashes the view.
* ``pylive.testing`` fails the pending request with ``ViewCrashed`` (the server's exception
  chained) as soon as ``phx_error`` arrives.

The app is ``tests/e2e/crash_app.py``, which the browser tests in
``tests/e2e/test_crash_fidelity.py`` serve over hypercorn to Chromium.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urljoin

import pytest
from e2e.crash_app import MAX_PATCHES, create_app, loop_url

from pylive.errors import PyliveError
from pylive.testing import LiveClient, ViewCrashed
from pylive.testing.client_tree import ClientTree
from pylive.testing.dom import Document
from pylive.testing.page import LivePage
from pylive.testing.phoenix import Frame, PhoenixConnection

pytestmark = pytest.mark.anyio

PATIENCE = 30.0
"""Seconds any wait for the server may take: generous, and never reached when things work
(a request that hangs instead of failing with the crash shows up as a timeout)."""


# --------------------------------------------------------------------------- raw protocol


@asynccontextmanager
async def opened() -> AsyncIterator[tuple[PhoenixConnection, LivePage]]:
    """``/`` of a fresh app, dead-rendered, with its socket connected (nothing joined)."""
    client = LiveClient(create_app(), timeout=PATIENCE)
    page = client.page_of(await client.get("/"))
    async with client.connect(page) as conn:
        yield conn, page


async def frames_until(conn: PhoenixConnection, last: Callable[[Frame], bool]) -> list[Frame]:
    """Every frame up to and including the first one for which ``last`` holds (a crash of
    the view on the way fails at once)."""
    frames: list[Frame] = []
    while not frames or not last(frames[-1]):
        frames.append(await conn.receive())
        assert frames[-1].event != "phx_error", f"the view crashed: {frames}"
    return frames


def reply_to(ref: str) -> Callable[[Frame], bool]:
    return lambda frame: frame.is_reply and frame.ref == ref


async def join(
    conn: PhoenixConnection, page: LivePage, *, mounts: int
) -> tuple[ClientTree, list[Frame]]:
    """Join as the official client does (``mounts`` earlier joins); returns the client's tree
    of the joined view and every frame up to the join reply."""
    ref = await conn.join(page.topic, page.join_payload(mounts=mounts))
    frames = await frames_until(conn, reply_to(ref))
    reply = frames[-1]
    assert reply.status == "ok", reply
    return ClientTree(page.view_id, reply.response["rendered"]), frames


def text(tree: ClientTree, selector: str) -> str:
    return Document(tree.html()).one(selector).text


def click(event: str, **value: str) -> dict[str, Any]:
    return {"type": "click", "event": event, "value": value}


async def crash_by_event(conn: PhoenixConnection, page: LivePage) -> str:
    return await conn.push(page.topic, "event", click("crash"))


async def crash_by_live_patch(conn: PhoenixConnection, page: LivePage) -> str:
    assert (await conn.call(page.topic, "event", click("arm")))[0] == "ok"
    url = urljoin(page.url, loop_url(0, MAX_PATCHES + 1))
    return await conn.push(page.topic, "live_patch", {"url": url})


async def crash_by_patching_event(conn: PhoenixConnection, page: LivePage) -> str:
    return await conn.push(page.topic, "event", click("patch", until=str(MAX_PATCHES + 1)))


@pytest.mark.parametrize(
    "crash",
    [crash_by_event, crash_by_live_patch, crash_by_patching_event],
    ids=lambda f: f.__name__,
)
async def test_a_crash_answers_no_ref_only_phx_error_and_a_rejoin_mounts_afresh(
    crash: Callable[[PhoenixConnection, LivePage], Any],
) -> None:
    async with opened() as (conn, page):
        tree, _ = await join(conn, page, mounts=0)
        status, response = await conn.call(page.topic, "event", click("inc"))
        assert status == "ok"
        tree.merge(response["diff"])
        assert text(tree, "#count") == "1"
        join_ref = conn.join_refs[page.topic]

        ref = await crash(conn, page)
        # The very next frame is phx_error, on the crashed join: no reply (ok or error) first.
        error = Frame(join_ref, join_ref, page.topic, "phx_error", {"reason": "channel_crash"})
        assert await conn.receive() == error

        # The client rejoins (phx_error reached every channel callback); the view is new.
        fresh, frames = await join(conn, page, mounts=1)
        assert not any(frame.ref == ref for frame in frames), frames  # nor a late reply
        assert text(fresh, "#count") == "0"
        assert text(fresh, "#position") == "n=0 until=0"  # the URL of the join: no patch kept
        assert text(fresh, "#armed") == "idle"
        status, response = await conn.call(page.topic, "event", click("inc"))
        assert status == "ok"
        fresh.merge(response["diff"])
        assert text(fresh, "#count") == "1"


async def test_a_crashed_view_does_not_disturb_the_socket() -> None:
    async with opened() as (conn, page):
        await join(conn, page, mounts=0)
        await crash_by_event(conn, page)
        assert (await conn.receive()).event == "phx_error"
        ref = await conn.heartbeat()
        assert await conn.expect_reply(ref) == ("ok", {})


@pytest.mark.parametrize("by", ["live_patch", "event"])
async def test_twenty_patches_in_a_row_are_allowed(by: str) -> None:
    async with opened() as (conn, page):
        tree, _ = await join(conn, page, mounts=0)
        if by == "live_patch":
            assert (await conn.call(page.topic, "event", click("arm")))[0] == "ok"
            url = urljoin(page.url, loop_url(0, MAX_PATCHES))
            ref = await conn.push(page.topic, "live_patch", {"url": url})
        else:
            ref = await conn.push(page.topic, "event", click("patch", until=str(MAX_PATCHES)))
        frames = await frames_until(conn, reply_to(ref))

    *pushes, reply = frames
    last = loop_url(MAX_PATCHES, MAX_PATCHES)
    assert [(f.event, f.payload) for f in pushes] == [("live_patch", {"to": last, "kind": "push"})]
    assert reply.status == "ok"
    tree.merge(reply.response["diff"])
    assert text(tree, "#position") == f"n={MAX_PATCHES} until={MAX_PATCHES}"


# --------------------------------------------------------------------------- pylive.testing


async def test_testing_client_raises_the_crash_of_an_event_with_its_cause() -> None:
    client = LiveClient(create_app(), timeout=PATIENCE)
    async with client.live("/") as view:
        await view.click("#inc")
        with pytest.raises(ViewCrashed, match="before replying to event 'crash'") as caught:
            await view.click("#crash")
        assert isinstance(caught.value.__cause__, RuntimeError)
        assert "Crashy raised on purpose" in str(caught.value)  # the server's traceback
        assert not view.connected
        with pytest.raises(ViewCrashed):
            await view.click("#inc")  # dead until it rejoins
        await view.rejoin()
        assert view.element("#count").text == "0"
        await view.click("#inc")
        assert view.element("#count").text == "1"


@pytest.mark.parametrize("selector", ["#link-21", "#patch-21"])
async def test_testing_client_raises_the_crash_of_a_patch_loop(selector: str) -> None:
    client = LiveClient(create_app(), timeout=PATIENCE)
    async with client.live("/") as view:
        await view.click("#inc")
        await view.click("#arm")
        with pytest.raises(ViewCrashed, match="push_patch in a row") as caught:
            await view.click(selector)
        assert isinstance(caught.value.__cause__, PyliveError)
        assert view.path == "/"  # no patch was applied
        await view.rejoin()
        assert view.element("#count").text == "0"
        assert view.element("#armed").text == "idle"
        if selector.startswith("#link"):  # the browser loads the link that was pending
            assert view.path == loop_url(0, MAX_PATCHES + 1)
            assert view.element("#position").text == f"n=0 until={MAX_PATCHES + 1}"
        else:  # it rejoins at the URL it shows
            assert view.path == "/"
            assert view.element("#position").text == "n=0 until=0"


@pytest.mark.parametrize("selector", ["#link-20", "#patch-20"])
async def test_testing_client_follows_twenty_patches(selector: str) -> None:
    async with LiveClient(create_app(), timeout=PATIENCE).live("/") as view:
        await view.click("#arm")
        await view.click(selector)
        last = loop_url(MAX_PATCHES, MAX_PATCHES)
        view.assert_patch(last)
        assert view.path == last
        assert view.element("#position").text == f"n={MAX_PATCHES} until={MAX_PATCHES}"


# --------------------------------------------------------------------------- Socket.inbox


async def test_socket_inbox_is_one_object() -> None:
    client = LiveClient(create_app(), timeout=PATIENCE)
    response = await client.get("/")
    assert "stable inbox" in response.text  # the dead render's socket
    async with client.live("/") as view:
        assert view.element("#inbox").text == "stable inbox"  # the connected one
