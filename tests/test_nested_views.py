"""Nested and sticky LiveViews (``live_render``): the container markup of both renders, the
child's join over the parent's socket, crashes on either side, sticky views across live
navigation, and messages between parent and child."""

from __future__ import annotations

import re
from typing import Any

import pytest
from htpy import div
from live_socket import join, open_page
from nested_apps import SECRET, Cart, Child, Parent, StickyA, StickyB, layout_with_cart, make_app

from pylive import LiveApp, LiveRoute, LiveSession
from pylive.live_render import NOT_MOUNTED_AT_ROUTER, live_render, verify_child_join
from pylive.testing import LiveClient, ViewClosed, ViewCrashed, live
from pylive.testing.phoenix import PhoenixConnection
from pylive.tokens import Tokens

pytestmark = pytest.mark.anyio

TOKENS = Tokens("nested-secret")


def click(event: str) -> dict[str, Any]:
    return {"type": "click", "event": event, "value": {}}


def attrs(html: str, view_id: str) -> dict[str, str]:
    tag = re.search(rf'<[a-z]+ id="{view_id}"([^>]*)>', html)
    assert tag is not None, html
    return {k: v for k, v in re.findall(r'([a-z-]+)(?:="([^"]*)")?', tag.group(1))}


# --------------------------------------------------------------------------- the two renders


async def test_http_render_inlines_the_child_with_an_empty_session() -> None:
    response = await LiveClient(make_app()).get("/")
    html = response.text
    parent_id = re.search(r'<div id="(phx-[^"]+)" data-phx-main', html)
    assert parent_id is not None
    found = attrs(html, "kid")
    assert found["data-phx-session"] == ""
    assert found["data-phx-parent-id"] == parent_id.group(1)
    assert TOKENS.verify("static", found["data-phx-static"]) == {"id": "kid", "flash": {}}
    assert "data-phx-sticky" not in found
    # the child's own HTML, mounted with the session given to live_render
    assert '<p id="child-n">Child: 3</p>' in html
    assert "Routed: False" in html  # params is NOT_MOUNTED_AT_ROUTER


async def test_connected_render_has_a_signed_session_and_no_content() -> None:
    async with open_page(make_app()) as (conn, page):
        status, response = await join(conn, page)
    assert status == "ok"
    container = next(v for v in response["rendered"].values() if 'id="kid"' in str(v))
    assert container.endswith("></div>") and "Child:" not in container
    found = attrs(container, "kid")
    assert found["data-phx-static"] == "" and found["data-phx-parent-id"] == page.view_id
    claims = TOKENS.verify("nested", found["data-phx-session"])
    assert claims == {
        "id": "kid",
        "view": "nested_apps.Child",
        "parent": page.view_id,
        "sticky": False,
        "session": {"start": 3},
    }


@pytest.mark.parametrize("path", ["/", "/untracked"])
async def test_a_parent_change_does_not_resend_the_child_container(path: str) -> None:
    async with open_page(make_app(), path) as (conn, page):
        await join(conn, page)
        status, response = await conn.call(page.topic, "event", click("inc"))
    assert (status, response) == ("ok", {"diff": {"0": "Parent: 1"}})


