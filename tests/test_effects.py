"""A socket records into its ``Effects``; the runtime drains them (the channel never reaches
into the socket). ``BaseSocket``, what a LiveComponent's socket will be, has assigns and events
only."""

from __future__ import annotations

import anyio
import pytest

from pylive.effects import AsyncDone, AsyncResult, Effects
from pylive.socket import BaseSocket, Socket


def test_handlers_record_and_the_runtime_drains_once() -> None:
    effects = Effects.for_view({"info": "hi"})
    socket = Socket("phx-1", effects)
    assert socket.assigns["flash"] == {"info": "hi"} and not socket.connected
    socket.assign(count=1).push_event("saved", {"id": 1})
    socket.push_patch("?page=2")
    socket.redirect("/elsewhere")  # the last navigation asked for wins
    assert set(effects.changed) == {"flash", "page_title", "count"}
    assert effects.leaving
    assert effects.take_events() == [["saved", {"id": 1}]] and effects.take_events() == []
    nav = effects.take_navigation()
    assert nav is not None and (nav.kind, nav.to) == ("redirect", "/elsewhere")
    assert effects.take_navigation() is None and not effects.leaving
    effects.rendered()
    assert not effects.changed
    socket.assign(count=1)  # an equal scalar is no change
    assert not effects.changed


def test_sockets_share_their_empty_tables_until_they_use_them() -> None:
    """Per-view memory: temporary assigns, background jobs, streams and lifecycle hooks cost a
    socket nothing until it uses them; one socket using them leaves every other one as it was."""

    async def hook(*args: object) -> None:
        return None

    used, idle = Effects.for_view(), Effects.for_view()
    assert used.temporary is idle.temporary and used.jobs is None
    socket = Socket("phx-1", used).temporary_assigns(rows=[])
    socket.stream_configure("songs", dom_id=lambda song: f"song-{song}")
    socket.stream("songs", [1])
    socket.attach_hook("tick", "handle_info", hook)
    assert dict(used.temporary) == {"rows": []} and not idle.temporary
    assert used.hooks.attached("handle_info") and not idle.hooks.attached("handle_info")
    other = Socket("phx-2", idle)
    other.stream("songs", [{"id": 1}])  # not configured here: the default DOM id
    assert other.assigns.songs.inserts[0].dom_id == "songs-1"
    assert socket.assigns.songs.inserts[0].dom_id == "song-1"


def test_temporary_assigns_reset_after_each_render() -> None:
    effects = Effects.for_view()
    socket = Socket("phx-1", effects).temporary_assigns(messages=[])
    socket.assign(messages=["a"])
    effects.rendered()
    assert socket.assigns.messages == [] and not effects.changed


@pytest.mark.anyio
async def test_settle_applies_only_the_current_job_of_a_name() -> None:
    effects = Effects.for_view()
    current, stale = anyio.CancelScope(), anyio.CancelScope()
    effects.jobs = {"data": current}
    effects.assign({"data": AsyncResult("loading", "old")})
    effects.rendered()
    assert effects.settle(AsyncDone("data", stale, ("data",), AsyncResult("ok", {}))) is None
    assert not effects.changed  # superseded work changes nothing
    effects.settle(AsyncDone("data", current, ("data",), AsyncResult("failed", reason=KeyError())))
    assert effects.data["data"] == AsyncResult("failed", "old", effects.data["data"].reason)
    assert set(effects.changed) == {"data"} and effects.jobs == {}


def test_a_base_socket_has_assigns_and_events_but_no_navigation_or_timers() -> None:
    effects = Effects({"title": "x"})
    socket = BaseSocket(effects, None)
    socket.assign(title="y").push_event("opened", {})
    assert socket.assigns.title == "y" and set(effects.changed) == {"title"}
    assert effects.take_events() == [["opened", {}]]
    for name in ("push_patch", "redirect", "send_after", "start_async", "put_flash", "inbox"):
        assert not hasattr(socket, name)
