"""Streams as the official client sees them: diffs pylive sends for every stream operation,
replayed through the real ``LiveSocket`` in jsdom ("dom" mode: stream containers live in the
DOM), which must show the expected rows after each step."""

from __future__ import annotations

from typing import Any

import pytest
from conformance.oracle import Oracle, assert_replays
from live_socket import join, open_page
from test_streams import Board, Playlist, WalkedPlaylist

from pylive import LiveApp, LiveRoute, LiveView
from pylive.testing.page import LivePage
from pylive.testing.phoenix import PhoenixConnection

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def playlist(plays: int, rows: list[tuple[int, str]]) -> str:
    lis = "".join(f'<li id="songs-{i}">{t}</li>' for i, t in rows)
    return (
        f'<div><p id="plays">plays: {plays}</p><ul id="songs" phx-update="stream">{lis}</ul></div>'
    )


def rows(spec: str) -> list[tuple[int, str]]:
    """``"0:zero 1 4:four"``: song 0 titled "zero", song 1 with its own title, song 4..."""
    out = []
    for token in spec.split():
        n, _, title = token.partition(":")
        out.append((int(n), title or f"song {n}"))
    return out


STEPS: list[tuple[str, dict[str, Any], int, str]] = [
    ("insert", {"id": 4, "title": "four"}, 0, "1 2 3 4:four"),
    ("insert", {"id": 0, "title": "zero", "at": 0}, 0, "0:zero 1 2 3 4:four"),
    ("insert", {"id": 9, "title": "nine", "at": 2}, 0, "0:zero 1 9:nine 2 3 4:four"),
    ("insert", {"id": 2, "title": "TWO", "at": 0}, 0, "0:zero 1 9:nine 2:TWO 3 4:four"),
    ("update_only", {"id": 3, "title": "THREE"}, 0, "0:zero 1 9:nine 2:TWO 3:THREE 4:four"),
    ("update_only", {"id": 77, "title": "never"}, 0, "0:zero 1 9:nine 2:TWO 3:THREE 4:four"),
    ("delete", {"id": 9}, 0, "0:zero 1 2:TWO 3:THREE 4:four"),
    ("delete_dom_id", {"dom_id": "songs-0"}, 0, "1 2:TWO 3:THREE 4:four"),
    ("move", {"id": 4, "title": "four", "at": 0}, 0, "4:four 1 2:TWO 3:THREE"),
    ("insert", {"id": 5, "title": "five", "limit": -3}, 0, "2:TWO 3:THREE 5:five"),
    ("many", {"ids": [6, 7], "at": 0, "limit": 2}, 0, "7 6"),
    ("play", {}, 1, "7 6"),
    ("reset", {"ids": [8]}, 1, "8"),
    ("reset", {"ids": []}, 1, ""),
    ("many", {"ids": [1, 2]}, 1, "1 2"),
]


async def _event(
    conn: PhoenixConnection,
    page: LivePage,
    event: str,
    value: dict[str, Any],
    cid: int | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"type": "hook", "event": event, "value": value}
    if cid is not None:
        payload["cid"] = cid
    status, reply = await conn.call(page.topic, "event", payload)
    assert status == "ok", reply
    diff = reply.get("diff", {})
    assert isinstance(diff, dict)
    return diff


@pytest.mark.parametrize("view", [Playlist, WalkedPlaylist])
async def test_every_stream_operation_through_the_official_client(
    oracle: Oracle, view: type[LiveView]
) -> None:
    app = LiveApp([LiveRoute("/", view)], secret_key="s" * 32)
    async with open_page(app, "/") as (conn, page):
        status, joined = await join(conn, page)
        assert status == "ok"
        diffs = [await _event(conn, page, event, value) for event, value, _, _ in STEPS]
    expected = [playlist(0, rows("1 2 3"))]
    expected += [playlist(plays, rows(spec)) for _, _, plays, spec in STEPS]
    assert_replays(oracle, joined["rendered"], diffs, expected, mode="dom", view_id=page.view_id)


