"""Route actions (``LiveRoute(..., action=...)``) and per-route containers, in-process."""

from __future__ import annotations

from typing import Any

import htpy as h
import pytest
from live_socket import join, open_page
from selectolax.lexbor import LexborHTMLParser

from pylive import Assigns, LiveApp, LiveRoute, LiveSession, LiveView, Socket, link
from pylive.testing import LiveClient, live

pytestmark = pytest.mark.anyio


class Items(LiveView):
    """One view for three routes: the list, one item, its edit form."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(mounted_as=socket.live_action, seen=[])

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(item=params.get("id"), seen=[*socket.assigns.seen, socket.live_action])

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "edit":
            socket.push_patch(f"/items/{params['id']}/edit")
        elif event == "close":
            socket.push_patch("/items", replace=True)

    def render(self, assigns: Assigns) -> h.Element:
        return h.div[
            h.p("#action")[str(assigns.live_action)],
            h.p("#item")[str(assigns.item)],
            h.p("#seen")[" ".join(map(str, assigns.seen))],
            link("#to-edit", patch="/items/7/edit")["Edit 7"],
            link("#to-show", patch="/items/7", replace=True)["Show 7"],
            link("#to-list", patch="/items")["List"],
            h.button("#edit-3", phx_click="edit", phx_value_id="3")["Edit 3"],
            h.button("#close", phx_click="close")["Close"],
        ]


class Plain(LiveView):
    def render(self, assigns: Assigns) -> h.Element:
        return h.p("#plain")[repr(assigns.live_action)]


def make_app() -> LiveApp:
    return LiveApp(
        [
            LiveSession(
                "items",
                [
                    LiveRoute("/items", Items, action="index"),
                    LiveRoute("/items/{id:int}", Items, action="show"),
                    LiveRoute("/items/{id:int}/edit", Items, action="edit"),
                    LiveRoute(
                        "/plain",
                        Plain,
                        container=("section", {"class": ["box", "wide"], "aria-label": "Plain"}),
                    ),
                ],
            ),
            LiveRoute("/li", Plain, container=("li", {"style": "color: blue", "hidden": True})),
        ],
        secret_key="test-secret",
    )


async def test_the_route_action_is_live_action_in_both_renders() -> None:
    app = make_app()
    client = LiveClient(app)
    dead = LexborHTMLParser((await client.get("/items/5/edit")).text)
    node = dead.css_first("#action")
    assert node is not None and node.text() == "edit"
    async with live(app, "/items/5/edit") as view:
        assert view.element("#action").text == "edit"
        assert view.element("#item").text == "5"
        assert view.assigns["mounted_as"] == "edit"  # set before mount, as in Phoenix


async def test_a_route_without_action_has_live_action_none() -> None:
    async with live(make_app(), "/plain") as view:
        assert view.element("#plain").text == "None"
        assert view.assigns["live_action"] is None


async def test_patch_links_between_actions_update_live_action_and_handle_params() -> None:
    async with live(make_app(), "/items") as view:
        assert view.element("#action").text == "index"
        await view.click("#to-edit")
        assert view.path == "/items/7/edit"
        assert view.element("#action").text == "edit"
        assert view.element("#item").text == "7"
        await view.click("#to-show")
        assert view.path == "/items/7"
        assert view.element("#action").text == "show"
        await view.click("#to-list")
        assert view.element("#action").text == "index"
        assert view.element("#item").text == "None"
        # handle_params saw the new action every time
        assert view.element("#seen").text == "index edit show index"


async def test_push_patch_between_actions_updates_live_action() -> None:
    async with live(make_app(), "/items") as view:
        await view.click("#edit-3")
        assert view.path == "/items/3/edit"
        assert view.element("#action").text == "edit"
        assert view.element("#item").text == "3"
        await view.click("#close")
        assert view.path == "/items"
        assert view.element("#action").text == "index"
        assert view.element("#seen").text == "index edit index"


async def test_patch_api_between_actions() -> None:
    async with live(make_app(), "/items/1") as view:
        html = await view.patch("/items/1/edit")
        assert '<p id="action">edit</p>' in html


async def test_the_container_option_sets_tag_and_attributes_of_the_dead_render() -> None:
    client = LiveClient(make_app())
    tree = LexborHTMLParser((await client.get("/plain")).text)
    main = tree.css_first("[data-phx-main]")
    assert main is not None and main.tag == "section"
    assert main.attributes["class"] == "box wide"
    assert main.attributes["aria-label"] == "Plain"
    assert main.attributes["id"]
    assert main.attributes["data-phx-session"]
    assert main.css_first("#plain") is not None

    tree = LexborHTMLParser((await client.get("/li")).text)
    main = tree.css_first("[data-phx-main]")
    assert main is not None and main.tag == "li"
    assert main.attributes["style"] == "color: blue"
    assert "hidden" in main.attributes

    tree = LexborHTMLParser((await client.get("/items")).text)
    main = tree.css_first("[data-phx-main]")
    assert main is not None and main.tag == "div"


async def test_the_container_is_in_the_join_reply_after_live_navigation() -> None:
    async with open_page(make_app(), "/items") as (conn, page):
        payload = page.join_payload(redirect="http://testserver/plain")
        status, response = await join(conn, page, payload)
    assert status == "ok"
    assert response["container"] == ["section", {"class": "box wide", "aria-label": "Plain"}]


@pytest.mark.parametrize(
    "container",
    [("div x", {}), ("div", {"id": "x"}), ("div", {"data-phx-main": ""}), ("div", {"a b": "c"})],
)
def test_bad_containers_are_refused(container: Any) -> None:
    with pytest.raises(ValueError, match="LiveRoute container"):
        LiveRoute("/", Plain, container=container)


async def test_the_gallery_items_demo_edits_through_patches() -> None:
    from gallery.app import create_app

    async with live(create_app(), "/demos/items") as view:
        await view.click("#item-3 a")
        assert view.path == "/demos/items/3/edit"
        assert view.element("h1").text == "Edit item"
        await view.submit("#edit-form", {"name": " "})
        assert view.element("#name-error").attr("role") == "alert"
        assert view.element("#item-name").attr("aria-invalid") == "true"
        await view.submit("#edit-form", {"name": "Chèvre"})
        assert view.path == "/demos/items"
        assert view.element("#live-action").text == "index"
        assert view.element("#item-3 .item-name").text == "Chèvre"
        assert view.flash == {"info": "Saved “Chèvre”."}
        await view.click("#flash-info button")
        assert view.flash == {}
        await view.patch("/demos/items/9/edit")  # no such item: back to the list
        assert view.path == "/demos/items"
        assert view.flash == {"error": "There is no item 9."}


def test_routes_stay_hashable_and_comparable() -> None:
    route = LiveRoute("/", Plain, container=("li", {"class": ["a", "b"]}))
    assert hash(route) == hash(LiveRoute("/", Plain))
    assert route == LiveRoute("/", Plain, container=("li", {"class": ["a", "b"]}))
    assert route != LiveRoute("/", Plain)
    assert route.container_attrs() == {"class": "a b"}
