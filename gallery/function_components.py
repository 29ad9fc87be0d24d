"""Function components: declared attributes, children and slot entries, all change-tracked.

``card`` takes a title, an optional ``tone`` (a ``Literal``: anything else is an error naming
the component and the attribute), children in brackets and any other attributes (``id``,
``aria_*``...) for its root element. ``action_button`` passes its extra attributes
(``phx_click``, ``phx_value_id``, ``aria_label``) to its ``<button>``. ``score_table`` has a
named slot ``col``: each ``Column`` entry has its own attributes (``label``, ``numeric``) and
content, a function of the row, rendered per row with ``render_slot(col, player)``.

Giving a player a point replaces that player (replace, don't mutate): pylive re-renders that
row only, and the diff carries the new number and the new total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from htpy import (
    Element,
    Node,
    button,
    caption,
    div,
    h1,
    h2,
    main,
    output,
    p,
    section,
    table,
    tbody,
    td,
    th,
    thead,
    tr,
)

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Slot, Socket, component, flash_group, render_slot


@dataclass(frozen=True, slots=True)
class Player:
    """One row; frozen, so a change is a new object."""

    id: int
    name: str
    points: int = 0


PLAYERS = (Player(1, "Ada", 3), Player(2, "Grace", 5), Player(3, "Alan", 1))

BOX = "border-radius: 0.4rem; padding: 0 1rem 1rem; margin: 1rem 0"
CARD_STYLE = {
    "plain": f"border: 1px solid #8888; {BOX}",
    "accent": f"border: 2px solid #5a3fd6; {BOX}",
}


@component
def card(
    *, title: str, tone: Literal["plain", "accent"] = "plain", children: Node = None, **attrs: Any
) -> Element:
    """A titled box; ``attrs`` (``id``, ``aria_*``, ``data_*``...) go to the ``<section>``."""
    return section(class_=f"card card-{tone}", style=CARD_STYLE[tone], **attrs)[h2[title], children]


@component
def action_button(
    *, kind: Literal["primary", "secondary"] = "secondary", children: Node = None, **attrs: Any
) -> Element:
    """A ``<button type="button">``; ``attrs`` carry its events and its accessible name."""
    return button(
        type="button",
        class_=f"btn btn-{kind}",
        style=kind == "primary" and "font-weight: 600; border-width: 2px",
        **attrs,
    )[children]


class Column(Slot):
    """An entry of ``score_table``'s ``col`` slot."""

    label: str
    numeric: bool = False


@component
def score_table(*, rows: Sequence[Player], col: list[Column], title: str) -> Element:
    """One ``<tr>`` per row, one cell per ``col`` entry: ``render_slot(c, row)``."""
    return table[
        caption[title],
        thead[tr[[th(scope="col", style=c.numeric and "text-align: right")[c.label] for c in col]]],
        tbody[
            [
                tr(id=f"player-{row.id}")[
                    [td(style=c.numeric and "text-align: right")[render_slot(c, row)] for c in col]
                ]
                for row in rows
            ]
        ],
    ]


SORTS = {"name": "points", "points": "name"}
"""The current sort → the other one (what the sort button switches to)."""


class FunctionComponents(LiveView):
    """A score table built from function components."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(players=PLAYERS, sort="name", page_title="Function components")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        players: tuple[Player, ...] = socket.assigns.players
        if event == "point":
            wanted = int(params.get("id", 0))
            socket.assign(
                players=tuple(
                    replace(pl, points=pl.points + 1) if pl.id == wanted else pl for pl in players
                )
            )
        elif event == "sort":
            socket.assign(sort=SORTS[socket.assigns.sort])
        elif event == "reset":
            socket.assign(players=PLAYERS)

    def render(self, assigns: Assigns) -> Element:
        rows = sorted(
            assigns.players,
            key=lambda pl: pl.name if assigns.sort == "name" else -pl.points,
        )
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Function components"],
            p[
                "A card, a button and a table with column slots, each a ",
                "@component function with declared attributes.",
            ],
            card(title="Scores", id="scores")[
                score_table(
                    rows=rows,
                    title=f"Points per player, by {assigns.sort}",
                    col=[
                        Column(label="Player")[lambda pl: pl.name],
                        Column(label="Points", numeric=True)[
                            lambda pl: output(id=f"points-{pl.id}")[pl.points]
                        ],
                        Column(label="Give a point")[
                            lambda pl: action_button(
                                id=f"point-{pl.id}",
                                phx_click="point",
                                phx_value_id=str(pl.id),
                                aria_label=f"+1 point for {pl.name}",
                            )["+1"]
                        ],
                    ],
                ),
            ],
            card(title="Total", tone="accent", id="total", aria_live="polite")[
                p["Points given: ", output("#total-points")[sum(x.points for x in assigns.players)]]
            ],
            div(".buttons")[
                action_button(id="sort", kind="primary", phx_click="sort")[
                    "Sort by ", SORTS[assigns.sort]
                ],
                action_button(id="reset", phx_click="reset")["Reset"],
            ],
        ]
