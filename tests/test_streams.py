"""Streams through ``pylive.testing``: every operation, on compiled templates and the walker.

Each diff the test client applies is checked against the server's render, and its stream
instructions are applied to the rows the client's DOM holds the way ``dom_patch.js`` does; the
exact ``stream`` entries on the wire are checked over a raw socket.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from htpy import button, div, h2, li, p, section, span, ul
from live_socket import join, open_page

from pylive import (
    Assigns,
    ComponentSocket,
    LiveApp,
    LiveComponent,
    LiveRoute,
    LiveView,
    Socket,
    Stream,
    StreamError,
    live_component,
)
from pylive.effects import Effects
from pylive.errors import RenderError
from pylive.html.compiler import render_tree
from pylive.streams import default_dom_id, iterated_log, iterated_streams
from pylive.testing import live

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass(frozen=True)
class Song:
    id: int
    title: str


def songs(*ids: int) -> list[Song]:
    return [Song(i, f"song {i}") for i in ids]


class Playlist(LiveView):
    """Every stream operation, driven by pushed events."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(plays=0).stream("songs", songs(1, 2, 3))

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        if "only" in params:  # a patch resets the stream
            socket.stream("songs", songs(*map(int, params["only"].split(","))), reset=True)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        song = Song(int(params.get("id", 0)), str(params.get("title", "")))
        at, limit = int(params.get("at", -1)), params.get("limit")
        match event:
            case "insert":
                socket.stream_insert("songs", song, at=at, limit=limit)
            case "update_only":
                socket.stream_insert("songs", song, update_only=True)
            case "delete":
                socket.stream_delete("songs", song)
            case "delete_dom_id":
                socket.stream_delete_by_dom_id("songs", params["dom_id"])
            case "move":
                socket.stream_delete("songs", song).stream_insert("songs", song, at=at)
            case "many":
                socket.stream("songs", songs(*params["ids"]), at=at, limit=limit)
            case "reset":
                socket.stream("songs", songs(*params["ids"]), reset=True)
            case "play":  # another assign: the stream is not rendered again
                socket.assign(plays=socket.assigns.plays + 1)
            case "no_id":
                socket.stream_insert("songs", {"title": "anonymous"})
            case "unknown":
                socket.stream_insert("albums", song)

    def render(self, assigns: Assigns) -> Any:
        return div[
            p("#plays")[f"plays: {assigns.plays}"],
            ul("#songs", phx_update="stream")[
                [li(id=dom_id)[song.title] for dom_id, song in assigns.songs]
            ],
        ]


class WalkedPlaylist(Playlist):
    track_changes = False  # every render walks the htpy tree: streams are matched back


class HelperPlaylist(Playlist):
    """The rows come from a helper the compiler cannot see into (walked inside a slot)."""

    def render(self, assigns: Assigns) -> Any:
        return div[
            p("#plays")[f"plays: {assigns.plays}"],
            ul("#songs", phx_update="stream")[song_rows(assigns.songs)],
        ]


def song_rows(stream: Stream[Song]) -> list[Any]:
    return [li(id=dom_id)[song.title] for dom_id, song in stream]


VIEWS = [Playlist, WalkedPlaylist, HelperPlaylist]


def app_for(view: type[LiveView]) -> LiveApp:
    return LiveApp([LiveRoute("/", view)], secret_key="s" * 32)


def shown(html: str) -> list[str]:
    """The titles the songs container shows, in order."""
    import re

    inner = html.split('<ul id="songs" phx-update="stream">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li id="songs-\d+">([^<]*)</li>', inner)