def board(
    posts: list[str], cards: list[tuple[int, tuple[Any, int]]], red: list[int], blue: list[int]
) -> str:
    feed = "".join(f'<li id="posts-{n}">{t}</li>' for n, t in ((p.split(":")) for p in posts))
    card_rows = "".join(
        f'<li id="cards-{i}"><span class="title">song {i}</span>'
        f'<button class="like" phx-click="like" phx-target="{cid}">likes: {likes}</button></li>'
        for i, (cid, likes) in cards
    )

    def group(name: str, ids: list[int]) -> str:
        rows = "".join(f'<li id="{name}-{i}">song {i}</li>' for i in ids)
        return f'<div id="group-{name}"><ul id="list-{name}" phx-update="stream">{rows}</ul></div>'

    return (
        '<div><section id="feed-news"><h2>news</h2>'
        f'<ul id="posts-news" phx-update="stream">{feed}</ul></section>'
        f'<ul id="cards" phx-update="stream">{card_rows}</ul>'
        f"{group('red', red)}{group('blue', blue)}</div>"
    )


async def test_streams_in_components_and_comprehensions_through_the_official_client(
    oracle: Oracle,
) -> None:
    app = LiveApp([LiveRoute("/", Board)], secret_key="s" * 32)
    async with open_page(app, "/") as (conn, page):
        status, joined = await join(conn, page)
        assert status == "ok"
        rendered = joined["rendered"]
        feed = rendered["0"]
        card1, card2 = (rendered["1"]["k"][str(i)]["0"] for i in range(2))
        diffs = [
            await _event(conn, page, "post", {"n": 2}, feed),
            await _event(conn, page, "like", {}, card2),
            await _event(conn, page, "card", {"n": 3}),
            await _event(conn, page, "drop", {"n": 1}),
            await _event(conn, page, "group", {"group": "blue", "n": 22}),
        ]
    card3 = card2 + 1
    first = ["1:first"]
    expected = [
        board(first, [(1, (card1, 0)), (2, (card2, 0))], [10], [20, 21]),
        board(["2:post 2", *first], [(1, (card1, 0)), (2, (card2, 0))], [10], [20, 21]),
        board(["2:post 2", *first], [(1, (card1, 0)), (2, (card2, 1))], [10], [20, 21]),
        board(
            ["2:post 2", *first],
            [(3, (card3, 0)), (1, (card1, 0)), (2, (card2, 1))],
            [10],
            [20, 21],
        ),
        board(["2:post 2", *first], [(3, (card3, 0)), (2, (card2, 1))], [10], [20, 21]),
        board(["2:post 2", *first], [(3, (card3, 0)), (2, (card2, 1))], [10], [20, 21, 22]),
    ]
    assert_replays(oracle, rendered, diffs, expected, mode="dom", view_id=page.view_id)


def test_a_component_lent_from_the_same_diff_gets_its_own_empty_stream(oracle: Oracle) -> None:
    """Two components of one template in one diff, the first streaming a row, the second
    nothing: the second is sent as a diff of the first (``"s": cid``), so its stream entry must
    be explicit, or it would show the first one's rows."""
    from pylive.diff import SentTree
    from pylive.rendered import Cid, Comprehension, Rendered, StreamPatch, template

    row = template(('<li id="', '">', "</li>"))
    feed = template(('<ul phx-update="stream" id="', '">', "</ul>"), single_root=True)
    root = Rendered(template(("<div>", "", "</div>")), [Cid(1), Cid(2)])
    first = Comprehension(
        row, [["p-1", "x"]], None, StreamPatch("1-0", (("p-1", -1, None, None),), ())
    )
    second = Comprehension(row, [], None, StreamPatch("2-0", (), ()))
    components = {1: Rendered(feed, ["f1", first]), 2: Rendered(feed, ["f2", second])}
    sent = SentTree()
    joined = sent.diff(root, components)
    assert joined is not None
    assert joined["c"]["2"] == {"0": "f2", "1": {"k": {"kc": 0}, "stream": ["2-0", [], []]}, "s": 1}
    html = (
        '<div><ul phx-update="stream" id="f1"><li id="p-1">x</li></ul>'
        '<ul phx-update="stream" id="f2"></ul></div>'
    )
    assert_replays(oracle, joined, [], [html], mode="dom", view_id="phx-lend")
