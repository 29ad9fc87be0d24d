"""Lifecycle hooks (``socket.attach_hook``): continue and halt per stage, halt with a reply,
detach, duplicate names, ``after_render``, hooks attached from ``on_mount``.

Every test runs through ``pylive.testing``, which checks each diff against the server's render.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import htpy as h
import pytest

from pylive import CONT, HALT, AsyncResult, Halt, LiveApp, LiveRoute, LiveSession, LiveView, Socket
from pylive.testing import DiffMismatch, ViewCrashed, live

pytestmark = pytest.mark.anyio

SECRET = "attach-hook-tests-secret-key-0123456789"
CALLS: list[str] = []


async def count_events(socket: Socket, event: str, params: dict[str, Any]) -> None:
    CALLS.append(f"count:{event}")
    socket.assign(events=socket.assigns.events + 1)


async def guard(socket: Socket, event: str, params: dict[str, Any]) -> Halt | None:
    CALLS.append(f"guard:{event}")
    if event == "blocked":
        socket.assign(note="blocked by the hook")
        return HALT
    if event == "ask":
        socket.assign(note="answered by the hook")
        return Halt({"answer": 42})
    if event == "stop-counting":
        socket.detach_hook("count", "handle_event")
        return HALT
    return CONT


async def filter_info(socket: Socket, msg: Any) -> Halt | None:
    CALLS.append(f"info-hook:{msg}")
    if msg == "swallow":
        socket.assign(note="info halted")
        return HALT
    return None


async def filter_async(socket: Socket, name: Hashable, result: AsyncResult[Any]) -> Halt | None:
    CALLS.append(f"async-hook:{name}")
    if name == "hidden":
        socket.assign(note=f"async halted with {result.result}")
        return HALT
    return None


async def filter_params(socket: Socket, params: dict[str, Any], uri: str) -> Halt | None:
    CALLS.append(f"params-hook:{params.get('tab')}")
    if params.get("tab") == "secret":
        socket.assign(tab="(hidden)")
        return HALT
    return None


async def count_renders(socket: Socket) -> None:
    CALLS.append("after_render")
    socket.assign(renders=socket.assigns.renders + 1)  # not counted as changed
    socket.push_event("rendered", {"n": socket.assigns.renders})


class Hooked(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(events=0, note="", tab="", renders=0, handled=0)
        socket.attach_hook("count", "handle_event", count_events)
        socket.attach_hook("guard", "handle_event", guard)
        socket.attach_hook("info", "handle_info", filter_info)
        socket.attach_hook("async", "handle_async", filter_async)
        socket.attach_hook("params", "handle_params", filter_params)
        socket.attach_hook("renders", "after_render", count_renders)

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        CALLS.append(f"view-params:{params.get('tab')}")
        socket.assign(tab=params.get("tab", ""))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        CALLS.append(f"view:{event}")
        match event:
            case "send":
                await socket.inbox.send(params["msg"])
            case "work":
                socket.start_async(params["name"], lambda: params["name"].upper())
            case "bump":
                socket.assign(handled=socket.assigns.handled + 1)
            case "change-nothing":
                pass

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        CALLS.append(f"view-info:{msg}")
        socket.assign(note=f"info {msg}")

    async def handle_async(self, socket: Socket, name: Hashable, result: AsyncResult[Any]) -> None:
        CALLS.append(f"view-async:{name}")
        socket.assign(note=f"async {result.result}")

    def render(self, assigns: Any) -> h.Element:
        return h.div[
            h.p("#events")[f"events: {assigns.events}"],
            h.p("#handled")[f"handled: {assigns.handled}"],
            h.p("#note")[assigns.note],
            h.p("#tab")[assigns.tab],
            h.button("#bump", phx_click="bump")["bump"],
        ]


async def attach_from_on_mount(
    socket: Socket, params: dict[str, Any], session: dict[str, Any]
) -> None:
    socket.assign(events=0)
    socket.attach_hook("count", "handle_event", count_events)


class Plain(LiveView):
    """Attaches nothing itself: its session's ``on_mount`` does."""

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        CALLS.append(f"view:{event}")

    def render(self, assigns: Any) -> h.Element:
        return h.p("#events")[f"events: {assigns.events}"]


