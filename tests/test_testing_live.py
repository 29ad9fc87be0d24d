"""pylive.testing end to end: small LiveViews driven through the real app, on asyncio and trio.

Every test here is also a conformance test: each diff the client receives is checked against
the server's render (``check_diffs`` is on by default).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import anyio
import htpy as h
import pytest
from components import static_component
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from pylive import Assigns, LiveApp, LiveRoute, LiveSession, LiveView, Socket
from pylive.html.keyed import keyed
from pylive.testing import (
    DiffMismatch,
    FormError,
    JoinError,
    LiveClient,
    Redirected,
    SelectorError,
    View,
    ViewClosed,
    ViewCrashed,
    live,
)
from pylive.testing.phoenix import PhoenixConnection

pytestmark = pytest.mark.anyio


# --------------------------------------------------------------------------- views under test


class Counter(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=int(params.get("start", 0)), last=None)

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        socket.assign(last=params)
        match event:
            case "inc":
                socket.assign(count=socket.assigns.count + int(params.get("by", 1)))
            case "crash":
                raise RuntimeError("counter exploded")
            case "ping":
                return {"pong": params}
            case "title":
                socket.assign(page_title=f"Count {socket.assigns.count}")
            case "notify":
                socket.push_event("notified", {"count": socket.assigns.count})
            case "later":
                socket.send_after(0, "boom" if params.get("boom") else "tick")
        return None

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        if msg == "boom":
            raise ValueError("info exploded")
        socket.assign(count=socket.assigns.count + 10)

    def render(self, assigns: Assigns) -> Any:
        return h.div[
            h.p("#count")["Count: ", str(assigns.count)],
            h.button("#inc", phx_click="inc", phx_value_by="1")["+1"],
            h.button("#inc5", phx_click="inc", phx_value_by="5")[h.span["+5"]],
            h.button("#js", phx_click='[["push",{"event":"inc","value":{"by":"3"}}]]')["+3"],
            h.button("#crash", phx_click="crash")["crash"],
            h.div("#hook", phx_hook="Ping")["hook"],
            h.input("#key", phx_keydown="inc", phx_key="ArrowUp", value="k"),
            h.input("#box", type="checkbox", phx_click="ping", value="yes"),
            h.input("#ticked", type="checkbox", phx_click="ping", value="yes", checked=True),
            h.input("#radio", type="radio", phx_click="ping", value="r"),
            h.pre("#last")[json.dumps(assigns.last, sort_keys=True)],
        ]


class Signup(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(got=None, event=None, saved=False)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(got=params, event=event, saved=event == "save")

    def render(self, assigns: Assigns) -> Any:
        return h.div[
            h.form("#f", phx_change="validate", phx_submit="save", phx_value_step="1")[
                h.input(type="text", name="user[name]", value="Ann"),
                h.input(type="email", name="user[email]", value=""),
                h.input(type="hidden", name="user[agree]", value="false"),
                h.input(type="checkbox", name="user[agree]", value="true"),
                h.select(name="user[role]")[
                    h.option(value="a")["A"], h.option(value="b", selected=True)["B"]
                ],
                h.textarea(name="user[bio]")["hi"],
                h.input(type="text", name="search", phx_change="search", value="q"),
                h.button(type="submit", name="commit", value="go")["Save"],
            ],
            h.p("#saved")["saved" if assigns.saved else "draft"],
            h.pre("#got")[json.dumps([assigns.event, assigns.got], sort_keys=True)],
        ]


class Nav(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(tab="none")

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(tab=params.get("tab", "none"))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "patch":
                socket.push_patch("/nav?tab=pushed")
            case "navigate":
                socket.put_flash("info", "welcome")
                socket.push_navigate("/other")
            case "redirect":
                socket.put_flash("info", "bye")
                socket.redirect("/plain")
            case "redirect_live":
                socket.put_flash("info", "full")
                socket.redirect("/other")

    def render(self, assigns: Assigns) -> Any:
        return h.div[
            h.p("#tab")[assigns.tab],
            h.a(
                "#patch", href="/nav?tab=linked", data_phx_link="patch", data_phx_link_state="push"
            )["patch"],
            h.a("#away", href="/other", data_phx_link="redirect", data_phx_link_state="push")[
                "away"
            ],
            h.a("#plain", href="/plain")["plain"],
        ]


class Other(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page_title="Other")

    def render(self, assigns: Assigns) -> Any:
        return h.div[h.p("#flash")[assigns.flash.get("info", "")], h.p["other page"]]


class Private(LiveView):
    def render(self, assigns: Assigns) -> Any:
        return h.div["secret"]


async def require_login(socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
    socket.put_flash("error", "log in first")
    socket.redirect("/other")


class JoinCrash(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        if socket.connected:
            raise KeyError("only when connected")

    def render(self, assigns: Assigns) -> Any:
        return h.div["dead"]


class Board(LiveView):
    """Keyed rows that move, and a LiveComponent that comes and goes."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(entries=["a", "b", "c"], panel=True)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "rotate":
                items = socket.assigns.entries
                socket.assign(entries=[*items[1:], items[0]])
            case "add":
                socket.assign(entries=[*socket.assigns.entries, params["value"]])
            case "toggle":
                socket.assign(panel=not socket.assigns.panel)

    def render(self, assigns: Assigns) -> Any:
        rows = keyed(assigns.entries, key=lambda i: i, render=lambda i: h.li(id=f"i-{i}")[i])
        panel = h.section("#panel")[h.button("#ping", phx_click="noop", phx_target="1")["ping"]]
        return h.div[
            h.ul("#rows")[rows],
            static_component("panel", panel) if assigns.panel else h.p["no panel"],
            h.button("#rotate", phx_click="rotate")["rotate"],
            h.button("#toggle", phx_click="toggle")["toggle"],
        ]


