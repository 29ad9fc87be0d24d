"""Stand-in pylive app for ``benchmarks/live.py`` while the gallery is not there.

Serves the two demos the end-to-end benchmark drives, at the gallery's paths:

* ``/demos/counter``: ``<button phx-click="inc">`` adds one to a count;
* ``/demos/table?rows=N`` (default 1,000): one ``<tr id="row-I">`` per row with a
  ``<button phx-click="touch" phx-value-row="I">`` that changes that row's value cell, and a
  header counter changed by ``phx-click="tick"`` (an assign the rows do not read).

``benchmarks/live_pyview_app.py`` is the same page written for pyview; both print the same
markup. Run with ``hypercorn benchmarks.live_pylive_app:app``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from htpy import button, div, h1, table, tbody, td, th, thead, tr

from pylive import Assigns, LiveApp, LiveView, Socket, live

__all__ = ["Counter", "Row", "Table", "app", "make_rows"]


class Row(NamedTuple):
    id: int
    label: str
    value: int


def make_rows(n: int) -> list[Row]:
    return [Row(i, f"item {i}", i * 7 % 1000) for i in range(n)]


class Counter(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "inc":
            socket.assign(count=socket.assigns.count + 1)

    def render(self, assigns: Assigns) -> Any:
        return div(id="counter")[
            h1["Count: ", str(assigns.count)],
            button(phx_click="inc")["+"],
        ]


class Table(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        n = int(params.get("rows", 1000))
        socket.assign(ticks=0, rows=make_rows(n))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "touch":
            i = int(params["row"])
            rows = list(socket.assigns.rows)  # replace, don't mutate
            rows[i] = rows[i]._replace(value=rows[i].value + 1)
            socket.assign(rows=rows)
        elif event == "tick":
            socket.assign(ticks=socket.assigns.ticks + 1)

    def render(self, assigns: Assigns) -> Any:
        return div(id="table-demo")[
            h1["Ticks: ", str(assigns.ticks)],
            button(phx_click="tick")["tick"],
            table(id="rows")[
                thead[tr[th["ID"], th["Label"], th["Value"], th[""]]],
                tbody[
                    [
                        tr(id=f"row-{r.id}")[
                            td[str(r.id)],
                            td[r.label],
                            td[str(r.value)],
                            td[button(phx_click="touch", phx_value_row=str(r.id))["touch"]],
                        ]
                        for r in assigns.rows
                    ]
                ],
            ],
        ]


app = LiveApp(
    [live("/demos/counter", Counter), live("/demos/table", Table)],
    secret_key="benchmarks-live-not-secret",
)