class BadReturn(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        async def bad(socket: Socket, event: str, params: dict[str, Any]) -> Any:
            return {"not": "a Halt"}

        async def info_reply(socket: Socket, msg: Any) -> Any:
            return Halt({"no": "replies here"})

        socket.attach_hook("bad", "handle_event", bad)
        socket.attach_hook("info_reply", "handle_info", info_reply)

    def render(self, assigns: Any) -> h.Element:
        return h.p["bad"]


class ShowsAfterRender(LiveView):
    """Breaks the rule: its after_render hook changes an assign the page shows."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        async def stamp(socket: Socket) -> None:
            socket.assign(stamp=socket.assigns.stamp + 1)

        socket.assign(stamp=0)
        socket.attach_hook("stamp", "after_render", stamp)

    def render(self, assigns: Any) -> h.Element:
        return h.p("#stamp")[assigns.stamp]


def make_app() -> LiveApp:
    return LiveApp(
        [
            LiveRoute("/", Hooked),
            LiveRoute("/bad", BadReturn),
            LiveRoute("/shows", ShowsAfterRender),
            LiveSession("counted", [LiveRoute("/plain", Plain)], on_mount=[attach_from_on_mount]),
        ],
        secret_key=SECRET,
    )


def calls() -> list[str]:
    """The calls so far, without ``after_render`` ones."""
    return [call for call in CALLS if call != "after_render"]


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    CALLS.clear()


async def test_handle_event_hooks_run_in_attach_order_before_the_view() -> None:
    async with live(make_app(), "/") as view:
        CALLS.clear()
        html = await view.click("#bump")
        assert calls() == ["count:bump", "guard:bump", "view:bump"]
        assert "events: 1" in html and "handled: 1" in html


async def test_a_halting_hook_skips_later_hooks_and_the_view_but_its_changes_render() -> None:
    async with live(make_app(), "/") as view:
        CALLS.clear()
        assert await view.push("blocked") is None
        assert calls() == ["count:blocked", "guard:blocked"]  # Hooked does not handle "blocked"
        assert view.element("#note").text == "blocked by the hook"
        assert view.element("#events").text == "events: 1"


async def test_a_handle_event_hook_halts_with_a_reply() -> None:
    async with live(make_app(), "/") as view:
        CALLS.clear()
        assert await view.push("ask") == {"answer": 42}
        assert calls() == ["count:ask", "guard:ask"]
        assert view.element("#note").text == "answered by the hook"


async def test_a_hook_detaches_another() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#bump")
        await view.push("stop-counting")  # counted, then the guard detaches "count"
        assert view.element("#events").text == "events: 2"
        CALLS.clear()
        await view.click("#bump")
        assert calls() == ["guard:bump", "view:bump"]
        assert view.element("#events").text == "events: 2"


async def test_handle_info_hooks_continue_or_halt() -> None:
    async with live(make_app(), "/") as view:
        CALLS.clear()
        await view.push("send", {"msg": "hello"})
        await view.wait_for(lambda v: v.element("#note").text == "info hello")
        assert calls()[-2:] == ["info-hook:hello", "view-info:hello"]
        await view.push("send", {"msg": "swallow"})
        await view.wait_for(lambda v: v.element("#note").text == "info halted")
        assert "view-info:swallow" not in CALLS


async def test_handle_async_hooks_continue_or_halt() -> None:
    async with live(make_app(), "/") as view:
        CALLS.clear()
        await view.push("work", {"name": "shown"})
        await view.wait_for(lambda v: v.element("#note").text == "async SHOWN")
        assert calls()[-2:] == ["async-hook:shown", "view-async:shown"]
        await view.push("work", {"name": "hidden"})
        await view.wait_for(lambda v: v.element("#note").text == "async halted with HIDDEN")
        assert "view-async:hidden" not in CALLS


async def test_handle_params_hooks_run_in_both_renders_and_on_patches() -> None:
    async with live(make_app(), "/?tab=secret") as view:
        # dead render, then the connected mount: the hook halts both times
        assert CALLS.count("params-hook:secret") == 2
        assert "view-params:secret" not in CALLS
        assert view.element("#tab").text == "(hidden)"
        await view.patch("/?tab=open")
        assert calls()[-2:] == ["params-hook:open", "view-params:open"]
        assert view.element("#tab").text == "open"


async def test_after_render_runs_after_each_render_and_its_assigns_do_not_render() -> None:
    async with live(make_app(), "/") as view:
        assert CALLS.count("after_render") == 1  # the join's render, not the HTTP one
        await view.click("#bump")
        assert CALLS.count("after_render") == 2
        await view.push("change-nothing")  # counted by the "count" hook: a render
        assert CALLS.count("after_render") == 3
        assert [e.payload["n"] for e in view.pushed_events] == [1, 2, 3]
        assert view.assigns["renders"] == 3
        assert "renders" not in view.html()


async def test_no_render_no_after_render() -> None:
    async with live(make_app(), "/") as view:
        before = CALLS.count("after_render")
        await view.push("send", {"msg": "swallow"})  # "events" changed: a render
        await view.wait_for(lambda v: v.element("#note").text == "info halted")  # a render
        await view.push("send", {"msg": "swallow"})  # a render; its info changes nothing
        await view.push("change-nothing")  # handled after that info (one mailbox): a render
        assert CALLS.count("info-hook:swallow") == 2
        assert CALLS.count("after_render") == before + 4


async def test_a_shown_assign_changed_after_render_is_reported_by_the_test_client() -> None:
    with pytest.raises(DiffMismatch):
        async with live(make_app(), "/shows"):
            pass


async def test_hooks_attached_from_on_mount() -> None:
    async with live(make_app(), "/plain") as view:
        CALLS.clear()
        await view.push("anything")
        assert calls() == ["count:anything", "view:anything"]
        assert view.element("#events").text == "events: 1"


async def test_a_bad_hook_return_crashes_the_view() -> None:
    async with live(make_app(), "/bad") as view:
        with pytest.raises(ViewCrashed, match="must return None, CONT, HALT or Halt"):
            await view.push("x")


async def _noop_event(socket: Socket, event: str, params: dict[str, Any]) -> None:
    return None


async def _noop_render(socket: Socket) -> None:
    return None


def test_duplicate_names_per_stage_are_refused() -> None:
    socket = Socket("phx-test")
    socket.attach_hook("audit", "handle_event", _noop_event)
    socket.attach_hook("audit", "after_render", _noop_render)  # another stage: fine
    with pytest.raises(ValueError, match="'audit' is already attached to 'handle_event'"):
        socket.attach_hook("audit", "handle_event", _noop_event)
    socket.detach_hook("audit", "handle_event")
    socket.attach_hook("audit", "handle_event", _noop_event)  # free again
    socket.detach_hook("never-attached", "handle_event")  # no error, as in Phoenix


def test_unknown_stages_and_sync_functions_are_refused() -> None:
    socket = Socket("phx-test")
    with pytest.raises(ValueError, match=r"use LiveSession\(on_mount=\.\.\.\) for mount"):
        socket.attach_hook("m", "mount", _noop_render)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="no lifecycle stage 'render'"):
        socket.detach_hook("m", "render")  # type: ignore[arg-type]

    def sync_hook(socket: Socket) -> None:
        return None

    with pytest.raises(TypeError, match="must be an 'async def' function"):
        socket.attach_hook("s", "after_render", sync_hook)  # type: ignore[call-overload]
