"""Function components with children and slot entries, judged by the official client.

A compiled template calls a ``card`` with children, a ``grid`` with ``Col`` entries rendered
per row, and cards inside a comprehension; a fixed sequence of assign changes is rendered with
change tracking. The diffs, replayed by the official ``phoenix_live_view`` client (merge and
jsdom modes), must give the HTML of ``str()`` of the htpy tree at every step.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Literal

import htpy as h
import pytest
from conformance.oracle import Oracle, assert_replays
from htpy import Node, b, div, h2, li, p, span, table, tbody, td, th, thead, tr, ul

from pylive import Slot, component, render_slot
from pylive.diff import SentTree
from pylive.html.compiler import Memo, compiled
from pylive.rendered import to_html
from pylive.testing.client_tree import ClientTree as PythonClient
from pylive.testing.client_tree import extract


class Assigns:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # only reached for missing names
        raise AttributeError(name)


@component
def card(
    *, title: str, tone: Literal["info", "warning"] = "info", children: Node = None, **attrs: Any
) -> h.Element:
    return div(class_=f"card card-{tone}", **attrs)[h2[title], children]


class Col(Slot):
    label: str


@component
def grid(*, rows: Sequence[dict[str, Any]], col: list[Col]) -> h.Element:
    return table[
        thead[tr[[th[c.label] for c in col]]],
        tbody[[tr(id=f"row-{r['id']}")[[td[render_slot(c, r)] for c in col]] for r in rows]],
    ]


@compiled
def render(assigns: Assigns) -> h.Element:
    return div[
        card(title=assigns.title, tone=assigns.tone, id="main")[
            p[assigns.body], span(".hint")["static"]
        ],
        grid(
            rows=assigns.people,
            col=[
                Col(label="Name")[lambda r: b[r["name"]]],
                Col(label=assigns.age_label)[lambda r: [r["age"], " ", assigns.unit]],
            ],
        ),
        ul[
            [
                li(id=f"n-{n['id']}")[card(title=n["name"], data_id=str(n["id"]))[n["age"]]]
                for n in assigns.people
            ]
        ],
    ]


ADA = {"id": 1, "name": "Ada", "age": 36}
ALAN = {"id": 2, "name": "Alan", "age": 41}
GRACE = {"id": 3, "name": "Grace", "age": 85}

START = {
    "title": "People",
    "tone": "info",
    "body": "Hello",
    "people": [ADA, ALAN],
    "age_label": "Age",
    "unit": "y",
}
STEPS: list[tuple[set[str] | None, dict[str, Any]]] = [
    ({"body"}, {"body": "Hello <world>"}),
    ({"people"}, {"people": [ADA, ALAN, GRACE]}),
    ({"title", "tone"}, {"title": "Team", "tone": "warning"}),
    ({"age_label"}, {"age_label": "Years"}),
    ({"unit"}, {"unit": "yrs"}),
    ({"people"}, {"people": [GRACE, {**ADA, "age": 37}]}),
    ({"people"}, {"people": []}),
    (None, {"people": [ALAN], "body": "Again"}),
]


@pytest.mark.parametrize("mode", ["merge", "dom"])
def test_function_component_diffs_replay_in_the_official_client(oracle: Oracle, mode: str) -> None:
    values = dict(START)
    tree, memo = SentTree(), Memo()
    client: PythonClient | None = None
    join: Any = None
    diffs: list[Any] = []
    expected: list[str] = []
    for changed, update in [(None, {}), *STEPS]:
        values.update(update)
        assigns = Assigns(values)
        html = str(render(assigns))
        rendered = render.render(assigns, changed, memo=memo)
        assert to_html(rendered) == html
        diff = tree.diff(rendered)
        assert diff is not None
        stripped = extract(copy.deepcopy(diff)).diff
        if client is None:
            client = PythonClient("phx-fc", stripped)
        else:
            client.merge(stripped)
        client.to_string()
        assert client.html() == html
        if join is None:
            join = diff
        else:
            diffs.append(diff)
        expected.append(html)
    assert render.fallback_reason is None and grid.fallback_reason is None
    assert_replays(oracle, join, diffs, expected, mode=mode, view_id="phx-fc")
