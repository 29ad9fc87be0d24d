"""The LiveView channel over the real app: the reply matrix of protocol.md §4.11, joins (§2.6-2.8),
navigation and flash (§5), pushes and ordering (§4.12, §11)."""

from __future__ import annotations

from typing import Any

import pytest
from asgi_driver import get_page, live, websocket
from diff_values import diff_reply, slot_values, to_html
from live_apps import SECRET, PatchOnMount, make_app

from pylive.tokens import Tokens

pytestmark = pytest.mark.anyio


def click(event: str, value: Any = None) -> dict[str, Any]:
    return {"type": "click", "event": event, "value": {"value": ""} if value is None else value}


# --------------------------------------------------------------------------- join


async def test_join_reply_has_full_render_and_version() -> None:
    async with live(make_app(), "/counter/5") as (ws, page):
        status, response = await ws.join_page(page)
    assert status == "ok"
    assert response["liveview_version"] == "1.2.12"
    rendered = response["rendered"]
    assert "<p>Count: 5</p>" in to_html(rendered) and isinstance(rendered["p"], dict)
    assert "r" not in rendered and "container" not in response and "t" not in rendered


async def test_join_sends_page_title_when_set() -> None:
    async with live(make_app(), "/other") as (ws, page):
        _, response = await ws.join_page(page)
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
    async with live(make_app()) as (ws, page):
        if tamper == "topic":
            ref = await ws.join("lv:phx-other", {"url": page.url, "session": page.session})
            assert await ws.reply(ref) == ("error", {"reason": "stale"})
        else:
            assert await ws.join_page(page, **tamper) == ("error", {"reason": "stale"})


async def test_join_without_csrf_token_is_stale() -> None:
    app = make_app()
    async with live(app) as (_, page), websocket(app, cookies=page.cookies) as ws:
        assert await ws.join_page(page) == ("error", {"reason": "stale"})


async def test_join_with_a_static_token_of_another_view_is_stale() -> None:
    app = make_app()
    async with live(app) as (ws, page), live(app, "/other") as (_, other):
        assert await ws.join_page(page, static=other.static) == ("error", {"reason": "stale"})


async def test_join_url_routing_elsewhere_is_unauthorized() -> None:
    async with live(make_app()) as (ws, page):
        url = "http://testserver/other"
        assert await ws.join_page(page, url=url) == ("error", {"reason": "unauthorized"})


async def test_join_redirect_into_another_live_session_is_unauthorized() -> None:
    async with live(make_app()) as (ws, page):
        redirect = "http://testserver/admin?user=x"
        assert await ws.join_page(page, url=None, redirect=redirect) == (
            "error",
            {"reason": "unauthorized"},
        )


async def test_join_by_live_redirect_mounts_the_target_with_flash_and_container() -> None:
    flash = Tokens(SECRET).sign("flash", {"info": "welcome"})
    async with live(make_app()) as (ws, page):
        status, response = await ws.join_page(
            page, url=None, redirect="http://testserver/other", flash=flash
        )
    assert status == "ok"
    assert response["container"] == ["div", {}]
    assert "welcome" in str(response["rendered"])
    assert response["rendered"]["t"] == "Other"


async def test_mount_time_patch_is_in_the_join_reply() -> None:
    async with live(make_app(), "/patch?tab=x") as (ws, page):
        url = "http://testserver/patch"
        status, response = await ws.join_page(page, url=url)
    assert status == "ok"
    assert response["live_patch"] == {"to": "/patch?tab=home", "kind": "replace"}
    assert to_html(response["rendered"]) == "<div>home</div>"


async def test_on_mount_hook_redirect_refuses_the_join_with_flash() -> None:
    async with live(make_app(), "/admin?user=ann") as (ws, page):
        url = "http://testserver/admin"  # the same page, now without ?user
        status, response = await ws.join_page(page, url=url)
    assert status == "error"
    assert response["redirect"]["to"] == "/"
    assert Tokens(SECRET).verify("flash", response["redirect"]["flash"]) == {
        "error": "log in first"
    }


async def test_flash_of_the_http_render_survives_only_the_first_mount() -> None:
    app = make_app()
    flash = Tokens(SECRET).sign("flash", {"info": "saved"})
    page = await get_page(app, "/", cookies={"__phoenix_flash__": flash})
    assert "saved" in page.html
    query = f"_csrf_token={page.csrf_token}&vsn=2.0.0"
    async with websocket(app, query=query, cookies=page.cookies) as ws:
        _, first = await ws.join_page(page)
        assert '<span class="flash">saved</span>' in to_html(first["rendered"])
        ref = await ws.join(
            page.topic,
            {
                "url": page.url,
                "params": {"_mounts": 1},
                "session": page.session,
                "static": page.static,
            },
        )
        await ws.recv()  # phx_close of the first join
        _, again = await ws.reply(ref)
        assert '<span class="flash"></span>' in to_html(again["rendered"])


# --------------------------------------------------------------------------- reply matrix


