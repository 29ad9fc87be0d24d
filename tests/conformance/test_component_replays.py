"""LiveComponents as the official client sees them: the diffs of real ``LiveComponent``s (shared
statics ``s: n`` and ``s: -n``, component-only changes, keyed moves, nesting, a component
removed and added again) replayed through it, in both oracle modes."""

from __future__ import annotations

from typing import Any

import htpy as h
import pytest
from components import Live
from conformance.oracle import Oracle, assert_replays

from pylive import Assigns
from pylive.html.walker import walk
from pylive.live_component import LiveComponent, live_component


class Row(LiveComponent):
    def render(self, assigns: Assigns) -> h.Element:
        return h.li(id=f"row-{assigns.id}")[h.span[assigns.label], h.output[assigns.n]]


class Pair(LiveComponent):
    def render(self, assigns: Assigns) -> h.Element:
        return h.section(id=f"pair-{assigns.id}")[
            live_component(Row, f"{assigns.id}-left", label="left", n=assigns.n),
            live_component(Row, f"{assigns.id}-right", label="right", n=0),
        ]


def page(rows: list[tuple[str, str, int]], pair: int | None) -> h.Element:
    return h.main[
        h.ul[[live_component(Row, id, label=label, n=n) for id, label, n in rows]],
        live_component(Pair, "p", n=pair) if pair is not None else h.p["no pair"],
    ]


class Steps:
    def __init__(self) -> None:
        self.live = Live()
        self.join: dict[str, Any] | None = None
        self.diffs: list[dict[str, Any]] = []
        self.expected: list[str] = []

    def render(self, node: h.Element) -> dict[str, Any] | None:
        root = walk(node, self.live.context)
        diff = self.live.diff(root)
        if self.join is None:
            self.join = diff
        elif diff is not None:
            self.diffs.append(diff)
        else:
            return None
        self.expected.append(self.live.html(root))
        return diff


@pytest.mark.parametrize("mode", ["merge", "dom"])
def test_component_diffs_replay_in_the_official_client(oracle: Oracle, mode: str) -> None:
    s = Steps()
    rows = [("a", "A", 0), ("b", "B", 0), ("c", "C", 0)]
    join = s.render(page(rows, 1))
    assert join is not None
    assert join["c"]["2"]["s"] == 1  # b borrows a's tree from the same diff
    rows[1] = ("b", "B", 1)
    assert s.render(page(rows, 1)) == {"c": {"2": {"2": "1"}}}  # only b's count changed
    rows.append(("d", "D", 0))
    added = s.render(page(rows, 1))
    assert added is not None and added["c"]["7"]["s"] == -1  # d: a's tree as the client has it
    rows.reverse()  # keyed by the rows' ids: moves, no component is re-sent
    moved = s.render(page(rows, 2))
    # only the pair's left row changed; the pair is listed (empty) so that the client, which
    # also patches the view's tree here, renders the pair again and the row with it
    assert moved is not None and moved["c"] == {"5": {"2": "2"}, "4": {}}
    s.render(page(rows, None))  # the pair and its rows go
    s.render(page(rows[:2], 3))  # two rows go, a new pair (new cids) comes
    assert s.join is not None
    assert_replays(oracle, s.join, s.diffs, s.expected, mode=mode)


def test_a_revived_component_is_sent_whole(oracle: Oracle) -> None:
    s = Steps()
    rows = [("a", "A", 0), ("b", "B", 0)]
    s.render(page(rows, None))
    s.render(page(rows[:1], None))
    s.live.registry.mark([2])  # cids_will_destroy; shown again before cids_destroyed
    revived = s.render(page(rows, None))
    # whole: a's tree (as the client holds it) with b's values, not a change to its own tree
    assert revived is not None and revived["c"]["2"]["s"] == -1
    assert s.join is not None
    assert_replays(oracle, s.join, s.diffs, s.expected, mode="merge")
