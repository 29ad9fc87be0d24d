"""Gallery page of the data table: 200 generated people, sorted and paged through the URL
(``?sort=name&dir=desc&page=2``), shown through a stream, with a selection that outlives
the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from htpy import Node, div

from gallery.components.page import ComponentPage
from pylive import Assigns, Slot, Socket
from pylive.ui import Column, Selection, TableParams, badge, button, data_table

FIRST = (
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken",
    "Margaret", "Dennis", "Hedy", "Tim", "Shafi", "Niklaus", "Adele", "Butler", "Karen", "Leslie",
)  # fmt: skip
LAST = (
    "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov",
    "Knuth", "Allen", "Backus", "Perlman", "Thompson",
)  # fmt: skip
TEAMS = ("Compilers", "Networks", "Storage", "Interfaces", "Security")


@dataclass(frozen=True, slots=True)
class Person:
    """One generated row."""

    id: int
    name: str
    team: str
    commits: int


PEOPLE = [
    Person(
        n + 1,
        f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST)]}",
        TEAMS[(n * 3) % len(TEAMS)],
        (n * 7919) % 1000,
    )
    for n in range(len(FIRST) * len(LAST))
]
SORT_KEYS = {
    "name": lambda person: person.name,
    "team": lambda person: person.team,
    "commits": lambda person: person.commits,
}
"""What each sortable column compares."""


def example_data_table(assigns: Assigns) -> Node:
    """Sort, pages and selection

    A header button sorts (again: the other way); the URL says how (``?sort=team&dir=desc``),
    so the back button undoes it. The rows are a stream: the server keeps only the page's
    keys. Selected rows stay selected on other pages; the header box selects the page."""
    return div(".stack")[
        data_table(
            id="people",
            caption="Contributors",
            rows=assigns.people,
            params=assigns.table,
            selection=assigns.selection,
            row_label=lambda person: f"Select {person.name}",
            column=[
                Column(label="Name", key="name", sortable=True)[lambda person: person.name],
                Column(label="Team", key="team", sortable=True)[
                    lambda person: badge(tone="neutral")[person.team]
                ],
                Column(label="Commits", key="commits", sortable=True, align="end")[
                    lambda person: person.commits
                ],
            ],
        ),
        div(".row")[
            button(id="clear-selection", size="sm", phx_click="clear")["Clear the selection"]
        ],
    ]


def example_plain_table(assigns: Assigns) -> Node:
    """A list, no pages

    ``rows`` may be a plain list; without ``params`` or ``selection`` the table is a
    captioned table with its cells, and an action per row."""
    table: Node = data_table(
        id="teams",
        caption="Teams",
        rows=[{"id": team.lower(), "name": team} for team in TEAMS],
        column=[Column(label="Team")[lambda team: team["name"]]],
        action=[Slot()[lambda team: button(size="sm")[f"Open {team['name']}"]]],
    )
    return table


class DataTablePage(ComponentPage):
    name = "data-table"
    title = "Data table"
    summary = "Rows sorted and paged through the URL, in a stream, with row selection."
    examples = (example_data_table, example_plain_table)
    components = (data_table,)

    async def setup(self, socket: Socket) -> None:
        socket.assign(selection=Selection())
        socket.stream("people", [])

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        table = TableParams.parse(params, uri, total=len(PEOPLE), sortable=SORT_KEYS, per_page=10)
        show_page(socket, table)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "select":
            socket.assign(selection=socket.assigns.selection.toggle(params))
            if "all" in params:  # the page's checkboxes change: send its rows again
                show_page(socket, socket.assigns.table)
        elif event == "clear":
            socket.assign(selection=socket.assigns.selection.clear())
            show_page(socket, socket.assigns.table)


def show_page(socket: Socket, table: TableParams) -> None:
    """Stream the rows of ``table``'s page, in place of those shown."""
    rows = table.rows(PEOPLE, SORT_KEYS)
    selection = socket.assigns.selection.showing(person.id for person in rows)
    socket.assign(table=table, selection=selection)
    socket.stream("people", rows, reset=True)