def make_app() -> LiveApp:
    return LiveApp(
        [
            LiveRoute("/", Counter),
            LiveRoute("/counter/{start:int}", Counter),
            LiveRoute("/signup", Signup),
            LiveRoute("/nav", Nav),
            LiveRoute("/other", Other),
            LiveRoute("/join-crash", JoinCrash),
            LiveRoute("/board", Board),
            LiveSession("private", [LiveRoute("/private", Private)], on_mount=[require_login]),
            Route("/plain", lambda request: PlainTextResponse("plain page")),
        ],
        secret_key="testing-secret",
    )


@pytest.fixture
def app() -> LiveApp:
    return make_app()


def last(view: View, selector: str = "#last") -> Any:
    return json.loads(view.element(selector).text)


# --------------------------------------------------------------------------- counter


async def test_counter_click_push_and_reply(app: LiveApp) -> None:
    async with live(app, "/counter/3") as view:
        assert view.element("#count").text == "Count: 3"
        assert "Count: 4" in await view.click("#inc")
        await view.click("#inc5 span")  # the click reaches the nearest phx-click
        assert view.element("#count").text == "Count: 9"
        assert last(view) == {"by": "5", "value": ""}
        await view.click("#js")  # a JS.push command list
        assert view.element("#count").text == "Count: 12"
        await view.click("button", text="+1", value={"by": "2"})
        assert view.element("#count").text == "Count: 14"
        assert await view.push("ping", {"a": 1}) == {"pong": {"a": 1}}
        assert await view.push("inc", {"by": 2}) is None
        assert view.element("#count").text == "Count: 16"
        assert view.assigns["count"] == 16


async def test_click_on_a_checkable_input_sends_its_state_after_the_click(app: LiveApp) -> None:
    # the browser toggles the box before the click event, and the client reads it then
    async with live(app, "/counter/0") as view:
        await view.click("#box")  # unchecked: checked by the click
        assert last(view) == {"value": "yes"}
        await view.click("#ticked")  # checked: unchecked by the click
        assert last(view) == {}
        await view.click("#radio")  # a radio is checked by a click
        assert last(view) == {"value": "r"}


