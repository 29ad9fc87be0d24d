"""A crash in user code ends only the view it happened in (issue #14, faults).

For each callback of a LiveView and of a LiveComponent (``tests/fault_apps.py``), an exception
ends the crashed view the way a Phoenix channel process that died does: the message being
handled gets **no reply**, the client gets ``phx_error`` and rejoins to a fresh mount. A crash in
``mount`` happens while joining, so there the join itself is answered ``join crashed`` (Phoenix's
reply to a join whose channel died) and the client retries it. Another view on the same socket and
a view on another socket keep answering events, and the socket keeps answering heartbeats.

``tests/test_crash_fidelity.py`` covers the frames of a crashed event and patch loop in detail;
``tests/e2e/test_faults.py`` does this test's check with two Chromium tabs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urljoin

import pytest
from fault_apps import ARMED, CALLBACKS, create_app

from pylive.testing import LiveClient
from pylive.testing.client_tree import ClientTree
from pylive.testing.dom import Document
from pylive.testing.page import LivePage
from pylive.testing.phoenix import Frame, PhoenixConnection

pytestmark = pytest.mark.anyio

PATIENCE = 30.0
"""Seconds any wait for the server may take (never reached when things work)."""


class Joined:
    """One joined view as the client sees it: its page, its socket and its rendered tree."""

    def __init__(self, conn: PhoenixConnection, page: LivePage) -> None:
        self.conn = conn
        self.page = page
        self.tree: ClientTree | None = None
        self.cid = 0  # the panel component's id in the tree

    async def join(self, mounts: int) -> None:
        ref = await self.conn.join(self.page.topic, self.page.join_payload(mounts=mounts))
        status, response = await self.conn.expect_reply(ref)
        assert status == "ok", response
        rendered = response["rendered"]
        self.cid = int(next(iter(rendered["c"])))
        self.tree = ClientTree(self.page.view_id, rendered)

    async def event(self, event: str, *, cid: int | None = None) -> str:
        payload: dict[str, Any] = {"type": "click", "event": event, "value": {}}
        if cid is not None:
            payload["cid"] = cid
        return await self.conn.push(self.page.topic, "event", payload)

    async def inc(self) -> str:
        """Click ``+1`` and return the count shown after the reply."""
        status, response = await self.conn.expect_reply(await self.event("inc"))
        assert status == "ok", response
        assert self.tree is not None
        self.tree.merge(response["diff"])
        return Document(self.tree.html()).one("#count").text


Trigger = Callable[[Joined], Awaitable[str]]
"""Makes the view call one callback; returns the ref of the message whose handling crashes."""


async def rejoin(view: Joined) -> str:
    return await view.conn.join(view.page.topic, view.page.join_payload(mounts=1))


async def patch(view: Joined) -> str:
    url = urljoin(view.page.url, "/?page=2")
    return await view.conn.push(view.page.topic, "live_patch", {"url": url})


async def poke_panel(view: Joined) -> str:
    return await view.event("poke", cid=view.cid)


def click(event: str) -> Trigger:
    return lambda view: view.event(event)


TRIGGERS: dict[str, Trigger] = {
    "mount": rejoin,  # a second join of the topic mounts a new view
    "handle_params": patch,
    "handle_event": click("poke"),
    "handle_info": click("tell"),  # the event is answered; the message it sends crashes
    "render": click("inc"),
    "component.mount": click("renew"),  # a panel with a new id
    "component.update": click("inc"),
    "component.handle_event": poke_panel,
    "component.render": click("inc"),
}
assert set(TRIGGERS) == set(CALLBACKS)


async def frames_until(conn: PhoenixConnection, last: Callable[[Frame], bool]) -> list[Frame]:
    frames = [await conn.receive()]
    while not last(frames[-1]):
        frames.append(await conn.receive())
    return frames


@pytest.mark.parametrize("callback", CALLBACKS)
async def test_a_crash_ends_only_its_view_which_remounts_on_rejoin(callback: str) -> None:
    ARMED.clear()
    app = create_app()
    browser, other_browser = LiveClient(app, timeout=PATIENCE), LiveClient(app, timeout=PATIENCE)
    victim_page = browser.page_of(await browser.get("/"))
    neighbour_page = browser.page_of(await browser.get("/"))  # a second view, same socket
    stranger_page = other_browser.page_of(await other_browser.get("/"))
    async with browser.connect(victim_page) as conn, other_browser.connect(stranger_page) as other:
        victim, neighbour = Joined(conn, victim_page), Joined(conn, neighbour_page)
        stranger = Joined(other, stranger_page)
        for view in (victim, neighbour, stranger):
            await view.join(mounts=0)
            assert await view.inc() == "1"

        ARMED.add(callback)
        ref = await TRIGGERS[callback](victim)
        topic = victim_page.topic
        if callback == "mount":  # the join is answered: Phoenix's reply to a crashed join
            frames = await frames_until(conn, lambda f: f.is_reply and f.ref == ref)
            assert frames[-1].payload == {"status": "error", "response": {"reason": "join crashed"}}
        else:
            join_ref = conn.join_refs[topic]
            frames = await frames_until(conn, lambda f: f.event == "phx_error")
            assert frames[-1] == Frame(
                join_ref, join_ref, topic, "phx_error", {"reason": "channel_crash"}
            )
            replies = [f for f in frames if f.is_reply and f.ref == ref]
            if callback == "handle_info":  # the event was handled; its message crashed
                assert [f.status for f in replies] == ["ok"], frames
            else:
                assert not replies, frames  # no reply to the message that crashed
        assert all(f.topic == topic for f in frames), frames
        assert callback not in ARMED  # it did raise

        # the other views did not notice: they keep counting, the socket keeps beating
        assert await neighbour.inc() == "2"
        assert await stranger.inc() == "2"
        assert await conn.expect_reply(await conn.heartbeat()) == ("ok", {})

        # the client's rejoin mounts the crashed view afresh, and it works again
        await victim.join(mounts=1)
        assert await victim.inc() == "1"
        if callback == "handle_info":
            assert (await conn.call(topic, "event", {"type": "click", "event": "tell"}))[0] == "ok"
            diff = (await conn.receive()).payload  # handle_info's diff, pushed
            assert victim.tree is not None
            victim.tree.merge(diff)
            assert Document(victim.tree.html()).one("#told").text == "told"
        assert await neighbour.inc() == "3"
