"""The LiveView channel over the real app: a reply for every client request (or, after a crash,
only ``phx_error``), joins and their token checks, navigation and flash, pushes and ordering."""

from __future__ import annotations

import contextvars
from contextvars import ContextVar
from typing import Any, ClassVar

import anyio
import pytest
from diff_values import client_html, diff_reply, slot_values
from htpy import Element, p
from live_apps import SECRET, PatchOnMount, make_app
from live_socket import join, load_page, open_page

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket
from pylive.phoenix_socket import _socket_context
from pylive.testing import phoenix
from pylive.testing.client import LiveClient
from pylive.testing.page import LivePage
from pylive.testing.phoenix import Frame, PhoenixConnection
from pylive.tokens import Tokens

pytestmark = pytest.mark.anyio


def click(event: str, value: Any = None) -> dict[str, Any]:
    return {"type": "click", "event": event, "value": {"value": ""} if value is None else value}


# --------------------------------------------------------------------------- join


async def test_join_reply_has_full_render_and_version() -> None:
    async with open_page(make_app(), "/counter/5") as (conn, page):
        status, response = await join(conn, page)
    assert status == "ok"
    assert response["liveview_version"] == "1.2.12"
    rendered = response["rendered"]
    assert "<p>Count: 5</p>" in client_html(page.view_id, rendered) and isinstance(
        rendered["p"], dict
    )
    assert "r" not in rendered and "container" not in response and "t" not in rendered


async def test_join_sends_page_title_when_set() -> None:
    async with open_page(make_app(), "/other") as (conn, page):
        _, response = await join(conn, page)
    assert response["rendered"]["t"] == "Other"


@pytest.mark.parametrize(
    "tamper",
    [
        {"session": "forged"},
        {"static": "forged"},
        {"session": None},
        "topic",
    ],
)
async def test_join_with_bad_tokens_is_stale(tamper: Any) -> None:
    async with open_page(make_app()) as (conn, page):
        if tamper == "topic":
            ref = await conn.join("lv:phx-other", page.join_payload())
            assert await conn.expect_reply(ref) == ("error", {"reason": "stale"})
        else:
            assert await join(conn, page, **tamper) == ("error", {"reason": "stale"})


async def test_join_without_csrf_token_is_stale() -> None:
    app = make_app()
    client = LiveClient(app)
    page = client.page_of(await client.get("/"))
    async with phoenix.connect(app, page.socket_path, cookies=client.cookies.header()) as conn:
        assert await join(conn, page) == ("error", {"reason": "stale"})


async def test_join_with_a_static_token_of_another_view_is_stale() -> None:
    app = make_app()
    other = await load_page(app, "/other")
    async with open_page(app) as (conn, page):
        assert await join(conn, page, static=other.static) == ("error", {"reason": "stale"})


async def test_join_url_routing_elsewhere_is_unauthorized() -> None:
    async with open_page(make_app()) as (conn, page):
        url = "http://testserver/other"
        assert await join(conn, page, url=url) == ("error", {"reason": "unauthorized"})


async def test_join_redirect_into_another_live_session_is_unauthorized() -> None:
    async with open_page(make_app()) as (conn, page):
        redirect = "http://testserver/admin?user=x"
        assert await join(conn, page, page.join_payload(redirect=redirect)) == (
            "error",
            {"reason": "unauthorized"},
        )


async def test_join_by_live_redirect_mounts_the_target_with_flash_and_container() -> None:
    flash = Tokens(SECRET).sign("flash", {"info": "welcome"})
    async with open_page(make_app()) as (conn, page):
        payload = page.join_payload(redirect="http://testserver/other", flash=flash)
        status, response = await join(conn, page, payload)
    assert status == "ok"
    assert response["container"] == ["div", {}]
    assert "welcome" in str(response["rendered"])
    assert response["rendered"]["t"] == "Other"


