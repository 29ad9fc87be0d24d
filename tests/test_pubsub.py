"""Pub/sub and presence in one process (the ``memory://`` backend), on asyncio and trio:
views subscribed to a topic get broadcasts in ``handle_info`` in order, ``broadcast_from``
skips the sender, plain HTTP routes publish, presence diffs reach subscribers and a view that
ends is unsubscribed and untracked without user code. The Redis backend across processes is
tests/test_pubsub_redis.py."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from pubsub_apps import make_app

from pylive import LiveApp
from pylive.pubsub import PresenceDiff, PubSub, PubSubError
from pylive.pubsub.codec import dumps, loads
from pylive.testing import LiveClient, View, live

pytestmark = pytest.mark.anyio


def _messages(view: View) -> list[str]:
    return [el.text for el in view.elements("#messages li")]


def _online(view: View) -> list[str]:
    return [el.text for el in view.elements("#online li")]


@pytest.fixture
def app() -> LiveApp:
    return make_app(pubsub="memory://")


async def test_broadcast_reaches_every_subscriber_in_order(app: LiveApp) -> None:
    async with live(app, "/room/a?user=ada") as ada, live(app, "/room/a?user=bob") as bob:
        for n in range(5):
            await ada.push("say", {"text": f"m{n}"})
        want = [f"ada: m{n}" for n in range(5)]
        await bob.wait_for(lambda v: _messages(v) == want)
        await ada.wait_for(lambda v: _messages(v) == want)  # the sender too


async def test_broadcast_from_skips_the_sender_and_other_topics_get_nothing(app: LiveApp) -> None:
    async with (
        live(app, "/room/a?user=ada") as ada,
        live(app, "/room/a?user=bob") as bob,
        live(app, "/room/b?user=cyd") as cyd,
    ):
        await ada.push("whisper", {"text": "psst"})
        await ada.push("say", {"text": "done"})
        await bob.wait_for(lambda v: _messages(v) == ["ada: psst", "ada: done"])
        await ada.wait_for(lambda v: _messages(v) == ["ada: done"])
        assert _messages(cyd) == []


async def test_a_component_broadcasts_through_its_view(app: LiveApp) -> None:
    async with live(app, "/room/a?user=ada") as ada, live(app, "/room/a?user=bob") as bob:
        await ada.click("#quiet")  # broadcast_from(component socket): not to its own view
        await ada.click("#loud")
        await bob.wait_for(lambda v: _messages(v) == ["megaphone: quiet", "megaphone: loud"])
        await ada.wait_for(lambda v: _messages(v) == ["megaphone: loud"])


async def test_an_http_route_broadcasts_to_views(app: LiveApp) -> None:
    async with live(app, "/room/a?user=ada") as ada:
        response = await LiveClient(app).post("/announce/a?text=hello")
        assert response.status == 200
        await ada.wait_for(lambda v: _messages(v) == ["server: hello"])


async def test_unsubscribe_stops_delivery(app: LiveApp) -> None:
    async with live(app, "/room/a?user=ada") as ada, live(app, "/room/a?user=bob") as bob:
        await bob.push("leave")
        await ada.push("say", {"text": "one"})
        await ada.wait_for(lambda v: _messages(v) == ["ada: one"])
        await ada.push("say", {"text": "two"})
        await ada.wait_for(lambda v: _messages(v) == ["ada: one", "ada: two"])
        assert _messages(bob) == []


async def test_presence_joins_and_leaves_reach_subscribers(app: LiveApp) -> None:
    hub = app.pubsub
    async with live(app, "/room/p?user=ada") as ada:
        assert list(hub.list("room:p")) == ["ada"]
        async with live(app, "/room/p?user=bob") as bob:
            await ada.wait_for(lambda v: _online(v) == ["ada", "bob"])
            assert _online(bob) == ["ada", "bob"]
            metas = hub.list("room:p")["bob"]["metas"]
            assert len(metas) == 1 and metas[0]["user"] == "bob" and metas[0]["phx_ref"]
            assert ada.assigns["last_diff"] == {"joins": ["bob"], "leaves": []}
        # bob's view ended: untracked and unsubscribed without any code of the view
        await ada.wait_for(lambda v: _online(v) == ["ada"])
        assert ada.assigns["last_diff"] == {"joins": [], "leaves": ["bob"]}
        assert list(hub.list("room:p")) == ["ada"]
    await _until(lambda: hub.list("room:p") == {} and hub._topics == {})


async def test_a_rejoined_view_is_tracked_once(app: LiveApp) -> None:
    hub = app.pubsub
    async with live(app, "/room/r?user=ada") as ada:
        await ada.rejoin()  # the client reconnects: the old view ends, a new one mounts
        await _until(lambda: len(hub.list("room:r").get("ada", {}).get("metas", [])) == 1)
        await ada.push("say", {"text": "once"})
        await ada.wait_for(lambda v: _messages(v) == ["ada: once"])  # one subscription


async def test_one_key_many_views_has_one_meta_each(app: LiveApp) -> None:
    hub = app.pubsub
    async with live(app, "/room/q?user=ada") as first, live(app, "/room/q?user=ada"):
        assert len(hub.list("room:q")["ada"]["metas"]) == 2
        await first.push("untrack")
        assert len(hub.list("room:q")["ada"]["metas"]) == 1
    await _until(lambda: hub.list("room:q") == {})


async def test_plain_code_subscribes_and_messages_keep_their_types() -> None:
    hub = PubSub()
    sent: Any = ("t", [1, (2.5, None)], {"$t": True, "x": ("y",)}, {"$d": {}})
    async with hub.subscribe("news") as messages:
        await hub.broadcast("news", sent)
        await hub.broadcast("other", "not for us")
        with anyio.fail_after(5):
            assert await messages.receive() == sent
    assert loads(dumps(sent)) == sent
    with pytest.raises(TypeError, match="JSON data"):
        await hub.broadcast("news", {1, 2})
    with pytest.raises(TypeError, match="str dict keys"):
        await hub.broadcast("news", {1: "x"})


async def test_a_slow_subscriber_loses_new_messages_and_nobody_waits() -> None:
    hub = PubSub(buffer=2)
    async with hub.subscribe("t") as slow, hub.subscribe("t") as fast:
        for n in range(5):
            await hub.broadcast("t", n)  # never waits, even though nobody reads
        assert [slow.receive_nowait() for _ in range(2)] == [0, 1]
        with pytest.raises(anyio.WouldBlock):
            slow.receive_nowait()
        assert [fast.receive_nowait() for _ in range(2)] == [0, 1]
        assert sorted(m.dropped for m in hub._members.values()) == [3, 3]


async def test_presence_diffs_reach_plain_subscribers() -> None:
    hub = PubSub()
    member = hub.member(lambda msg: True)
    async with hub.subscribe("room") as messages:
        ref = await hub.track(member, "room", "ada", {"at": 1})
        with anyio.fail_after(5):
            diff = await messages.receive()
        assert diff == PresenceDiff("room", {"ada": {"metas": [{"at": 1, "phx_ref": ref}]}}, {})
        member.close()
        with anyio.fail_after(5):
            assert (await messages.receive()).leaves == {
                "ada": {"metas": [{"at": 1, "phx_ref": ref}]}
            }
    assert hub.list("room") == {}


async def test_redis_on_trio_is_refused_with_a_clear_error(anyio_backend: str) -> None:
    hub = PubSub("redis://127.0.0.1:1/0")
    if anyio_backend == "trio":
        with pytest.raises(PubSubError, match="asyncio only"):
            await hub.broadcast("t", 1)
        with pytest.raises(PubSubError, match="asyncio only"):
            hub.member(lambda msg: True).subscribe("t")
    with pytest.raises(ValueError, match="scheme"):
        PubSub("kafka://x")


async def _until(condition: Any, timeout: float = 10.0) -> None:
    with anyio.fail_after(timeout):
        while not condition():
            await anyio.sleep(0.01)
