"""Temporary assigns: the server forgets rendered rows, the official client keeps them on screen."""

from __future__ import annotations

from typing import Any

import pytest
from conformance.oracle import Oracle, assert_replays
from htpy import button, div, li, ul
from live_socket import join, open_page

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket

pytestmark = pytest.mark.anyio


class Chat(LiveView):
    """Each ``say`` adds one message; the server keeps none of them after rendering."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(said=0).temporary_assigns(messages=[])

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        n = socket.assigns.said + 1
        socket.assign(said=n)
        if event == "say":
            socket.assign(messages=[f"message {n}"])

    def render(self, assigns: Assigns) -> Any:
        return div[
            button(phx_click="say")[f"said {assigns.said}"],
            ul("#log", phx_update="append")[[li(id=f"m-{m}")[m] for m in assigns.messages]],
        ]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class UntrackedChat(Chat):
    track_changes = False


@pytest.mark.parametrize("view", [Chat, UntrackedChat])
async def test_rows_stay_on_the_client_while_the_server_forgets_them(
    oracle: Oracle, view: type[Chat]
) -> None:
    app = LiveApp([LiveRoute("/chat", view)], secret_key="s" * 32)
    async with open_page(app, "/chat") as (conn, page):
        status, joined = await join(conn, page)
        assert status == "ok"
        diffs = []
        for event in ("say", "say", "other"):
            status, reply = await conn.call(page.topic, "event", {"type": "click", "event": event})
            assert status == "ok"
            diffs.append(reply["diff"])
    # the server holds no message any more: with change tracking the list is not rendered
    # again, without it the list is rendered empty; either way the client keeps the rows
    emptied = [v for v in diffs[-1].values() if v == {"k": {"kc": 0}}]
    assert len(diffs[-1]) == (1 if view.track_changes else 2) and len(emptied) == len(diffs[-1]) - 1

    def page_html(said: int, shown: list[int]) -> str:
        rows = "".join(f'<li id="m-message {n}">message {n}</li>' for n in shown)
        return (
            f'<div><button phx-click="say">said {said}</button>'
            f'<ul id="log" phx-update="append">{rows}</ul></div>'
        )

    expected = [page_html(0, []), page_html(1, [1]), page_html(2, [1, 2]), page_html(3, [1, 2])]
    assert_replays(oracle, joined["rendered"], diffs, expected, mode="dom", view_id=page.view_id)