async def test_mount_time_patch_is_in_the_join_reply() -> None:
    async with open_page(make_app(), "/patch?tab=x") as (conn, page):
        url = "http://testserver/patch"
        status, response = await join(conn, page, url=url)
    assert status == "ok"
    assert response["live_patch"] == {"to": "/patch?tab=home", "kind": "replace"}
    assert client_html(page.view_id, response["rendered"]) == "<div>home</div>"


async def test_on_mount_hook_redirect_refuses_the_join_with_flash() -> None:
    async with open_page(make_app(), "/admin?user=ann") as (conn, page):
        url = "http://testserver/admin"  # the same page, now without ?user
        status, response = await join(conn, page, url=url)
    assert status == "error"
    assert response["redirect"]["to"] == "/"
    assert Tokens(SECRET).verify("flash", response["redirect"]["flash"]) == {
        "error": "log in first"
    }


async def test_flash_of_the_http_render_survives_only_the_first_mount() -> None:
    app = make_app()
    flash = Tokens(SECRET).sign("flash", {"info": "saved"})
    client = LiveClient(app, cookies={"__phoenix_flash__": flash})
    response = await client.get("/")
    assert "saved" in response.text
    page = client.page_of(response)
    async with client.connect(page) as conn:
        _, first = await join(conn, page)
        assert '<span class="flash">saved</span>' in client_html(page.view_id, first["rendered"])
        ref = await conn.join(page.topic, page.join_payload(mounts=1))
        await conn.receive()  # phx_close of the first join
        _, again = await conn.expect_reply(ref)
        assert '<span class="flash"></span>' in client_html(page.view_id, again["rendered"])


# --------------------------------------------------------------------------- reply matrix


async def test_event_replies_diff_or_empty() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        assert diff_reply(await conn.call(page.topic, "event", click("inc"))) == ("ok", ["1"])
        assert await conn.call(page.topic, "event", click("noop")) == ("ok", {})
        assert await conn.call(page.topic, "event", click("unhandled")) == ("ok", {})


async def test_hook_reply_is_top_level_r() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        payload = {"type": "hook", "event": "reply", "value": {"a": 1}}
        assert await conn.call(page.topic, "event", payload) == (
            "ok",
            {"diff": {"r": {"got": {"a": 1}}}},
        )


async def test_form_event_value_is_decoded_with_meta_and_target() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        payload = {
            "type": "form",
            "event": "reply",
            "value": "user%5Bname%5D=Jo+Do&user%5B_unused_email%5D=",
            "meta": {"_target": "user[name]"},
            "uploads": {},
        }
        _, response = await conn.call(page.topic, "event", payload)
    assert response["diff"]["r"]["got"] == {
        "user": {"name": "Jo Do", "_unused_email": ""},
        "_target": ["user", "name"],
    }


async def test_title_and_push_event_are_top_level_keys() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        assert await conn.call(page.topic, "event", click("title", {"value": "Hi"})) == (
            "ok",
            {"diff": {"t": "Hi"}},
        )
        assert await conn.call(page.topic, "event", click("event")) == (
            "ok",
            {"diff": {"e": [["hello", {"n": 1}]]}},
        )


async def test_flash_and_lv_clear_flash() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        flash = await conn.call(page.topic, "event", click("flash", {"value": "hey"}))
        assert diff_reply(flash) == ("ok", ["hey"])
        clear = {"type": "click", "event": "lv:clear-flash", "value": {"key": "info"}}
        assert diff_reply(await conn.call(page.topic, "event", clear)) == ("ok", [""])


async def test_unknown_messages_get_error_replies() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        assert await conn.call(page.topic, "event", click("lv:bogus")) == (
            "error",
            {"reason": "unknown event"},
        )
        assert await conn.call(page.topic, "bogus", {}) == ("error", {"reason": "unknown event"})
        assert await conn.call(page.topic, "event", {"type": "click"}) == (
            "error",
            {"reason": "malformed event"},
        )


