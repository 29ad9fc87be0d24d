"""The page ``benchmarks/broadcast.py`` broadcasts to: a ticker of ``ROWS`` stock prices.

``/plain`` is a LiveView (every viewer renders each tick itself), ``/shared`` the same page as a
broadcast view (``BroadcastView``: one render per tick for all viewers). Each subscribes to
``ticker:<kind>``; ``POST /fire?kind=plain|shared&n=N`` broadcasts ``("tick", N)`` there, which
moves the tick counter and one row's price. Run with ``hypercorn benchmarks.broadcast_app:app``
(``PYLIVE_PUBSUB`` chooses the pub/sub backend).
"""

from __future__ import annotations

from typing import Any

from htpy import Element, h1, main, table, td, tr
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from pylive import Assigns, BroadcastView, LiveApp, LiveRoute, LiveView, Socket, broadcast

__all__ = ["ROWS", "app"]

ROWS = 20


class _Ticker:
    kind = ""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        if socket.connected:
            socket.subscribe(f"ticker:{self.kind}")
        socket.assign(n=0, prices=[100] * ROWS)

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case ("tick", int(n)):
                prices = list(socket.assigns.prices)
                prices[n % ROWS] += 1
                socket.assign(n=n, prices=prices)

    def render(self, assigns: Assigns) -> Element:
        return main[
            h1[f"Tick {assigns.n}"],
            table[
                (
                    tr(id=f"stock-{i}")[td[f"Stock {i}"], td[f"{price / 100:.2f}"]]
                    for i, price in enumerate(assigns.prices)
                )
            ],
        ]


class PlainTicker(_Ticker, LiveView):
    kind = "plain"


class SharedTicker(_Ticker, BroadcastView):
    kind = "shared"


async def fire(request: Request) -> PlainTextResponse:
    kind, n = request.query_params["kind"], int(request.query_params["n"])
    await broadcast(f"ticker:{kind}", ("tick", n))
    return PlainTextResponse("sent")


app = LiveApp(
    [
        LiveRoute("/plain", PlainTicker),
        LiveRoute("/shared", SharedTicker),
        Route("/fire", fire, methods=["POST"]),
    ],
    secret_key="benchmarks.broadcast: not a secret",
)