@pytest.mark.parametrize("view_class", VIEWS)
async def test_every_operation(view_class: type[LiveView]) -> None:
    async with live(app_for(view_class), "/") as view:
        assert shown(view.html()) == ["song 1", "song 2", "song 3"]
        await view.push("insert", {"id": 4, "title": "four"})
        assert shown(view.html()) == ["song 1", "song 2", "song 3", "four"]
        await view.push("insert", {"id": 0, "title": "zero", "at": 0})
        assert shown(view.html()) == ["zero", "song 1", "song 2", "song 3", "four"]
        await view.push("insert", {"id": 9, "title": "nine", "at": 2})
        assert shown(view.html()) == ["zero", "song 1", "nine", "song 2", "song 3", "four"]
        # an item shown already is updated in place (at has no effect)
        await view.push("insert", {"id": 2, "title": "TWO", "at": 0})
        assert shown(view.html()) == ["zero", "song 1", "nine", "TWO", "song 3", "four"]
        # update_only: updates a shown row, never adds one
        await view.push("update_only", {"id": 3, "title": "THREE"})
        await view.push("update_only", {"id": 77, "title": "never"})
        assert shown(view.html()) == ["zero", "song 1", "nine", "TWO", "THREE", "four"]
        await view.push("delete", {"id": 9})
        await view.push("delete_dom_id", {"dom_id": "songs-0"})
        assert shown(view.html()) == ["song 1", "TWO", "THREE", "four"]
        # reorder: delete + insert
        await view.push("move", {"id": 4, "title": "four", "at": 0})
        assert shown(view.html()) == ["four", "song 1", "TWO", "THREE"]
        # limits: keep the last 3 when appending, the first 2 when prepending
        await view.push("insert", {"id": 5, "title": "five", "limit": -3})
        assert shown(view.html()) == ["TWO", "THREE", "five"]
        await view.push("many", {"ids": [6, 7], "at": 0, "limit": 2})
        assert shown(view.html()) == ["song 7", "song 6"]
        # another assign changes: the rows stay as the client has them
        await view.push("play")
        assert view.element("#plays").text == "plays: 1"
        assert shown(view.html()) == ["song 7", "song 6"]
        await view.push("reset", {"ids": [8]})
        assert shown(view.html()) == ["song 8"]
        await view.push("reset", {"ids": []})
        assert shown(view.html()) == []


@pytest.mark.parametrize("view_class", VIEWS)
async def test_reset_on_patch_and_join_reinserts(view_class: type[LiveView]) -> None:
    async with live(app_for(view_class), "/") as view:
        await view.push("insert", {"id": 4, "title": "four"})
        await view.patch("/?only=2,5")
        assert shown(view.html()) == ["song 2", "song 5"]
        await view.patch("/")  # no reset: the rows stay
        assert shown(view.html()) == ["song 2", "song 5"]
        # at a join the client keeps only the rows the join inserts: the mount's
        await view.rejoin()
        assert shown(view.html()) == ["song 1", "song 2", "song 3"]


async def test_wire_format_is_exact() -> None:
    async with open_page(app_for(Playlist), "/") as (conn, page):
        status, joined = await join(conn, page)
        assert status == "ok"
        rendered = joined["rendered"]
        comp = rendered["1"]
        assert comp["k"]["kc"] == 3
        assert comp["k"]["0"]["0"] == ' id="songs-1"'
        # Phoenix's order: newest first; update_only null for stream(), false for stream_insert
        assert comp["stream"] == [
            "0",
            [["songs-3", -1, None, None], ["songs-2", -1, None, None], ["songs-1", -1, None, None]],
            [],
        ]

        async def event(name: str, value: dict[str, Any]) -> Any:
            payload = {"type": "hook", "event": name, "value": value}
            status, reply = await conn.call(page.topic, "event", payload)
            assert status == "ok"
            return reply.get("diff")

        diff = await event("insert", {"id": 4, "title": "four", "limit": -10})
        assert diff == {
            "1": {
                "k": {"0": {"0": ' id="songs-4"', "1": "four"}, "kc": 1},
                "stream": ["0", [["songs-4", -1, -10, False]], []],
            }
        }
        diff = await event("delete_dom_id", {"dom_id": "songs-1"})
        assert diff == {"1": {"k": {"kc": 0}, "stream": ["0", [], ["songs-1"]]}}
        diff = await event("move", {"id": 2, "title": "two", "at": 0})
        assert diff == {
            "1": {
                "k": {"0": {"0": ' id="songs-2"', "1": "two"}, "kc": 1},
                "stream": ["0", [["songs-2", 0, None, False]], ["songs-2"]],
            }
        }
        # nothing kept: an unrelated change sends nothing for the stream
        assert await event("play", {}) == {"0": "plays: 1"}
        diff = await event("reset", {"ids": [7]})
        assert diff["1"]["stream"] == ["0", [["songs-7", -1, None, None]], [], True]
        diff = await event("reset", {"ids": []})
        assert diff == {"1": {"k": {"kc": 0}, "stream": ["0", [], [], True]}}


async def test_the_dead_render_shows_the_rows() -> None:
    async with open_page(app_for(Playlist), "/") as (_, page):
        assert '<li id="songs-2">song 2</li>' in page.container_html