async def test_component_messages() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        # an event for a component the view does not hold: a clear error, the view lives on
        assert await conn.call(page.topic, "event", {**click("inc"), "cid": 7}) == (
            "error",
            {"reason": "unknown component"},
        )
        assert await conn.call(page.topic, "cids_will_destroy", {"cids": [1]}) == ("ok", {})
        # only cids that existed are reported destroyed (this view has no components)
        assert await conn.call(page.topic, "cids_destroyed", {"cids": [1]}) == ("ok", {"cids": []})


async def test_redirect_replies_then_closes() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        jr = conn.join_refs[page.topic]
        assert await conn.call(page.topic, "event", click("redirect", {"to": "/other"})) == (
            "ok",
            {"redirect": {"to": "/other"}},
        )
        assert await conn.receive() == Frame(jr, jr, page.topic, "phx_close", {})
        assert await conn.call(page.topic, "event", click("inc")) == (
            "error",
            {"reason": "unmatched topic"},
        )


async def test_external_redirect_keeps_the_full_url() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        to = "https://example.com/x"
        assert await conn.call(page.topic, "event", click("redirect", {"to": to})) == (
            "ok",
            {"redirect": {"to": to}},
        )


async def test_push_navigate_replies_live_redirect_with_flash_then_closes() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        status, response = await conn.call(page.topic, "event", click("navigate", {"to": "/other"}))
        assert (await conn.receive()).event == "phx_close"
        target = response["live_redirect"]
        assert (target["to"], target["kind"]) == ("/other", "push")
        assert Tokens(SECRET).verify("flash", target["flash"]) == {"info": "moved"}
        # the client then joins the same topic with redirect + flash
        payload = page.join_payload(redirect="http://testserver/other", flash=target["flash"])
        status, joined = await join(conn, page, payload)
        assert status == "ok" and "moved" in str(joined["rendered"])


async def test_push_patch_pushes_live_patch_before_the_diff_reply() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        jr = conn.join_refs[page.topic]
        ref = await conn.push(page.topic, "event", click("patch", {"to": "/?tab=x"}))
        assert await conn.receive() == Frame(
            jr,
            None,
            page.topic,
            "live_patch",
            {"to": "/?tab=x", "kind": "push"},
        )
        assert diff_reply(await conn.expect_reply(ref)) == ("ok", ["x"])


async def test_push_patch_to_another_view_crashes_the_view() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        await conn.push(page.topic, "event", click("patch", {"to": "/other"}))
        assert (await conn.receive()).event == "phx_error"  # and no reply to the event


async def test_live_patch_same_view_runs_handle_params_other_view_link_redirects() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        patched = await conn.call(page.topic, "live_patch", {"url": "http://testserver/?tab=y"})
        assert diff_reply(patched) == ("ok", ["y"])
        assert await conn.call(page.topic, "live_patch", {"url": "http://testserver/other"}) == (
            "ok",
            {"link_redirect": True},
        )


# --------------------------------------------------------------------------- crashes


async def test_crash_reports_error_and_rejoin_mounts_fresh() -> None:
    app = make_app()
    other = await load_page(app, "/other")
    async with open_page(app) as (conn, page):
        await join(conn, page)
        await join(conn, other)
        jr = conn.join_refs[page.topic]
        await conn.call(page.topic, "event", click("inc"))
        # like a crashed Phoenix channel: no reply to the event, only phx_error
        await conn.push(page.topic, "event", click("crash"))
        assert await conn.receive() == Frame(
            jr, jr, page.topic, "phx_error", {"reason": "channel_crash"}
        )
        # the other view on the same socket is unaffected
        await conn.push(other.topic, "event", click("x"))
        # Other has no handle_event: that is a crash too, of Other only
        assert (await conn.receive()).topic == other.topic
        status, response = await join(conn, page, page.join_payload(mounts=1))
        assert status == "ok" and "<p>Count: 0</p>" in client_html(
            page.view_id, response["rendered"]
        )
        assert diff_reply(await conn.call(page.topic, "event", click("inc"))) == ("ok", ["1"])


