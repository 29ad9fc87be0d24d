"""Broadcast views under the official client: the shared diffs (one encoding for every
viewer) bring an early and a late joiner's DOM to the same page (``LiveSocket`` in jsdom).

The app is tests/broadcast_apps.py; tests/test_broadcast_view.py covers the runtime."""

from __future__ import annotations

import pytest
from broadcast_apps import make_app
from conformance.oracle import Oracle, assert_replays
from live_socket import join, open_page

from pylive.testing.phoenix import Frame, PhoenixConnection

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _page(home: int, away: int, log: list[str]) -> str:
    rows = "".join(f"<li>{team}</li>" for team in log)
    return (
        f'<main><p id="score">{home} : {away}</p><ul id="log">{rows}</ul>'
        '<button id="home" phx-click="goal" phx-value-team="home">Home scores</button>'
        '<button id="away" phx-click="goal" phx-value-team="away">Away scores</button></main>'
    )


async def _diff(conn: PhoenixConnection) -> tuple[str, Frame]:
    """The next frame, a ``diff`` push: its raw text and the frame."""
    raw = await conn.ws.receive(conn.timeout)
    frame = Frame.decode(raw)
    assert frame.event == "diff", frame
    return raw if isinstance(raw, str) else raw.decode(), frame


async def test_an_early_and_a_late_joiner_follow_the_same_diffs(oracle: Oracle) -> None:
    app = make_app()
    async with open_page(app, "/board/c") as (early, early_page):
        status, early_join = await join(early, early_page)
        assert status == "ok"
        early_diffs = []
        for team in ("home", "home"):
            await app.pubsub.broadcast("game:c", ("goal", team))
            early_diffs.append((await _diff(early))[1].payload)
        async with open_page(app, "/board/c") as (late, late_page):
            status, late_join = await join(late, late_page)
            assert status == "ok"
            await app.pubsub.broadcast("game:c", ("goal", "away"))
            early_raw, early_frame = await _diff(early)
            late_raw, late_frame = await _diff(late)
    assert early_frame.topic != late_frame.topic
    # one encoding: past the envelope the two frames are the same text
    assert early_raw.split('"diff",', 1)[1] == late_raw.split('"diff",', 1)[1]
    early_diffs.append(early_frame.payload)

    expected = [
        _page(0, 0, []),
        _page(1, 0, ["home"]),
        _page(2, 0, ["home", "home"]),
        _page(2, 1, ["home", "home", "away"]),
    ]
    rendered = early_join["rendered"]
    assert_replays(oracle, rendered, early_diffs, expected, mode="dom", view_id=early_page.view_id)
    rendered = late_join["rendered"]
    diffs = [late_frame.payload]
    assert_replays(oracle, rendered, diffs, expected[2:], mode="dom", view_id=late_page.view_id)