async def test_event_replies_diff_or_empty() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        assert diff_reply(await ws.call(page.topic, "event", click("inc"))) == ("ok", ["1"])
        assert await ws.call(page.topic, "event", click("noop")) == ("ok", {})
        assert await ws.call(page.topic, "event", click("unhandled")) == ("ok", {})


async def test_hook_reply_is_top_level_r() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        payload = {"type": "hook", "event": "reply", "value": {"a": 1}}
        assert await ws.call(page.topic, "event", payload) == (
            "ok",
            {"diff": {"r": {"got": {"a": 1}}}},
        )


async def test_form_event_value_is_decoded_with_meta_and_target() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        payload = {
            "type": "form",
            "event": "reply",
            "value": "user%5Bname%5D=Jo+Do&user%5B_unused_email%5D=",
            "meta": {"_target": "user[name]"},
            "uploads": {},
        }
        _, response = await ws.call(page.topic, "event", payload)
    assert response["diff"]["r"]["got"] == {
        "user": {"name": "Jo Do", "_unused_email": ""},
        "_target": ["user", "name"],
    }


async def test_title_and_push_event_are_top_level_keys() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        assert await ws.call(page.topic, "event", click("title", {"value": "Hi"})) == (
            "ok",
            {"diff": {"t": "Hi"}},
        )
        assert await ws.call(page.topic, "event", click("event")) == (
            "ok",
            {"diff": {"e": [["hello", {"n": 1}]]}},
        )


async def test_flash_and_lv_clear_flash() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        flash = await ws.call(page.topic, "event", click("flash", {"value": "hey"}))
        assert diff_reply(flash) == ("ok", ["hey"])
        clear = {"type": "click", "event": "lv:clear-flash", "value": {"key": "info"}}
        assert diff_reply(await ws.call(page.topic, "event", clear)) == ("ok", [""])


async def test_unknown_messages_get_error_replies() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        assert await ws.call(page.topic, "event", click("lv:bogus")) == (
            "error",
            {"reason": "unknown event"},
        )
        assert await ws.call(page.topic, "bogus", {}) == ("error", {"reason": "unknown event"})
        assert await ws.call(page.topic, "event", {"type": "click"}) == (
            "error",
            {"reason": "malformed event"},
        )


async def test_component_messages() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        assert await ws.call(page.topic, "event", {**click("inc"), "cid": 7}) == ("ok", {})
        assert await ws.call(page.topic, "cids_will_destroy", {"cids": [1]}) == ("ok", {})
        assert await ws.call(page.topic, "cids_destroyed", {"cids": [1]}) == ("ok", {"cids": [1]})


async def test_redirect_replies_then_closes() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        jr = ws.joins[page.topic]
        assert await ws.call(page.topic, "event", click("redirect", {"to": "/other"})) == (
            "ok",
            {"redirect": {"to": "/other"}},
        )
        assert await ws.recv() == [jr, jr, page.topic, "phx_close", {}]
        assert await ws.call(page.topic, "event", click("inc")) == (
            "error",
            {"reason": "unmatched topic"},
        )


async def test_external_redirect_keeps_the_full_url() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        to = "https://example.com/x"
        assert await ws.call(page.topic, "event", click("redirect", {"to": to})) == (
            "ok",
            {"redirect": {"to": to}},
        )


async def test_push_navigate_replies_live_redirect_with_flash_then_closes() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        status, response = await ws.call(page.topic, "event", click("navigate", {"to": "/other"}))
        assert (await ws.recv())[3] == "phx_close"
        target = response["live_redirect"]
        assert (target["to"], target["kind"]) == ("/other", "push")
        assert Tokens(SECRET).verify("flash", target["flash"]) == {"info": "moved"}
        # the client then joins the same topic with redirect + flash
        status, joined = await ws.join_page(
            page, url=None, redirect="http://testserver/other", flash=target["flash"]
        )
        assert status == "ok" and "moved" in str(joined["rendered"])


async def test_push_patch_pushes_live_patch_before_the_diff_reply() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        jr = ws.joins[page.topic]
        ref = await ws.push(page.topic, "event", click("patch", {"to": "/?tab=x"}))
        assert await ws.recv() == [
            jr,
            None,
            page.topic,
            "live_patch",
            {"to": "/?tab=x", "kind": "push"},
        ]
        assert diff_reply(await ws.reply(ref)) == ("ok", ["x"])


async def test_push_patch_to_another_view_crashes_the_view() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        assert await ws.call(page.topic, "event", click("patch", {"to": "/other"})) == (
            "error",
            {"reason": "crash"},
        )
        assert (await ws.recv())[3] == "phx_error"


async def test_live_patch_same_view_runs_handle_params_other_view_link_redirects() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        patched = await ws.call(page.topic, "live_patch", {"url": "http://testserver/?tab=y"})
        assert diff_reply(patched) == ("ok", ["y"])
        assert await ws.call(page.topic, "live_patch", {"url": "http://testserver/other"}) == (
            "ok",
            {"link_redirect": True},
        )


# --------------------------------------------------------------------------- crashes


