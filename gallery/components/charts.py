"""The gallery page of the SVG charts: data pushed by the server every second."""

from __future__ import annotations

import random
from typing import Any

from htpy import Node, div, p

from gallery.components.page import ComponentPage
from pylive import Assigns, Socket
from pylive.ui import bar_chart, button, line_chart

WINDOW = 20


def example_line(assigns: Assigns) -> Node:
    """A live line chart

    The server adds a point every second (``send_interval``); only the new coordinates
    travel."""
    return div[
        line_chart(id="load-chart", values=assigns.load, title="Server load, last 20 seconds"),
        p(".hint")["Latest: ", assigns.load[-1], "% · ", assigns.ticks, " updates"],
    ]


def example_bar(assigns: Assigns) -> Node:
    """A bar chart

    "Vote" adds to a random bar."""
    return div[
        bar_chart(
            id="votes-chart",
            values=assigns.votes,
            labels=["Mon", "Tue", "Wed", "Thu", "Fri"],
            title="Votes per day",
        ),
        div(".row")[button(id="vote", phx_click="vote")["Vote"]],
    ]


class ChartPage(ComponentPage):
    name = "chart"
    title = "Chart"
    summary = "Small SVG line and bar charts, rendered on the server, updated live."
    examples = (example_line, example_bar)
    components = (line_chart, bar_chart)

    async def setup(self, socket: Socket) -> None:
        socket.assign(
            load=[40 + 5 * (i % 4) for i in range(WINDOW)], ticks=0, votes=[3, 5, 2, 6, 4]
        )
        socket.send_interval(1.0, "tick")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        if msg == "tick":
            last = socket.assigns.load[-1]
            point = max(0, min(100, last + random.randint(-12, 12)))
            socket.assign(load=[*socket.assigns.load[1:], point], ticks=socket.assigns.ticks + 1)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "vote":
            votes = list(socket.assigns.votes)
            votes[random.randrange(len(votes))] += 1
            socket.assign(votes=votes)
