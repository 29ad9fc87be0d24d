"""Dashboard: live metrics fed by a timer and by broadcasts, drawn as a small bar chart.

Anyone on the page can record an order (a button per amount); the order is broadcast on
``dashboard:orders`` and every open dashboard, in every process sharing the pub/sub, adds it to
the current second. A one-second timer (``send_interval``) moves the chart along: the last
``WINDOW`` seconds of order totals, as SVG bars. Viewers are counted with presence. Each
dashboard keeps its own window, starting empty when it opens.

``SharedDashboard`` (``/demos/dashboard/shared``) is the same page as a broadcast view
(``BroadcastView``): every viewer in the process shares one dashboard, so one timer, one render
and one diff per update serve them all, and a viewer who opens it later sees the window so far.
"""

from __future__ import annotations

import secrets
from typing import Any

from htpy import (
    Element,
    button,
    dd,
    div,
    dl,
    dt,
    h1,
    h2,
    main,
    p,
    rect,
    section,
    svg,
)

from gallery.layout import top_nav
from pylive import (
    Assigns,
    BroadcastView,
    LiveView,
    PresenceDiff,
    Socket,
    broadcast,
    flash_group,
    presence,
)

TOPIC = "dashboard:orders"
WINDOW = 30
"""Seconds the chart shows."""
AMOUNTS = (5, 20, 100)
CHART_W, CHART_H = 300, 80


class Dashboard(LiveView):
    """Orders per second, live for every viewer."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        if socket.connected:
            socket.subscribe(TOPIC)
            await presence.track(socket, TOPIC, secrets.token_hex(4), {})
            socket.send_interval(1.0, "tick")
        socket.assign(viewers=len(presence.list(TOPIC)), since="you opened this page")
        self.start(socket, "Dashboard")

    def start(self, socket: Socket, title: str) -> None:
        """The assigns every dashboard starts with."""
        socket.assign(buckets=[0] * WINDOW, orders=0, revenue=0, page_title=title)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "order":
            amount = int(params.get("amount", 0))
            if amount in AMOUNTS:
                await broadcast(TOPIC, ("order", amount))

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case "tick":
                socket.assign(buckets=[*socket.assigns.buckets[1:], 0])
            case ("order", int(amount)):
                buckets = list(socket.assigns.buckets)
                buckets[-1] += amount
                socket.assign(
                    buckets=buckets,
                    orders=socket.assigns.orders + 1,
                    revenue=socket.assigns.revenue + amount,
                )
            case PresenceDiff():
                socket.assign(viewers=len(presence.list(TOPIC)))

    def render(self, assigns: Assigns) -> Element:
        buckets: list[int] = assigns.buckets
        top = max(max(buckets), 1)
        width = CHART_W / WINDOW
        in_window = sum(buckets)
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1[assigns.page_title],
            dl(".metrics")[
                assigns.viewers is not None and div[dt["Viewers"], dd("#viewers")[assigns.viewers]],
                div[dt[f"Orders since {assigns.since}"], dd("#orders")[assigns.orders]],
                div[dt["Revenue"], dd("#revenue")[f"${assigns.revenue}"]],
            ],
            section(aria_labelledby="chart-title")[
                h2("#chart-title")[f"Order totals per second, last {WINDOW} seconds"],
                svg(
                    "#chart",
                    viewBox=f"0 0 {CHART_W} {CHART_H}",
                    role="img",
                    aria_label=f"Bar chart: ${in_window} of orders in the last {WINDOW} seconds",
                )[
                    (
                        rect(
                            x=f"{i * width:.1f}",
                            y=f"{CHART_H - value / top * CHART_H:.1f}",
                            width=f"{width - 1:.1f}",
                            height=f"{value / top * CHART_H:.1f}",
                        )
                        for i, value in enumerate(buckets)
                        if value
                    )
                ],
                p("#window")[f"${in_window} in the last {WINDOW} seconds."],
            ],
            h2["Record an order"],
            div(".buttons")[
                (
                    button(id=f"order-{amount}", phx_click="order", phx_value_amount=str(amount))[
                        f"${amount} order"
                    ]
                    for amount in AMOUNTS
                )
            ],
            p(".hint")["Open this page in two tabs: an order in one shows up in both."],
        ]


class SharedDashboard(BroadcastView, Dashboard):
    """The dashboard rendered once per update for all of its viewers (one group per process:
    the window starts when its first viewer opens it, and ends with its last)."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        if socket.connected:  # runs once for the group, whose timer serves every viewer
            socket.subscribe(TOPIC)
            socket.send_interval(1.0, "tick")
        socket.assign(viewers=None, since="the first viewer opened this page")
        self.start(socket, "Shared dashboard")