async def test_crash_reports_error_and_rejoin_mounts_fresh() -> None:
    app = make_app()
    async with live(app) as (ws, page), live(app, "/other") as (_, other):
        await ws.join_page(page)
        await ws.join_page(other)
        jr = ws.joins[page.topic]
        await ws.call(page.topic, "event", click("inc"))
        assert await ws.call(page.topic, "event", click("crash")) == ("error", {"reason": "crash"})
        assert await ws.recv() == [jr, jr, page.topic, "phx_error", {"reason": "channel_crash"}]
        # the other view on the same socket is unaffected
        assert await ws.call(other.topic, "event", click("x")) == ("error", {"reason": "crash"})
        await ws.recv()  # Other has no handle_event: that is a crash too, of Other only
        status, response = await ws.join_page(page, params={"_mounts": 1})
        assert status == "ok" and "<p>Count: 0</p>" in to_html(response["rendered"])
        assert diff_reply(await ws.call(page.topic, "event", click("inc"))) == ("ok", ["1"])


async def test_terminate_runs_on_leave() -> None:
    PatchOnMount.log.clear()
    async with live(make_app(), "/patch?tab=a") as (ws, page):
        await ws.join_page(page)
        ref = await ws.push(page.topic, "phx_leave", {})
        await ws.recv()
        assert await ws.reply(ref) == ("ok", {})
    assert PatchOnMount.log == ["leave"]


# --------------------------------------------------------------------------- server pushes


async def test_info_from_send_after_is_a_diff_push() -> None:
    async with live(make_app()) as (ws, page):
        await ws.join_page(page)
        jr = ws.joins[page.topic]
        assert await ws.call(page.topic, "event", click("tick")) == ("ok", {})
        *head, diff = await ws.recv()
        assert head == [jr, None, page.topic, "diff"] and slot_values(diff) == ["100"]


async def test_join_reply_precedes_the_first_push() -> None:
    async with live(make_app(), "/background?tick=1") as (ws, page):
        status, response = await ws.join_page(page)  # asserts the reply is the first frame
        rendered = response["rendered"]
        assert (
            status == "ok" and to_html(rendered) == "<div><p>loading</p><p>idle</p><p>0</p></div>"
        )
        pushes = [await ws.recv(), await ws.recv()]
    # the async data and the tick arrive as pushes, in whichever order they finished
    assert sorted(slot_values(frame[4]) for frame in pushes) == [["1"], ["loaded"]]
    diffs = [frame[4] for frame in pushes]
    assert to_html(rendered, *diffs) == "<div><p>loaded</p><p>idle</p><p>1</p></div>"


async def test_assign_async_and_start_async() -> None:
    async with live(make_app(), "/background") as (ws, page):
        _, response = await ws.join_page(page)
        rendered = response["rendered"]
        assert to_html(rendered) == "<div><p>loading</p><p>idle</p><p>0</p></div>"
        loaded = (await ws.recv())[4]
        assert slot_values(loaded) == ["loaded"]
        assert await ws.call(page.topic, "event", click("job")) == ("ok", {})
        done = (await ws.recv())[4]
        assert slot_values(done) == ["ok:done"]
        assert await ws.call(page.topic, "event", click("bad_job")) == ("ok", {})
        failed = (await ws.recv())[4]
        assert slot_values(failed) == ["failed:ValueError"]
    assert to_html(rendered, loaded, done, failed) == (
        "<div><p>loaded</p><p>failed:ValueError</p><p>0</p></div>"
    )


async def test_send_interval_ticks_until_cancelled() -> None:
    async with live(make_app(), "/background") as (ws, page):
        await ws.join_page(page)
        await ws.recv()  # async data
        assert await ws.call(page.topic, "event", click("interval")) == ("ok", {})
        assert [slot_values((await ws.recv())[4]) for _ in range(3)] == [["1"], ["2"], ["3"]]
        await ws.silent(0.1)


async def test_server_redirect_flushes_events_then_pushes_redirect_and_closes() -> None:
    async with live(make_app(), "/background") as (ws, page):
        await ws.join_page(page)
        await ws.recv()
        jr = ws.joins[page.topic]
        assert await ws.call(page.topic, "event", click("redirect_later")) == ("ok", {})
        assert await ws.recv() == [jr, None, page.topic, "diff", {"e": [["bye", {}]]}]
        assert await ws.recv() == [jr, None, page.topic, "redirect", {"to": "/other"}]
        assert await ws.recv() == [jr, jr, page.topic, "phx_close", {}]


async def test_events_for_a_channel_queue_behind_its_join() -> None:
    async with live(make_app()) as (ws, page):
        join_ref = await ws.join(
            page.topic,
            {
                "url": page.url,
                "params": {"_mounts": 0},
                "session": page.session,
                "static": page.static,
            },
        )
        refs = [await ws.push(page.topic, "event", click("inc")) for _ in range(3)]
        assert (await ws.reply(join_ref))[0] == "ok"
        assert [diff_reply(await ws.reply(r)) for r in refs] == [
            ("ok", [str(n)]) for n in (1, 2, 3)
        ]