async def test_terminate_runs_on_leave() -> None:
    PatchOnMount.log.clear()
    async with open_page(make_app(), "/patch?tab=a") as (conn, page):
        await join(conn, page)
        ref = await conn.push(page.topic, "phx_leave", {})
        await conn.receive()
        assert await conn.expect_reply(ref) == ("ok", {})
    assert PatchOnMount.log == ["leave"]


# --------------------------------------------------------------------------- server pushes


async def test_info_from_send_after_is_a_diff_push() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        jr = conn.join_refs[page.topic]
        assert await conn.call(page.topic, "event", click("tick")) == ("ok", {})
        frame = await conn.receive()
        assert frame == Frame(jr, None, page.topic, "diff", frame.payload)
        assert slot_values(frame.payload) == ["100"]


async def test_join_reply_precedes_the_first_push() -> None:
    async with open_page(make_app(), "/background?tick=1") as (conn, page):
        status, response = await join(conn, page)  # asserts the reply is the first frame
        rendered = response["rendered"]
        assert (
            status == "ok"
            and client_html(page.view_id, rendered)
            == "<div><p>loading</p><p>idle</p><p>0</p></div>"
        )
        pushes = [await conn.receive(), await conn.receive()]
    # the async data and the tick arrive as pushes, in whichever order they finished
    assert sorted(slot_values(frame.payload) for frame in pushes) == [["1"], ["loaded"]]
    diffs = [frame.payload for frame in pushes]
    assert (
        client_html(page.view_id, rendered, *diffs) == "<div><p>loaded</p><p>idle</p><p>1</p></div>"
    )


async def test_assign_async_and_start_async() -> None:
    async with open_page(make_app(), "/background") as (conn, page):
        _, response = await join(conn, page)
        rendered = response["rendered"]
        assert client_html(page.view_id, rendered) == "<div><p>loading</p><p>idle</p><p>0</p></div>"
        loaded = (await conn.receive()).payload
        assert slot_values(loaded) == ["loaded"]
        assert await conn.call(page.topic, "event", click("job")) == ("ok", {})
        done = (await conn.receive()).payload
        assert slot_values(done) == ["ok:done"]
        assert await conn.call(page.topic, "event", click("bad_job")) == ("ok", {})
        failed = (await conn.receive()).payload
        assert slot_values(failed) == ["failed:ValueError"]
    assert client_html(page.view_id, rendered, loaded, done, failed) == (
        "<div><p>loaded</p><p>failed:ValueError</p><p>0</p></div>"
    )


async def test_send_interval_ticks_until_cancelled() -> None:
    async with open_page(make_app(), "/background") as (conn, page):
        await join(conn, page)
        await conn.receive()  # async data
        assert await conn.call(page.topic, "event", click("interval")) == ("ok", {})
        assert [slot_values((await conn.receive()).payload) for _ in range(3)] == [
            ["1"],
            ["2"],
            ["3"],
        ]
        await conn.expect_silence(0.1)


async def test_server_redirect_flushes_events_then_pushes_redirect_and_closes() -> None:
    async with open_page(make_app(), "/background") as (conn, page):
        await join(conn, page)
        await conn.receive()
        jr = conn.join_refs[page.topic]
        assert await conn.call(page.topic, "event", click("redirect_later")) == ("ok", {})
        assert await conn.receive() == Frame(jr, None, page.topic, "diff", {"e": [["bye", {}]]})
        assert await conn.receive() == Frame(jr, None, page.topic, "redirect", {"to": "/other"})
        assert await conn.receive() == Frame(jr, jr, page.topic, "phx_close", {})


