"""What stream containers hold in the DOM (phoenix_live_view's
``assets/js/phoenix_live_view/dom_patch.js`` and ``rendered.js``).

The client keeps no stream rows in its tree: after rendering new rows it hands them, with the
stream instruction, to the DOM patch and empties the comprehension. The rows then live only in
the DOM, where inserts, deletes, limits and resets apply. ``StreamState`` is that DOM part for
the test client: per stream ref, the rows in DOM order keyed by their element id, updated the
way ``dom_patch.ts`` does (reset and deletes first, then each rendered row: existing ids are
updated in place, new ones inserted at ``at`` and trimmed to ``limit``; ``updateOnly`` rows are
never added). It assumes, as the protocol asks, that a stream comprehension is the only content
of its ``phx-update="stream"`` container.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pylive.testing.client_tree import StreamRow, StreamUpdate
from pylive.testing.modify_root import root_id

__all__ = ["StreamState"]


@dataclass(frozen=True)
class _Insert:
    at: int
    limit: int | None
    update_only: bool


class StreamState:
    """The rows every stream container of one view shows, by stream ref."""

    def __init__(self) -> None:
        self._rows: dict[str, list[tuple[str, StreamRow]]] = {}

    def rows(self, ref: str) -> Sequence[StreamRow]:
        """Rows of stream ``ref`` in DOM order."""
        return [row for _, row in self._rows.get(ref, [])]

    def all_rows(self) -> Iterator[StreamRow]:
        """Every row of every stream (for finding components rendered inside them)."""
        for rows in self._rows.values():
            for _, row in rows:
                yield row

    def dom_ids(self, ref: str) -> list[str]:
        """Element ids of stream ``ref`` in DOM order."""
        return [dom_id for dom_id, _ in self._rows.get(ref, [])]

    def apply(self, update: StreamUpdate, html_of: Callable[[StreamRow], str]) -> None:
        """Patch the DOM with one stream instruction and the rows rendered with it."""
        ref, inserts, delete_ids = update.stream[0], update.stream[1], update.stream[2]
        ref = str(ref)
        reset = len(update.stream) > 3
        plan: dict[str, _Insert] = {}
        for insert in inserts or []:
            dom_id, at, limit, update_only = (list(insert) + [None] * 4)[:4]
            plan[str(dom_id)] = _Insert(_int(at, -1), _opt_int(limit), bool(update_only))
        container = self._rows.setdefault(ref, [])
        kept: dict[str, StreamRow] = {}
        if reset:
            kept = {dom_id: row for dom_id, row in container if dom_id in plan}
            container.clear()
        for dom_id in delete_ids or []:
            self._remove(str(dom_id))
        for row in update.rows:
            dom_id = root_id(html_of(row))
            if not dom_id:
                continue  # the client removes id-less stream children (console error)
            self._place(container, dom_id, row, plan.get(dom_id), restored=dom_id in kept)

    def _remove(self, dom_id: str) -> None:
        for rows in self._rows.values():
            rows[:] = [(i, r) for i, r in rows if i != dom_id]

    @staticmethod
    def _place(
        container: list[tuple[str, StreamRow]],
        dom_id: str,
        row: StreamRow,
        insert: _Insert | None,
        *,
        restored: bool,
    ) -> None:
        index = next((n for n, (i, _) in enumerate(container) if i == dom_id), None)
        if index is not None:
            container[index] = (dom_id, row)  # existing element: updated in place
            return
        if insert is not None and insert.update_only and not restored:
            return
        if insert is None:
            container.append((dom_id, row))  # not an insert of this stream: no position, no limit
            return
        if insert.at < 0:
            container.append((dom_id, row))
        else:
            container.insert(min(insert.at, len(container)), (dom_id, row))
        limit = insert.limit
        if limit is not None:
            if limit < 0 and len(container) > -limit:
                del container[: len(container) + limit]
            elif limit >= 0 and len(container) > limit:
                del container[limit:]


def _int(value: Any, default: int) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value, 0)