async def test_hook_push_and_keys(app: LiveApp) -> None:
    async with live(app, "/") as view:
        assert await view.hook_push("#hook", "ping", {"x": [1, 2]}) == {"pong": {"x": [1, 2]}}
        await view.keydown("#key", "ArrowDown")  # filtered by phx-key
        assert view.element("#count").text == "Count: 0"
        await view.keydown("#key", "ArrowUp")
        assert last(view) == {"key": "ArrowUp", "value": "k"}
        with pytest.raises(SelectorError, match="phx-hook"):
            await view.hook_push("#count", "ping")


async def test_title_and_pushed_events(app: LiveApp) -> None:
    async with live(app, "/") as view:
        assert view.title == "pylive"
        await view.click("#inc")
        await view.push("title")
        assert view.title == "Count 1"
        await view.push("notify")
        assert view.assert_pushed("notified") == {"count": 1}
        with pytest.raises(AssertionError, match="expected push_event nope"):
            view.assert_pushed("nope")


async def test_server_initiated_updates_are_applied_and_awaitable(app: LiveApp) -> None:
    async with live(app, "/") as view:
        await view.push("later")
        await view.wait_for("Count: 10")
        await view.wait_for(lambda v: v.assigns["count"] == 10)
        with pytest.raises(TimeoutError, match="not met"):
            await view.wait_for("Count: 99", timeout=0.05)


async def test_selector_errors_are_clear(app: LiveApp) -> None:
    async with live(app, "/") as view:
        with pytest.raises(SelectorError, match="no element matches '#missing'"):
            await view.click("#missing")
        with pytest.raises(SelectorError, match="elements match 'button'"):
            await view.click("button")
        with pytest.raises(SelectorError, match="no phx-click"):
            await view.click("#count")


# --------------------------------------------------------------------------- forms


async def test_form_change_sends_target_unused_markers_and_meta(app: LiveApp) -> None:
    async with live(app, "/signup") as view:
        await view.change("#f", {"user": {"email": "a@b.c"}})
        event, got = last(view, "#got")
        assert event == "validate"
        assert got["_target"] == ["user", "email"]
        assert got["step"] == "1"  # phx-value-* of the form travel in meta
        assert got["user"] == {
            "name": "Ann",
            "_unused_name": "",
            "email": "a@b.c",
            "agree": "false",
            "_unused_agree": "",  # hidden + checkbox: not only hidden inputs
            "role": "b",
            "_unused_role": "",
            "bio": "hi",
            "_unused_bio": "",
        }
        assert "_unused_search" in got  # the input with its own phx-change is still in the form
        await view.change("#f", {"user": {"name": "Bo"}})
        _, got = last(view, "#got")
        assert "_unused_email" not in got["user"]  # typed into before: used
        assert got["user"]["name"] == "Bo" and got["_target"] == ["user", "name"]


async def test_input_with_own_phx_change_sends_only_itself(app: LiveApp) -> None:
    async with live(app, "/signup") as view:
        await view.change("input[name=search]", {"search": "new"})
        event, got = last(view, "#got")
        assert event == "search"
        assert got == {"search": "new", "_target": ["search"], "step": "1"}


async def test_form_submit_with_submitter_and_overrides(app: LiveApp) -> None:
    async with live(app, "/signup") as view:
        html = await view.submit("#f", {"user": {"agree": "true", "role": "a"}}, submitter="button")
        assert '<p id="saved">saved</p>' in html
        event, got = last(view, "#got")
        assert event == "save"
        assert got["commit"] == "go"
        assert got["user"] == {
            "name": "Ann",
            "email": "",
            "agree": "true",
            "role": "a",
            "bio": "hi",
        }
        assert not any(k.startswith("_unused") for k in got)
        await view.click("button", text="Save")  # a submit button submits its form
        assert last(view, "#got")[1]["commit"] == "go"
        with pytest.raises(FormError, match="no field named 'user\\[nope\\]'"):
            await view.change("#f", {"user": {"nope": "x"}})