# --------------------------------------------------------------------------- configure, mappings


class Tags(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.stream_configure("tags", dom_id=lambda tag: f"tag-{tag['name']}")
        socket.stream("tags", [{"name": "a"}, {"name": "b"}])
        socket.stream("rows", [{"id": 1, "text": "one"}])  # a mapping's "id"

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.stream_delete("tags", {"name": params["name"]})

    def render(self, assigns: Assigns) -> Any:
        return div[
            ul("#tags", phx_update="stream")[[li(id=d)[t["name"]] for d, t in assigns.tags]],
            ul("#rows", phx_update="stream")[[li(id=d)[r["text"]] for d, r in assigns.rows]],
        ]


async def test_configured_dom_id_and_mapping_items() -> None:
    async with live(app_for(Tags), "/") as view:
        assert [e.attr("id") for e in view.elements("#tags li")] == ["tag-a", "tag-b"]
        assert view.element("#rows-1").text == "one"
        await view.push("delete", {"name": "a"})
        assert [e.attr("id") for e in view.elements("#tags li")] == ["tag-b"]


# --------------------------------------------------------------------------- bad input


def test_errors_name_the_stream_and_the_item() -> None:
    socket = Socket("phx-1", Effects.for_view())
    with pytest.raises(StreamError, match=r"stream_insert\('songs', ...\): no stream named"):
        socket.stream_insert("songs", Song(1, "a"))
    with pytest.raises(StreamError, match=r"stream_delete.*no stream named 'songs'"):
        socket.stream_delete("songs", Song(1, "a"))
    with pytest.raises(StreamError, match="no stream named 'songs'"):
        socket.stream_delete_by_dom_id("songs", "songs-1")
    with pytest.raises(StreamError, match=r"stream 'songs': item \{'title': 'x'\} has no id"):
        socket.stream("songs", [{"title": "x"}])
    assert "songs" not in socket.assigns  # nothing half done
    socket.stream("songs", songs(1))
    with pytest.raises(StreamError, match=r"item 'plain' has no id"):
        socket.stream_insert("songs", "plain")
    with pytest.raises(StreamError, match="after it has been streamed"):
        socket.stream_configure("songs", dom_id=str)
    socket.stream_configure("other", dom_id=str)
    with pytest.raises(StreamError, match="re-configure"):
        socket.stream_configure("other", dom_id=str)
    with pytest.raises(StreamError, match="at= is -1"):
        socket.stream_insert("songs", Song(2, "b"), at=-2)
    with pytest.raises(StreamError, match="not a non-empty string"):
        socket.stream_configure("bad", dom_id=lambda item: 7).stream("bad", [1])  # type: ignore[arg-type, return-value]
    socket.assign(plain=[1])
    with pytest.raises(StreamError, match="already holds"):
        socket.stream("plain", [])


async def test_bad_items_in_a_handler_get_an_error_reply_and_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, "pylive.channel")
    async with live(app_for(Playlist), "/") as view:
        with pytest.raises(AssertionError, match="has no id"):
            await view.push("no_id")
        assert view.connected and shown(view.html()) == ["song 1", "song 2", "song 3"]
        with pytest.raises(AssertionError, match="no stream named 'albums'"):
            await view.push("unknown", {"id": 1})
        assert shown(view.html()) == ["song 1", "song 2", "song 3"]
        await view.push("insert", {"id": 4, "title": "four"})  # the stream works on
        assert shown(view.html())[-1] == "four"
    assert "has no id" in caplog.text and "no stream named 'albums'" in caplog.text