async def test_events_for_a_channel_queue_behind_its_join() -> None:
    async with open_page(make_app()) as (conn, page):
        join_ref = await conn.join(page.topic, page.join_payload())
        refs = [await conn.push(page.topic, "event", click("inc")) for _ in range(3)]
        assert (await conn.expect_reply(join_ref))[0] == "ok"
        assert [diff_reply(await conn.expect_reply(r)) for r in refs] == [
            ("ok", [str(n)]) for n in (1, 2, 3)
        ]


# --------------------------------------------------------------------------- idle views


def _tasks_named(suffix: str) -> int:
    return sum(1 for task in anyio.get_running_tasks() if (task.name or "").endswith(suffix))


async def _until_no_task(suffix: str) -> None:
    with anyio.fail_after(10):
        while _tasks_named(suffix):
            await anyio.sleep(0.01)


async def test_an_idle_view_holds_no_task_and_wakes_for_its_next_message() -> None:
    async with open_page(make_app()) as (conn, page):
        await join(conn, page)
        # the task that ran the join ends once the mailbox is empty
        await _until_no_task("PhoenixSocket._serve_channel")
        for n in (1, 2):
            assert diff_reply(await conn.call(page.topic, "event", click("inc"))) == (
                "ok",
                [str(n)],
            )
            await _until_no_task("PhoenixSocket._serve_channel")