# --------------------------------------------------------------------------- navigation


async def test_patch_by_link_by_test_and_by_server(app: LiveApp) -> None:
    async with live(app, "/nav") as view:
        await view.click("#patch")
        assert view.element("#tab").text == "linked"
        assert view.assert_patch("/nav?tab=linked") == "/nav?tab=linked"
        await view.patch("/nav?tab=direct")
        assert view.element("#tab").text == "direct" and view.path == "/nav?tab=direct"
        await view.push("patch")
        view.assert_patch("/nav?tab=pushed")
        assert view.element("#tab").text == "pushed"
        with pytest.raises(AssertionError, match="expected a live_patch to"):
            view.assert_patch("/nav?tab=other")


async def test_live_redirect_with_flash_then_follow(app: LiveApp) -> None:
    async with live(app, "/nav") as view:
        await view.push("navigate")
        redirect = view.assert_redirect("/other", kind="live_redirect", flash={"info": "welcome"})
        assert redirect.flash == {"info": "welcome"}
        with pytest.raises(ViewClosed, match="follow_redirect"):
            await view.push("patch")
        await view.follow_redirect()
        assert view.path == "/other" and view.title == "Other"
        assert view.element("#flash").text == "welcome" and view.flash == {"info": "welcome"}


async def test_live_link_and_patch_to_another_view_navigate(app: LiveApp) -> None:
    async with live(app, "/nav") as view:
        await view.click("#away")
        view.assert_redirect("/other", kind="live_redirect")
        await view.follow_redirect()
        assert "other page" in view.html()
    async with live(app, "/nav") as view:
        await view.patch("/other")  # another LiveView: the server answers link_redirect
        view.assert_redirect("/other", kind="live_redirect")


async def test_full_redirect_to_a_live_page_carries_the_flash_cookie(app: LiveApp) -> None:
    async with live(app, "/nav") as view:
        await view.push("redirect_live")
        view.assert_redirect("/other", kind="redirect", flash={"info": "full"})
        await view.follow_redirect()
        assert view.element("#flash").text == "full"


async def test_redirect_to_a_plain_page(app: LiveApp) -> None:
    async with live(app, "/nav") as view:
        await view.push("redirect")
        view.assert_redirect("/plain", flash={"info": "bye"})
        with pytest.raises(Exception, match="not a LiveView page"):
            await view.follow_redirect()
        await view.click("#plain")  # a plain link is a full page load
        assert view.assert_redirect("/plain").kind == "redirect"


async def test_mount_redirect_raises_redirected(app: LiveApp) -> None:
    with pytest.raises(Redirected) as caught:
        async with live(app, "/private"):
            pass
    assert caught.value.redirect.to == "/other"
    assert caught.value.redirect.flash == {"error": "log in first"}
    async with live(app, "/private", follow_redirects=True) as view:
        assert view.element("#flash").text == ""  # the flash shows on the redirect target
        assert view.path == "/other"


# --------------------------------------------------------------------------- crashes


async def test_event_crash_is_raised_with_its_cause(app: LiveApp) -> None:
    async with live(app, "/") as view:
        with pytest.raises(ViewCrashed, match="counter exploded") as caught:
            await view.click("#crash")
        assert isinstance(caught.value.__cause__, RuntimeError)
        with pytest.raises(ViewCrashed):
            await view.click("#inc")  # the view stays dead until it rejoins
        await view.rejoin()
        await view.click("#inc")
        assert view.element("#count").text == "Count: 1"


async def test_background_crash_surfaces_on_the_next_call(app: LiveApp) -> None:
    async with live(app, "/") as view:
        await view.push("later", {"boom": True})
        with pytest.raises(ViewCrashed, match="info exploded"):
            await view.wait_for("never")