def test_live_render_checks_its_arguments() -> None:
    with pytest.raises(TypeError):
        live_render(object, id="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="id"):
        live_render(Child, id="")
    with pytest.raises(TypeError):
        live_render(Child, id="x", session={"f": object()})
    assert NOT_MOUNTED_AT_ROUTER == {} and repr(NOT_MOUNTED_AT_ROUTER) == "NOT_MOUNTED_AT_ROUTER"
    with pytest.raises(TypeError):
        NOT_MOUNTED_AT_ROUTER["x"] = 1


def test_a_container_option_sets_tag_and_attributes() -> None:
    attrs = {"class": "boxed", "id": "not-kid", "data-phx-static": "x"}
    node = live_render(Child, id="kid", container=("section", attrs))
    html = node._tag("", "", "phx-1", "<p>x</p>")
    assert html == (
        '<section id="kid" data-phx-session="" data-phx-static="" data-phx-parent-id="phx-1"'
        ' class="boxed"><p>x</p></section>'
    )


# --------------------------------------------------------------------------- the child's join


async def child_token(conn: PhoenixConnection, page: Any) -> str:
    status, response = await join(conn, page)
    assert status == "ok"
    container = next(v for v in response["rendered"].values() if 'id="kid"' in str(v))
    return attrs(container, "kid")["data-phx-session"]


def child_payload(token: str, static: str | None = None) -> dict[str, Any]:
    params = {"_mounts": 0, "_mount_attempts": 0}
    return {"params": params, "session": token, "static": static, "sticky": False}


async def test_the_child_joins_without_url_on_the_same_socket() -> None:
    async with open_page(make_app()) as (conn, page):
        token = await child_token(conn, page)
        status, response = await conn.expect_reply(await conn.join("lv:kid", child_payload(token)))
        assert status == "ok" and "container" not in response
        assert "Child: 3" in str(response["rendered"]) and "Routed: False" in str(
            response["rendered"]
        )
        assert await conn.call("lv:kid", "event", click("inc")) == (
            "ok",
            {"diff": {"0": "Child: 4"}},
        )


async def test_a_child_join_needs_its_parent_joined() -> None:
    async with open_page(make_app()) as (conn, page):
        token = await child_token(conn, page)
        ref = await conn.push(page.topic, "phx_leave", {})
        assert (await conn.receive()).event == "phx_close"
        assert await conn.expect_reply(ref) == ("ok", {})
        reply = await conn.expect_reply(await conn.join("lv:kid", child_payload(token)))
        assert reply == ("error", {"reason": "stale"})
    async with open_page(make_app()) as (conn, _):
        # a valid token, but its parent is not joined on this connection
        reply = await conn.expect_reply(await conn.join("lv:kid", child_payload(token)))
        assert reply == ("error", {"reason": "stale"})


async def test_a_child_token_is_only_good_for_its_topic() -> None:
    async with open_page(make_app()) as (conn, page):
        token = await child_token(conn, page)
        reply = await conn.expect_reply(await conn.join("lv:other", child_payload(token)))
        assert reply == ("error", {"reason": "stale"})
    assert verify_child_join(TOKENS, "lv:kid", {"session": "forged"}) is None
    root_token = TOKENS.sign("session", {"id": "kid", "view": "x", "live_session": "main"})
    assert verify_child_join(TOKENS, "lv:kid", {"session": root_token}) is None


async def test_a_crashing_child_sends_only_phx_error_and_the_parent_goes_on() -> None:
    async with open_page(make_app()) as (conn, page):
        token = await child_token(conn, page)
        await conn.expect_reply(await conn.join("lv:kid", child_payload(token)))
        await conn.push("lv:kid", "event", click("crash"))
        frame = await conn.receive()
        assert (frame.topic, frame.event) == ("lv:kid", "phx_error")
        status, response = await conn.call(page.topic, "event", click("inc"))
        assert status == "ok" and "Parent: 1" in str(response)
        # the client rejoins the child by itself, with the same tokens
        payload = child_payload(token)
        payload["params"]["_mounts"] = 1
        status, response = await conn.expect_reply(await conn.join("lv:kid", payload))
        assert status == "ok" and "Child: 3" in str(response["rendered"])


@pytest.mark.parametrize("ending", ["crash", "phx_leave", "go"])
async def test_children_close_when_their_parent_ends(ending: str) -> None:
    async with open_page(make_app()) as (conn, page):
        token = await child_token(conn, page)
        await conn.expect_reply(await conn.join("lv:kid", child_payload(token)))
        if ending == "phx_leave":
            await conn.push(page.topic, "phx_leave", {})
        else:
            await conn.push(page.topic, "event", click(ending))
        frame = await conn.receive()
        while frame.topic != "lv:kid":  # the parent's phx_error, or reply and phx_close
            frame = await conn.receive()
        assert frame.event == "phx_close"  # as Phoenix's socket closes a child whose parent exited
        status, response = await conn.call("lv:kid", "event", click("inc"))
        assert (status, response) == ("error", {"reason": "unmatched topic"})


# --------------------------------------------------------------------------- the test client


async def test_view_child_drives_the_nested_view() -> None:
    async with live(make_app()) as view:
        assert [c.id for c in view.live_children()] == ["kid"]
        kid = view.child("kid")
        assert kid.connected and kid.text().startswith("Child: 3")
        await kid.click("#child-inc")
        assert "Child: 4" in kid.html()
        await view.click("#parent-inc")
        assert "Parent: 1" in view.html() and "Child: 4" in kid.html()
        with pytest.raises(LookupError):
            view.child("nobody")


async def test_the_child_goes_and_comes_back_with_its_container() -> None:
    async with live(make_app()) as view:
        kid = view.child("kid")
        await view.click("#parent-toggle")
        assert view.live_children() == [] and not kid.connected
        await view.click("#parent-toggle")
        again = view.child("kid")
        assert again is not kid and again.connected and "Child: 3" in again.html()


async def test_a_child_crash_rejoins_only_the_child() -> None:
    async with live(make_app()) as view:
        kid = view.child("kid")
        await kid.click("#child-inc")
        with pytest.raises(ViewCrashed, match="child boom"):
            await kid.click("#child-crash")
        await view.click("#parent-inc")  # the parent is unaffected
        assert "Parent: 1" in view.html()
        await kid.rejoin()
        assert "Child: 3" in kid.html()  # mounted afresh


async def test_a_parent_crash_closes_the_child_until_the_parent_rejoins() -> None:
    async with live(make_app()) as view:
        kid = view.child("kid")
        await kid.click("#child-inc")
        with pytest.raises(ViewCrashed, match="parent boom"):
            await view.click("#parent-crash")
        await kid.wait_for(lambda v: not v.connected)
        with pytest.raises(ViewClosed):
            await kid.click("#child-inc")
        await view.rejoin()
        assert view.child("kid").connected and "Child: 3" in view.child("kid").html()


async def test_parent_and_child_send_each_other_messages() -> None:
    async with live(make_app()) as view:
        kid = view.child("kid")
        await kid.click("#child-inc")
        await kid.click("#child-tell")
        await view.wait_for("Parent heard: (&#39;child_says&#39;, 4)")
        await view.click("#parent-inc")
        await view.click("#parent-ping")
        await kid.wait_for("Heard: ping 1")


async def test_socket_parent_and_child_are_none_without_relatives() -> None:
    seen: dict[str, Any] = {}

    class Probe(Parent):
        async def mount(self, socket: Any, params: dict[str, Any], session: dict[str, Any]) -> None:
            await super().mount(socket, params, session)
            seen[str(socket.connected)] = (socket.parent, socket.child("kid"))

    from pylive import LiveApp, LiveRoute

    async with live(LiveApp([LiveRoute("/", Probe)], secret_key="s")) as view:
        assert view.child("kid").connected
    assert seen == {"False": (None, None), "True": (None, None)}


# --------------------------------------------------------------------------- sticky


async def test_a_sticky_view_has_a_session_in_the_http_render_and_no_parent() -> None:
    html = (await LiveClient(make_app()).get("/sticky/a")).text
    found = attrs(html, "cart")
    assert "data-phx-sticky" in found and "data-phx-parent-id" not in found
    claims = TOKENS.verify("nested", found["data-phx-session"])
    assert claims["parent"] is None and claims["sticky"] is True
    assert "Cart: 0" in html


async def test_a_sticky_view_keeps_its_state_across_live_navigation() -> None:
    async with live(make_app(), "/sticky/a") as view:
        cart = view.child("cart")
        await cart.click("#cart-add")
        await cart.click("#cart-add")
        await view.click("#to-b")
        await view.follow_redirect()
        assert "Page: StickyB" in view.html()
        assert view.child("cart") is cart and cart.connected
        assert "Cart: 2" in cart.html()
        await cart.click("#cart-add")
        assert "Cart: 3" in cart.html()


async def test_a_sticky_view_in_the_root_layout() -> None:
    app = make_app(layout=layout_with_cart)
    html = (await LiveClient(app).get("/other")).text
    assert "data-phx-sticky" in attrs(html, "layout-cart") and "Cart: 0" in html
    async with live(app, "/") as view:
        cart = view.child("layout-cart")
        await cart.click("#cart-add")
        await view.click("#other-link")
        await view.follow_redirect()
        assert "Other page" in view.html()
        assert cart.connected and "Cart: 1" in cart.html()


async def test_a_sticky_join_skips_the_route_check() -> None:
    async with open_page(make_app(), "/sticky/a") as (conn, page):
        assert [s[0] for s in page.stickies] == ["cart"]
        _, session, static = page.stickies[0]
        payload = {"params": {"_mounts": 0}, "session": session, "static": static, "sticky": True}
        status, response = await conn.expect_reply(await conn.join("lv:cart", payload))
        assert status == "ok" and "Cart: 0" in str(response["rendered"])


async def test_a_sticky_view_that_navigates_lives_on() -> None:
    async with open_page(make_app(), "/sticky/a") as (conn, page):
        _, session, static = page.stickies[0]
        payload = {"params": {"_mounts": 0}, "session": session, "static": static, "sticky": True}
        await conn.expect_reply(await conn.join("lv:cart", payload))
        status, response = await conn.call("lv:cart", "event", click("go"))
        assert (status, response) == ("ok", {"live_redirect": {"to": "/sticky/b", "kind": "push"}})
        assert await conn.call("lv:cart", "event", click("add")) == (
            "ok",
            {"diff": {"0": "Cart: 1"}},
        )


async def test_a_child_redirecting_in_the_http_render_redirects_the_page() -> None:
    client = LiveClient(make_app())
    response = await client.get("/leaving")
    assert response.status == 302 and response.header("location") == "/other"
    assert TOKENS.verify("flash", client.cookies.get("__phoenix_flash__")) == {
        "info": "child says go"
    }


async def test_a_child_of_a_child() -> None:
    html = (await LiveClient(make_app()).get("/deep")).text
    assert attrs(html, "kid")["data-phx-parent-id"] == "mid" and "Child: 3" in html
    async with live(make_app(), "/deep") as view:
        mid = view.child("mid")
        kid = mid.child("kid")
        await kid.click("#child-tell")
        await mid.wait_for("child_says")
        with pytest.raises(ViewCrashed):
            await mid.click("#parent-crash")
        await kid.wait_for(lambda v: not v.connected)  # its parent ended
        await mid.rejoin()
        assert mid.child("kid").connected and "Deep" in view.html()


async def test_a_sticky_view_outlives_the_view_that_rendered_it() -> None:
    async with open_page(make_app(), "/sticky/a") as (conn, page):
        _, session, static = page.stickies[0]
        payload = {"params": {"_mounts": 0}, "session": session, "static": static, "sticky": True}
        await join(conn, page)
        await conn.expect_reply(await conn.join("lv:cart", payload))
        status, response = await conn.call(page.topic, "event", click("go"))
        assert status == "ok" and "live_redirect" in response
        assert (await conn.receive()).event == "phx_close"  # the page's view ended
        assert await conn.call("lv:cart", "event", click("add")) == (
            "ok",
            {"diff": {"0": "Cart: 1"}},
        )


async def test_a_child_that_navigates_moves_the_page_and_ends() -> None:
    async with open_page(make_app()) as (conn, page):
        token = await child_token(conn, page)
        await conn.expect_reply(await conn.join("lv:kid", child_payload(token)))
        status, response = await conn.call("lv:kid", "event", click("go"))
        assert (status, response) == ("ok", {"live_redirect": {"to": "/other", "kind": "push"}})
        frame = await conn.receive()
        assert (frame.topic, frame.event) == ("lv:kid", "phx_close")


def cart_layout(assigns: Any) -> Any:
    """A live layout (``LiveSession(layout=...)``) that renders the sticky cart on every page."""
    return div[assigns.inner_content, live_render(Cart, id="session-cart", sticky=True)]


async def test_a_sticky_view_in_the_live_layout_survives_navigation_between_views() -> None:
    routes = [LiveRoute("/sticky/a", StickyA), LiveRoute("/sticky/b", StickyB)]
    app = LiveApp([LiveSession("main", routes, layout=cart_layout)], secret_key=SECRET)
    async with live(app, "/sticky/a") as view:
        cart = view.child("session-cart")
        await cart.click("#cart-add")
        await view.click("#to-b")
        await view.follow_redirect()
        assert "Page: StickyB" in view.html()
        assert view.child("session-cart") is cart and cart.connected
        assert "Cart: 1" in cart.html()