class BadRows(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.stream("songs", songs(1))

    def render(self, assigns: Assigns) -> Any:
        return ul("#songs", phx_update="stream")[
            [li(id=f"song-{s.id}")[s.title] for _, s in assigns.songs]
        ]


def test_a_row_without_the_dom_id_is_a_render_error() -> None:
    socket = Socket("phx-1", Effects.for_view())
    socket.stream("songs", songs(1))
    with pytest.raises(RenderError, match="the row of 'songs-1' has id='song-1'"):
        render_tree(BadRows().render, socket.assigns, None, None)


# --------------------------------------------------------------------------- state


def test_the_server_keeps_no_rows() -> None:
    effects = Effects.for_view()
    socket = Socket("phx-1", effects)
    socket.stream("songs", songs(*range(1000)))
    stream = socket.assigns.songs
    assert isinstance(stream, Stream) and len(stream.inserts) == 1000
    assert "songs" in effects.changed
    effects.rendered()
    pruned = socket.assigns.songs
    assert pruned.ref == "0" and pruned.inserts == () and list(pruned) == []
    assert not effects.changed  # pruning is not a change
    socket.stream("more", [])  # created empty; refs count per socket
    assert socket.assigns.more.ref == "1"
    socket.stream("songs", [])  # nothing to do: not a change
    assert "songs" not in effects.changed
    gc.collect()


# --------------------------------------------------------------------------- components


class Feed(LiveComponent):
    """A component with its own stream (its ref is "<cid>-0")."""

    async def mount(self, socket: ComponentSocket) -> None:
        socket.stream("posts", [{"id": 1, "text": "first"}])

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        n = int(params["n"])
        socket.stream_insert("posts", {"id": n, "text": f"post {n}"}, at=0)
        return None

    def render(self, assigns: Assigns) -> Any:
        return section(id=f"feed-{assigns.id}")[
            h2[assigns.id],
            ul(id=f"posts-{assigns.id}", phx_update="stream")[
                [li(id=d)[post["text"]] for d, post in assigns.posts]
            ],
        ]


class Card(LiveComponent):
    """One component per stream item."""

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        socket.assign(likes=socket.assigns.get("likes", 0) + 1)
        return None

    def render(self, assigns: Assigns) -> Any:
        return li(id=assigns.dom_id)[
            span(".title")[assigns.song.title],
            button(".like", phx_click="like", phx_target=assigns.myself)[
                f"likes: {assigns.get('likes', 0)}"
            ],
        ]


class Board(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.stream("cards", songs(1, 2))
        socket.assign(groups=["red", "blue"])
        socket.stream("red", songs(10))
        socket.stream("blue", songs(20, 21))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        n = int(params.get("n", 0))
        match event:
            case "card":
                socket.stream_insert("cards", Song(n, f"song {n}"), at=0)
            case "drop":
                socket.stream_delete_by_dom_id("cards", f"cards-{n}")
            case "group":
                socket.stream_insert(params["group"], Song(n, f"song {n}"))

    def render(self, assigns: Assigns) -> Any:
        return div[
            live_component(Feed, "news"),
            ul("#cards", phx_update="stream")[
                [live_component(Card, dom_id, dom_id=dom_id, song=s) for dom_id, s in assigns.cards]
            ],
            [  # a stream inside each row of a comprehension
                div(id=f"group-{g}")[
                    ul(id=f"list-{g}", phx_update="stream")[
                        [li(id=d)[s.title] for d, s in assigns[g]]
                    ]
                ]
                for g in assigns.groups
            ],
        ]


class WalkedBoard(Board):
    track_changes = False


@pytest.mark.parametrize("view_class", [Board, WalkedBoard])
async def test_streams_in_components_per_item_components_and_comprehensions(
    view_class: type[LiveView],
) -> None:
    async with live(app_for(view_class), "/") as view:
        assert [e.text for e in view.elements("#posts-news li")] == ["first"]
        await view.push("post", {"n": 2}, target="#feed-news")
        await view.push("post", {"n": 3}, target="#feed-news")
        assert [e.text for e in view.elements("#posts-news li")] == ["post 3", "post 2", "first"]

        assert [e.attr("id") for e in view.elements("#cards > li")] == ["cards-1", "cards-2"]
        await view.click("#cards-2 .like")
        await view.click("#cards-2 .like")
        assert view.element("#cards-2 .like").text == "likes: 2"
        await view.push("card", {"n": 3})
        assert [e.attr("id") for e in view.elements("#cards > li")] == [
            "cards-3",
            "cards-1",
            "cards-2",
        ]
        await view.click("#cards-3 .like")
        assert view.element("#cards-3 .like").text == "likes: 1"
        assert view.element("#cards-2 .like").text == "likes: 2"
        await view.push("drop", {"n": 2})
        assert [e.attr("id") for e in view.elements("#cards > li")] == ["cards-3", "cards-1"]

        assert [e.text for e in view.elements("#list-red li")] == ["song 10"]
        assert [e.text for e in view.elements("#list-blue li")] == ["song 20", "song 21"]
        await view.push("group", {"group": "blue", "n": 22})
        await view.push("group", {"group": "red", "n": 11})
        assert [e.text for e in view.elements("#list-red li")] == ["song 10", "song 11"]
        assert [e.text for e in view.elements("#list-blue li")] == ["song 20", "song 21", "song 22"]


async def test_component_stream_refs_carry_the_cid() -> None:
    async with open_page(app_for(Board), "/") as (conn, page):
        status, joined = await join(conn, page)
        assert status == "ok"
        rendered = joined["rendered"]
        feed_cid = rendered["0"]
        feed = rendered["c"][str(feed_cid)]
        stream_entries = [
            v["stream"] for v in feed.values() if isinstance(v, dict) and "stream" in v
        ]
        assert stream_entries == [[f"{feed_cid}-0", [["posts-1", -1, None, None]], []]]
        assert rendered["1"]["stream"][0] == "0"


# --------------------------------------------------------------------------- the gallery demo


def todo_titles(view: Any) -> list[str]:
    return [e.text for e in view.elements("#todos li .title")]


async def test_gallery_todo_demo() -> None:
    from gallery.app import app

    async with live(app, "/demos/todo") as view:
        assert todo_titles(view) == ["Write the docs", "Stream the todos", "Ship it"]
        await view.submit("#add-todo", {"title": "  "})
        assert view.element("#add-error").text == "Write something to do first."
        await view.submit("#add-todo", {"title": "Test it"})
        assert not view.has_element("#add-error")
        assert todo_titles(view)[-1] == "Test it"
        assert view.element("#todo-count").text == "4 of 4 left to do"
        # edit in place
        await view.click("#todos-2 button.edit")
        await view.submit("#todos-2 form", {"title": "Stream every todo"})
        assert todo_titles(view)[1] == "Stream every todo"
        # complete, then filter by patch
        await view.click("#done-1")
        assert view.element("#todo-count").text == "3 of 4 left to do"
        await view.click("#filter-active")
        assert view.path.endswith("?filter=active")
        assert todo_titles(view) == ["Stream every todo", "Ship it", "Test it"]
        await view.click("#filter-done")
        assert todo_titles(view) == ["Write the docs"]
        await view.click("#done-1")  # un-done under "done": the row leaves
        assert todo_titles(view) == []
        await view.click("#filter-all")
        # reorder: delete + insert
        await view.click("#todos-4 button.up")
        assert todo_titles(view) == ["Write the docs", "Stream every todo", "Test it", "Ship it"]
        await view.click("#todos-1 button.down")
        assert todo_titles(view) == ["Stream every todo", "Write the docs", "Test it", "Ship it"]
        await view.click("#todos-3 button.delete")
        assert todo_titles(view) == ["Stream every todo", "Write the docs", "Test it"]
        assert view.element("#todo-count").text == "3 of 3 left to do"


def test_the_sent_tree_keeps_no_stream_rows() -> None:
    """After a diff the engine holds a stream comprehension as the client does: no rows,
    nothing pending; the same tree again sends nothing, and no old instruction is replayed."""
    from pylive.diff import SentTree
    from pylive.rendered import Comprehension, Rendered, StreamPatch, template, to_html

    row = template(('<li id="', '">', "</li>"))
    patch = StreamPatch("0", (("s-1", -1, None, None),), (), True)
    comp = Comprehension(row, [["s-1", "a"]], None, patch)
    root = Rendered(template(('<ul id="s" phx-update="stream">', "</ul>")), [comp])
    sent = SentTree()
    first = sent.diff(root)
    assert first is not None
    assert first["0"]["k"] == {"0": {"0": "s-1", "1": "a"}, "kc": 1}
    assert first["0"]["stream"] == ["0", [["s-1", -1, None, None]], [], True]
    assert to_html(root) == '<ul id="s" phx-update="stream"></ul>'  # what the client keeps
    assert comp.stream == StreamPatch("0", (), ())
    assert sent.diff(root) is None


def test_a_render_records_the_streams_iterated_in_its_own_thread_only() -> None:
    songs: Stream[Any] = Stream("songs", "0", default_dom_id("songs"))

    def render_elsewhere() -> list[Stream[Any]]:
        with iterated_streams() as log:
            list(songs)
        return log

    with iterated_streams() as outer:
        with ThreadPoolExecutor(1) as pool:
            elsewhere = pool.submit(render_elsewhere).result()
        with iterated_streams() as nested:
            list(songs)
        assert iterated_log() is outer
    assert elsewhere == [songs] and nested == [songs] and outer == []
    assert iterated_log() is None