class ShowsItsTask(LiveView):
    """Renders the id of the task that handled its last event, and the events' count."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(task=0, events=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(task=anyio.get_current_task().id, events=socket.assigns.events + 1)

    def render(self, assigns: Assigns) -> Element:
        return p[f"{assigns.task} {assigns.events}"]


async def _event_task(conn: PhoenixConnection, page: LivePage) -> str:
    """Click; the id of the task that handled it."""
    status, shown = diff_reply(await conn.call(page.topic, "event", click("x")))
    assert status == "ok"
    return str(shown[0]).split()[0]


async def test_a_view_in_use_keeps_its_task_until_two_linger_checks_passed() -> None:
    app = LiveApp([LiveRoute("/", ShowsItsTask)], secret_key=SECRET)
    linger = app.runtime.linger
    linger.seconds = 3600.0  # the test runs the checks itself
    async with open_page(app) as (conn, page):
        await join(conn, page)
        await _until_no_task("PhoenixSocket._serve_channel")  # the join's task does not wait
        first = await _event_task(conn, page)
        await anyio.wait_all_tasks_blocked()  # a task that ends has ended now
        assert _tasks_named("PhoenixSocket._serve_channel") == 1  # it waits for mail
        second = await _event_task(conn, page)
        assert first == second  # the same task handled both events
        linger.check()  # the wait began before this check: it goes on
        await anyio.wait_all_tasks_blocked()
        assert _tasks_named("PhoenixSocket._serve_channel") == 1
        linger.check()
        await _until_no_task("PhoenixSocket._serve_channel")
        assert diff_reply(await conn.call(page.topic, "event", click("x")))[0] == "ok"


async def test_timers_stop_when_their_view_ends() -> None:
    async with open_page(make_app(), "/background") as (conn, page):
        await join(conn, page)
        await conn.receive()  # async data
        assert await conn.call(page.topic, "event", click("interval")) == ("ok", {})
        await conn.receive()  # the first tick: the timer runs
        assert _tasks_named("LiveViewChannel.spawn.<locals>.guarded") == 1
        ref = await conn.push(page.topic, "phx_leave", {})
        while (await conn.receive()).ref != ref:
            pass
        await _until_no_task("LiveViewChannel.spawn.<locals>.guarded")


async def test_an_idle_view_terminates_when_its_socket_ends() -> None:
    PatchOnMount.log.clear()
    async with open_page(make_app(), "/patch?tab=a") as (conn, page):
        await join(conn, page)
        await _until_no_task("PhoenixSocket._serve_channel")
    with anyio.fail_after(10):
        while not PatchOnMount.log:
            await anyio.sleep(0.01)
    assert PatchOnMount.log == ["closed"]


class Terminates(ShowsItsTask):
    log: ClassVar[list[str]] = []

    async def terminate(self, socket: Socket, reason: str) -> None:
        Terminates.log.append(reason)


async def test_a_view_in_use_terminates_when_its_socket_ends() -> None:
    """Its task waits for mail (``Linger``) when the socket ends: the view still ends."""
    Terminates.log.clear()
    app = LiveApp([LiveRoute("/", Terminates)], secret_key=SECRET)
    app.runtime.linger.seconds = 3600.0  # no check ends the wait
    async with open_page(app) as (conn, page):
        await join(conn, page)
        await _event_task(conn, page)
        await anyio.wait_all_tasks_blocked()
        assert _tasks_named("PhoenixSocket._serve_channel") == 1  # it waits for mail
    with anyio.fail_after(10):
        while not Terminates.log:
            await anyio.sleep(0.01)
    assert Terminates.log == ["closed"]
    await _until_no_task("PhoenixSocket._serve_channel")


USER: ContextVar[str] = ContextVar("USER", default="nobody")


class RemembersContext(LiveView):
    """Sets a context variable in mount (as a logging library's bound fields are) and shows
    what ``handle_event`` sees of it, then sets it again."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        USER.set("ada")
        socket.assign(seen="")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(seen=USER.get())
        USER.set(f"{USER.get()}+")

    def render(self, assigns: Assigns) -> Element:
        return p[assigns.seen]


async def test_context_variables_set_by_a_view_outlive_its_idle_spells() -> None:
    app = LiveApp([LiveRoute("/", RemembersContext)], secret_key=SECRET)
    async with open_page(app) as (conn, page):
        await join(conn, page)
        for seen in ("ada", "ada+", "ada++"):
            await _until_no_task("PhoenixSocket._serve_channel")  # idle between events
            assert diff_reply(await conn.call(page.topic, "event", click("x"))) == (
                "ok",
                [seen],
            )


STEP: ContextVar[int] = ContextVar("STEP", default=0)


def test_sockets_made_in_equal_contexts_share_one() -> None:
    """Per-socket memory: every connection of an app sets the same variables before it makes
    its socket; the sockets then share one context to start their channels' tasks in."""

    def make(step: int) -> contextvars.Context:
        STEP.set(step)
        return _socket_context()

    first = contextvars.copy_context().run(make, 1)
    assert contextvars.copy_context().run(make, 1) is first
    other = contextvars.copy_context().run(make, 2)
    assert other is not first and other[STEP] == 2 and first[STEP] == 1


class RefusesLate(LiveView):
    """A connected mount that waits for the test's gate, then fails (``join crashed``)."""

    gate: anyio.Event | None = None

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        if socket.connected and RefusesLate.gate is not None:
            await RefusesLate.gate.wait()
            raise RuntimeError("this join fails")

    def render(self, assigns: Assigns) -> Element:
        return p["never joined"]


async def test_a_message_for_another_join_behind_a_refused_join_is_unmatched() -> None:
    # Phoenix's socket waits for a join's outcome before it reads on: a message for another
    # join of the topic is dropped if the join is accepted, and answered ``unmatched topic``
    # if it was refused, however slow the join
    RefusesLate.gate = gate = anyio.Event()
    app = LiveApp([LiveRoute("/", RefusesLate)], secret_key=SECRET)
    async with open_page(app) as (conn, page):
        join_ref = await conn.join(page.topic, page.join_payload())
        stray = conn.next_ref()
        await conn.send(Frame("bogus", stray, page.topic, "event", click("x")))
        beat = await conn.heartbeat()
        gate.set()
        replies: dict[str | None, tuple[str | None, Any]] = {}
        while beat not in replies:
            frame = await conn.receive()
            if frame.is_reply:
                replies[frame.ref] = (frame.status, frame.response)
    assert replies[join_ref] == ("error", {"reason": "join crashed"})
    assert replies[stray] == ("error", {"reason": "unmatched topic"})
