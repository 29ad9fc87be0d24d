"""LiveComponents over the real app: lifecycle, events targeted with ``myself``, ``send_update``,
messages to the parent, component-only diffs, shared statics, and the destroy handshake.

The ``pylive.testing`` tests check every diff against the server's render (``check_diffs``);
the raw-socket tests pin the exact wire format the official client gets.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import htpy as h
import pytest
from component_apps import CALLS, Batched, make_app
from live_socket import join, open_page

from pylive import Assigns, LiveApp, LiveRoute, LiveSession, LiveView, Socket
from pylive.live_component import ComponentSocket, LiveComponent, live_component
from pylive.testing import View, ViewCrashed, live
from pylive.testing.phoenix import PhoenixConnection

pytestmark = pytest.mark.anyio


def count(view: View, id: str) -> str:
    return view.element(f"#counter-{id} output").text


# --------------------------------------------------------------------------- behaviour


async def test_components_keep_their_own_state_and_events_reach_them() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#counter-a .inc")
        await view.click("#counter-a .inc")
        await view.click("#counter-b .inc")
        assert (count(view, "a"), count(view, "b")) == ("2", "1")
        # the parent re-renders them with a new label: update runs, the state stays
        await view.push("relabel", {"label": "R"})
        assert view.element("#counter-a .label").text == "R"
        assert (count(view, "a"), count(view, "b")) == ("2", "1")


async def test_lifecycle_order_and_update_many() -> None:
    CALLS.clear()
    Batched.batches.clear()
    async with live(make_app(), "/") as view:
        # dead render, then the connected mount: each mounts its own components
        assert CALLS.count(("mount", "a")) == 2
        assert CALLS.index(("mount", "a")) < CALLS.index(("update", "a"))
        assert Batched.batches == [["x", "y", "z"], ["x", "y", "z"]]  # one batch per render
        assert view.element("#b-y").text == "Y"
        await view.push("more")
        # only the new row is rendered again (the others' assigns did not change)
        assert Batched.batches[-1] == ["w"]
        assert view.element("#b-w").text == "W"


async def test_nested_components_and_keyed_moves() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#counter-inner-o .inc")
        assert count(view, "inner-o") == "1"
        await view.click("#counter-a .inc")
        await view.push("rotate")
        assert [li.id for li in view.elements("#rows > li")] == ["row-b", "row-a"]
        assert count(view, "a") == "1"


async def test_removed_and_shown_again_before_the_client_destroyed_it() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#counter-a .inc")
        await view.push("toggle")
        await view.push("toggle")  # before the destroy handshake ends: revived, state kept
        assert count(view, "a") == "1"
        await view.click("#counter-a .inc")
        assert count(view, "a") == "2"


async def test_component_moved_between_parents_keeps_its_state() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#counter-mover .inc")
        await view.push("move")
        assert view.has_element("#right #counter-mover")
        assert not view.has_element("#left #counter-mover")
        assert count(view, "mover") == "1"


async def test_removed_then_re_added_with_the_same_id(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    original = PhoenixConnection.push

    async def spy(self: PhoenixConnection, topic: str, event: str, payload: Any, **kw: Any) -> str:
        sent.append(event)
        return await original(self, topic, event, payload, **kw)

    monkeypatch.setattr(PhoenixConnection, "push", spy)
    async with live(make_app(), "/") as view:
        await view.click("#counter-a .inc")
        await view.push("toggle")  # removes a and b: the client destroys them
        assert view.has_element("p", text="hidden")
        await view.wait_for(lambda v: "cids_destroyed" in sent)
        await view.push("relabel", {"label": "L"})  # its reply follows cids_destroyed's
        await view.push("toggle")  # back: new components (the old state is gone)
        assert count(view, "a") == "0"
        await view.click("#counter-a .inc")
        assert count(view, "a") == "1"


async def test_send_update_from_view_component_inbox_and_timer() -> None:
    async with live(make_app(), "/") as view:
        await view.push("update-a")
        assert view.element("#counter-a .label").text == "from parent"
        await view.push("bump-other", {"other": "b"}, target="#counter-a")
        assert view.element("#counter-b .label").text == "bumped"
        await view.push("later")
        await view.wait_for(lambda v: v.element("#counter-b .label").text == "later")
        await view.push("update-missing")  # logged and ignored
        assert view.connected


async def test_messages_events_flash_and_navigation_from_a_component() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#counter-a .inc")
        await view.push("tell", target="#counter-a")
        await view.wait_for(lambda v: v.element("#told").text != "[]")
        assert view.element("#told").text == "[('told', 'a', 1)]"
        await view.push("notify", target="#counter-a")
        assert view.assert_pushed("counted") == {"id": "a", "count": 1}
        assert await view.push("ping", target="#counter-b") == {"pong": "b"}
        await view.push("flash", target="#counter-a")
        assert view.element("#flash").text == "hello from a"
        await view.push("go", target="#counter-a")
        view.assert_patch("/?page=2")
        assert view.element("#page").text == "2"


async def test_a_crashing_component_crashes_only_its_view() -> None:
    app = make_app()
    async with live(app, "/") as other:
        with pytest.raises(ViewCrashed):
            async with live(app, "/") as view:
                await view.push("crash", target="#counter-a")
        await other.click("#counter-a .inc")
        assert count(other, "a") == "1"


# --------------------------------------------------------------------------- wire format
# cids follow render order: rows a (1) and b (2), mover (3), batched x, y, z (4-6), Outer (7),
# then the Counter Outer renders (8)


def _event(event: str, cid: int | None = None, value: Any = None) -> dict[str, Any]:
    payload = {"type": "click", "event": event, "value": value or {"value": ""}}
    return payload if cid is None else {**payload, "cid": cid}


async def test_component_only_diff_and_shared_statics_on_the_wire() -> None:
    async with open_page(make_app()) as (conn, page):
        status, reply = await join(conn, page)
        assert status == "ok"
        components = reply["rendered"]["c"]
        assert "counter-a" in json.dumps(components["1"])
        # Counter a is sent with its statics; b borrows a's tree from this same diff (s: 1)
        assert isinstance(components["1"]["s"], list) and components["1"]["r"] == 1
        assert components["2"]["s"] == 1 and "r" not in components["2"]
        status, response = await conn.call(page.topic, "event", _event("inc", 1))
        # only the component changed: the diff holds nothing but that component's change
        assert (status, list(response["diff"]), list(response["diff"]["c"])) == ("ok", ["c"], ["1"])


async def test_new_component_borrows_statics_from_one_the_client_holds() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        status, response = await conn.call(page.topic, "event", _event("add", value={"id": "c"}))
        assert status == "ok"
        (entry,) = response["diff"]["c"].values()
        assert entry["s"] == -1  # the tree of component 1 as the client holds it


async def test_destroy_handshake_reports_only_cids_really_destroyed() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        await conn.call(page.topic, "event", _event("toggle"))  # rows a (1) and b (2) go
        assert await conn.call(page.topic, "cids_will_destroy", {"cids": [1, 2, 99]}) == (
            "ok",
            {},
        )
        assert await conn.call(page.topic, "cids_destroyed", {"cids": [1, 99]}) == (
            "ok",
            {"cids": [1]},
        )
        # b, marked but not destroyed yet, is rendered again: revived and sent in full
        status, response = await conn.call(page.topic, "event", _event("toggle"))
        assert status == "ok"
        revived = response["diff"]["c"]["2"]
        # (with its statics, or another component's whole tree: never a change to its own)
        assert isinstance(revived["s"], list) or revived["s"] not in (2, -2)
        assert await conn.call(page.topic, "cids_destroyed", {"cids": [2]}) == (
            "ok",
            {"cids": []},
        )
        # a came back as a new component, under a new cid
        assert "9" in response["diff"]["c"]


async def test_event_for_a_destroyed_component_is_an_error_not_a_crash() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        await conn.call(page.topic, "event", _event("toggle"))
        await conn.call(page.topic, "cids_will_destroy", {"cids": [1]})
        await conn.call(page.topic, "cids_destroyed", {"cids": [1]})
        assert await conn.call(page.topic, "event", _event("inc", 1)) == (
            "error",
            {"reason": "unknown component"},
        )
        status, _ = await conn.call(page.topic, "event", _event("inc", 3))  # the view lives on
        assert status == "ok"


class Greeter(LiveComponent):
    """Puts a flash on its view from ``update`` (while the view renders)."""

    async def update(self, socket: ComponentSocket, assigns: Mapping[str, Any]) -> None:
        socket.assign(**assigns)
        socket.put_flash("info", f"hello {assigns['name']}")

    def render(self, assigns: Assigns) -> h.Element:
        return h.span(id="greeter")[assigns.name]


class Greeted(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(name="ada")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(name=params["name"])

    def render(self, assigns: Assigns) -> h.Element:
        return h.main[
            h.p("#flash")[assigns.flash.get("info", "")],
            live_component(Greeter, "g", name=assigns.name),
        ]


async def test_view_assigns_a_component_changes_while_rendering_are_rendered_too() -> None:
    app = LiveApp([LiveSession("s", [LiveRoute("/", Greeted)])], secret_key="k" * 32)
    async with live(app, "/") as view:
        await view.wait_for(lambda v: v.element("#flash").text == "hello ada")
        await view.push("rename", {"name": "grace"})
        await view.wait_for(lambda v: v.element("#flash").text == "hello grace")
        assert view.element("#greeter").text == "grace"
