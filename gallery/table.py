"""Table: many rows, one changes. ``/demos/table?rows=N`` (default 1000).

Each row has an ``id`` and a button ``phx-click="touch" phx-value-row="<i>"``; the value
arrives in ``params["row"]``. The handler replaces one row in a new list (replace, don't
mutate): pylive re-renders only that row and the diff carries only its changed cell.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from htpy import Element, button, h1, main, output, p, table, tbody, td, th, thead, tr

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group

DEFAULT_ROWS = 1000
MAX_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class Row:
    """One table row; frozen, so a change is a new object."""

    index: int
    label: str
    touches: int = 0


def row_count(value: Any) -> int:
    """The ``rows`` query parameter, clamped to 0..MAX_ROWS (default DEFAULT_ROWS)."""
    try:
        return max(0, min(int(value), MAX_ROWS))
    except (TypeError, ValueError):
        return DEFAULT_ROWS


class Table(LiveView):
    """N rows; touching a row increments its counter cell."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        rows = [Row(i, f"Row {i}") for i in range(row_count(params.get("rows", DEFAULT_ROWS)))]
        socket.assign(rows=rows, ticks=0, page_title=f"Table ({len(rows)} rows)")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "tick":  # an assign no row reads: the rows are not even looked at
            socket.assign(ticks=socket.assigns.ticks + 1)
            return
        rows = list(socket.assigns.rows)
        i = int(params.get("row", -1)) if str(params.get("row", "")).isdigit() else -1
        if event != "touch" or not 0 <= i < len(rows):
            return
        rows[i] = replace(rows[i], touches=rows[i].touches + 1)
        socket.assign(rows=rows)  # one cell of one row changes: the reply carries just that

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Table"],
            p[button("#tick", phx_click="tick")["tick"], " Ticks: ", output[assigns.ticks]],
            p("#summary")[f"{len(assigns.rows)} rows."],
            table("#rows")[
                thead[tr[th["#"], th["Label"], th["Touches"], th]],
                tbody[
                    (
                        tr(id=f"row-{row.index}")[
                            td[row.index],
                            td[row.label],
                            td(".touches")[row.touches],
                            td[button(phx_click="touch", phx_value_row=str(row.index))["touch"]],
                        ]
                        for row in assigns.rows
                    )
                ],
            ],
        ]
