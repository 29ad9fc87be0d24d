"""pylive with exactly the markup of ``benchmarks/live_pyview_app.py``, for the first-paint
benchmark: the same counter and table pages in pylive's default layout (no stylesheet).

Run with ``hypercorn benchmarks.firstpaint_pylive_app:app``: importing this module installs
pylive's handshake adapter into hypercorn (``decline_unless_allowed``), so that ``app`` declines
permessage-deflate as under ``pylive serve``; ``app_deflate`` is the same app with
``websocket_compression=True``.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, table, tbody, td, th, thead, tr

from benchmarks.table_rows import make_rows
from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket
from pylive.transport.deflate import decline_unless_allowed

__all__ = ["app", "app_deflate"]

decline_unless_allowed()  # the hypercorn command accepts the offer whatever the app says


class Counter(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "inc":
            socket.update("count", lambda n: n + 1)

    def render(self, assigns: Assigns) -> Element:
        return div("#counter")[h1[f"Count: {assigns.count}"], button(phx_click="inc")["+"]]


class Table(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(ticks=0, rows=make_rows(int(params.get("rows", 1000))))

    def render(self, assigns: Assigns) -> Element:
        return div("#table-demo")[
            h1[f"Ticks: {assigns.ticks}"],
            button(phx_click="tick")["tick"],
            table("#rows")[
                thead[tr[th["ID"], th["Label"], th["Value"], th[""]]],
                tbody[
                    (
                        tr(id=f"row-{r['id']}")[
                            td[r["id"]],
                            td[r["label"]],
                            td[r["value"]],
                            td[button(phx_click="touch", phx_value_row=r["id"])["touch"]],
                        ]
                        for r in assigns.rows
                    )
                ],
            ],
        ]


ROUTES = [LiveRoute("/demos/counter", Counter), LiveRoute("/demos/table", Table)]
SECRET = "benchmarks-firstpaint-not-secret"
app = LiveApp(ROUTES, secret_key=SECRET)
app_deflate = LiveApp(ROUTES, secret_key=SECRET, websocket_compression=True)