async def test_unseen_background_crash_is_raised_at_exit(app: LiveApp) -> None:
    with pytest.raises(ViewCrashed, match="info exploded"):
        async with live(app, "/") as view:
            await view.push("later", {"boom": True})
            while view.connected:  # the crash arrives in the background; nobody asks
                await anyio.sleep(0.01)


async def test_join_crash_is_a_join_error_with_its_cause(app: LiveApp) -> None:
    with pytest.raises(JoinError, match="join crashed") as caught:
        async with live(app, "/join-crash"):
            pass
    assert isinstance(caught.value.__cause__, KeyError)


async def test_errors_in_the_test_body_are_not_wrapped(app: LiveApp) -> None:
    with pytest.raises(ZeroDivisionError):
        async with live(app, "/"):
            _ = 1 / 0


# --------------------------------------------------------------------------- keyed rows, components


async def test_keyed_moves_and_component_lifecycle(
    app: LiveApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, Any]] = []
    original = PhoenixConnection.push

    async def spy(self: PhoenixConnection, topic: str, event: str, payload: Any, **kw: Any) -> str:
        sent.append((event, payload))
        return await original(self, topic, event, payload, **kw)

    monkeypatch.setattr(PhoenixConnection, "push", spy)
    async with live(app, "/board") as view:
        await view.click("#rotate")
        assert [li.id for li in view.elements("#rows li")] == ["i-b", "i-c", "i-a"]
        await view.click("#ping")  # phx-target="1": the event goes to LiveComponent 1
        assert sent[-1] == (
            "event",
            {"type": "click", "event": "noop", "value": {"value": ""}, "cid": 1},
        )
        await view.click("#toggle")
        assert view.has_element("p", text="no panel")
        await view.wait_for(lambda v: any(e == "cids_destroyed" for e, _ in sent))
        assert ("cids_will_destroy", {"cids": [1]}) in sent
        await view.click("#toggle")
        assert view.has_element("#ping")


# --------------------------------------------------------------------------- the diff check


async def test_a_diff_engine_bug_is_caught(app: LiveApp, monkeypatch: pytest.MonkeyPatch) -> None:
    from pylive.diff import SentTree

    original = SentTree.diff

    def forgetful(self: SentTree, root: Any, rendered: Any = None, **kw: Any) -> Any:
        out = original(self, root, rendered, **kw)
        if out is not None and "s" not in out and "0" in out:
            out = {k: v for k, v in out.items() if k != "0"}  # drop the changed count
        return out or None

    monkeypatch.setattr(SentTree, "diff", forgetful)
    async with live(app, "/", check_diffs=True) as view:
        with pytest.raises(DiffMismatch, match="differs from the server's full render") as caught:
            await view.click("#inc")
    message = str(caught.value)
    assert "server HTML:" in message and "client HTML:" in message and "Count: 1" in message


async def test_diff_checking_can_be_turned_off(app: LiveApp) -> None:
    async with live(app, "/", check_diffs=False) as view:
        await view.click("#inc")
        assert view.assigns == {}  # assigns come from the server probe, off here


# --------------------------------------------------------------------------- the client and plugin


async def test_live_client_keeps_cookies_across_pages(app: LiveApp) -> None:
    client = LiveClient(app)
    async with client.live("/") as first:
        await first.click("#inc")
    assert "_pylive_csrf" in client.cookies
    async with client.live("/nav") as second:
        assert second.element("#tab").text == "none"
    response = await client.get("/plain")
    assert response.status == 200 and response.text == "plain page"


async def test_plugin_fixture(app: LiveApp, live_client: Callable[..., LiveClient]) -> None:
    client = live_client(app)
    assert isinstance(client, LiveClient) and client.check_diffs
    async with client.live("/") as view:
        assert view.connected and view.id


async def test_app_mounted_under_a_prefix() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    host = Starlette(routes=[Mount("/app", app=make_app())])
    async with live(host, "/app/counter/1") as view:
        await view.click("#inc")
        assert view.element("#count").text == "Count: 2"
        assert view.path == "/app/counter/1"
