"""Minimal Phoenix LiveView 1.2 diffs between what the client holds and a new Rendered tree.

``SentTree`` mirrors the client's cache for one LiveView: the last tree sent (whose interned
templates are the fingerprints) and the components by cid. Its first diff is the full join
payload; later ones carry only changed slots, ``s`` only where a shape is new to its position,
keyed comprehension updates with moves (``km``), one root template table ``p`` per diff, and
components under ``c``. Scalars are JSON strings; cids are JSON numbers.

A component new to the client (or with a new root template) is sent with its statics and
``"r": 1``, unless another component with the same template can lend its tree, as Phoenix does:
``"s": -n`` names component ``n`` as the client already holds it, ``"s": n`` component ``n`` as
this same diff leaves it; the entry is then a diff against that tree.

Components are given in two parts: those rendered this time (diffed against what was sent) and
the cids the client destroyed (forgotten). A component sent and not rendered again is unchanged,
unless the root template changed: the client then drops every component it holds, so each one
still alive is sent again in full.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from pylive.errors import RenderError
from pylive.rendered import (
    STREAM_ROWLESS,
    Cid,
    Comprehension,
    Dynamic,
    Rendered,
    StreamPatch,
    Template,
    changed_positions,
    template,
)

__all__ = ["SentTree"]

Json = dict[str, Any]

_ROW = template(("",))
"""Stands for a comprehension row's template when only its dynamics are looked at."""


class _Table:
    """Templates introduced by one diff in one scope; ``None`` scope means inline statics.

    ``spent`` collects the stream comprehensions the diff sends (shared by every scope)."""

    __slots__ = ("index", "inline", "spent")

    def __init__(self, inline: bool, spent: list[Comprehension]) -> None:
        self.inline = inline
        self.index: dict[Template, int] = {}
        self.spent = spent

    def ref(self, tpl: Template) -> int | list[str]:
        if self.inline:
            return list(tpl.statics)
        found = self.index.get(tpl)
        if found is None:
            found = self.index[tpl] = len(self.index)
        return found

    def dump(self) -> Json:
        return {str(i): list(t.statics) for t, i in self.index.items()}


_NOTHING_SENT: Any = MappingProxyType({})
"""The component tables of a ``SentTree`` that sent no component yet (read-only: the first
diff with components gives the tree its own). Most views have no LiveComponent."""


class SentTree:
    """What the client holds for one LiveView, and the diff that brings it to a new render."""

    __slots__ = ("_parents", "components", "root")

    def __init__(self) -> None:
        self.root: Rendered | None = None
        self.components: dict[int, Rendered] = _NOTHING_SENT
        # cid -> the component whose tree placed it last
        self._parents: dict[int, int] = _NOTHING_SENT

    def diff(
        self,
        root: Rendered,
        rendered: Mapping[int, Rendered] | None = None,
        *,
        gone: Collection[int] = (),
        full: Collection[int] = (),
        unshared: Collection[int] = (),
    ) -> Json | None:
        """The diff from the client's state to ``root``, or None if nothing changed.

        ``rendered``: components rendered this time, by cid (the others the client holds are
        unchanged); ``gone``: cids the client has destroyed since the last diff; ``full``:
        rendered cids to send with their statics even if the client holds them; ``unshared``:
        cids whose tree must not be lent (the client may drop them). The first call returns the
        full join ``rendered``.
        """
        rendered = rendered or {}
        sent = self.components
        if sent is not _NOTHING_SENT:
            for cid in gone:
                sent.pop(cid, None)
                self._parents.pop(cid, None)
        spent: list[Comprehension] = []
        table = _Table(inline=False, spent=spent)
        old_root = self.root
        if old_root is None or old_root.template is not root.template:
            out: Json = _full(root, table)
            # a root template change makes the client drop every cached component
            old: Mapping[int, Rendered] = {}
            todo: Mapping[int, Rendered] = {**sent, **rendered}
        else:
            out = _diff_slots(old_root.dynamics, root.dynamics, table)
            old = sent
            todo = rendered
        if todo:  # components to send (most diffs of most views have none)
            if sent is _NOTHING_SENT:
                sent = self.components = {}
                self._parents = {}
            changed = {}
            lenders = _Lenders(old, unshared)
            for cid, node in todo.items():
                prev = None if cid in full else old.get(cid)
                d = _diff_component(cid, prev, node, lenders, spent)
                if d is not None:
                    changed[str(cid)] = d
                    lenders.add(cid, node)
                for child in _cids_in(node):
                    self._parents[child] = cid
            sent.update(rendered)
            if changed and out:
                self._add_ancestors(changed)
            if changed:
                out["c"] = changed
        if table.index:
            out["p"] = table.dump()
        self.root = root
        for comp in spent:
            _spend(comp)
        return out or None

    def full(self) -> Json | None:
        """The tree the client holds, in full: the join ``rendered`` for a second client that
        is to follow the same diffs from here (None before the first diff). Without the
        LiveComponents' trees."""
        if self.root is None:
            return None
        table = _Table(inline=False, spent=[])
        out = _full(self.root, table)
        if table.index:
            out["p"] = table.dump()
        return out

    def _add_ancestors(self, changed: Json) -> None:
        """Add an empty entry for every component above a changed one.

        In a diff that also changes the view's own tree, the client re-renders only the
        components listed under ``c`` and keeps every other component's element as it is,
        children included: a changed component inside an unlisted one would not show.
        """
        parents = self._parents
        for key in list(changed):
            parent = parents.get(int(key))
            while parent is not None and parent in self.components and str(parent) not in changed:
                changed[str(parent)] = {}
                parent = parents.get(parent)


class _Lenders:
    """Components whose tree a new component of the same root template may start from: those
    the client holds (first found per template, by ``-cid``) and those sent earlier in this diff
    (by ``cid``)."""

    __slots__ = ("_held", "_old", "_sent", "_unshared")

    def __init__(self, old: Mapping[int, Rendered], unshared: Collection[int]) -> None:
        self._old = old
        self._unshared = unshared
        self._held: dict[Template, int] | None = None  # built on first use
        self._sent: dict[Template, tuple[int, Rendered]] = {}

    def add(self, cid: int, node: Rendered) -> None:
        self._sent.setdefault(node.template, (cid, node))

    def find(self, template: Template) -> tuple[int, Rendered] | None:
        """``(-n, tree)`` for component ``n`` held by the client, ``(n, tree)`` for one sent
        in this diff, or None."""
        held = self._held
        if held is None:
            held = self._held = {}
            for cid, node in self._old.items():
                if cid not in self._unshared:
                    held.setdefault(node.template, cid)
        lender = held.get(template)
        if lender is not None:
            return -lender, self._old[lender]
        return self._sent.get(template)


def _cids_in(node: Rendered) -> Iterator[int]:
    """The cids placed in ``node``'s tree (not inside those components)."""
    for value in node.dynamics:
        if isinstance(value, Cid):
            yield value.cid
        elif isinstance(value, Rendered):
            yield from _cids_in(value)
        elif isinstance(value, Comprehension):
            for row in value.rows:
                yield from _cids_in(Rendered(_ROW, row))


def _diff_component(
    cid: int, old: Rendered | None, new: Rendered, lenders: _Lenders, spent: list[Comprehension]
) -> Json | None:
    table = _Table(inline=True, spent=spent)
    if old is not None and old.template is new.template:
        return _diff_slots(old.dynamics, new.dynamics, table) or None
    if not new.template.single_root:
        raise RenderError(
            f"LiveComponent {cid} must render exactly one HTML element at its root, got "
            f"{''.join(new.template.statics)[:80]!r}"
        )
    lender = lenders.find(new.template)
    if lender is not None:
        ref, tree = lender
        out = _diff_slots(tree.dynamics, new.dynamics, table)
        out["s"] = ref
        return out
    out = _full(new, table)
    out["r"] = 1
    return out


def _full(node: Rendered, table: _Table) -> Json:
    out: Json = {str(i): _full_value(v, table) for i, v in enumerate(node.dynamics)}
    out["s"] = table.ref(node.template)
    return out


def _full_value(value: Dynamic, table: _Table) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, Rendered):
        return _full(value, table)
    if isinstance(value, Comprehension):
        return _full_comprehension(value, table)
    return value.cid


def _full_comprehension(comp: Comprehension, table: _Table) -> Any:
    stream = comp.stream
    if comp.template is None:
        if stream is None:
            return ""  # an empty list of unknown shape: the client holds a plain string
        out: Json = {"s": table.ref(STREAM_ROWLESS), "k": {"kc": 0}}
    else:
        rows: Json = {str(i): _full_row(row, table) for i, row in enumerate(comp.rows)}
        rows["kc"] = len(comp.rows)
        out = {"s": table.ref(comp.template), "k": rows}
    if stream is not None:
        out["stream"] = stream.wire()
        table.spent.append(comp)
    return out


def _spend(comp: Comprehension) -> None:
    """What the client keeps of a stream comprehension once it rendered it: no rows, nothing
    pending (it hands both to the DOM). The sent tree then holds no row of a stream, and a tree
    sent again in full, or lent to another component, replays no old instruction."""
    comp.rows = []
    if comp.stream is not None and not comp.stream.empty:
        comp.stream = StreamPatch(comp.stream.ref, (), ())


def _spent(comp: Comprehension) -> bool:
    return not comp.rows and (comp.stream is None or comp.stream.empty)


def _diff_stream(old: Dynamic, new: Comprehension, table: _Table) -> Any:
    """A stream comprehension: its rows are the new or updated items only, always sent whole
    (the client keeps no rows of a stream: it hands them to the DOM), with the instruction."""
    assert new.stream is not None
    if not isinstance(old, Comprehension) or old.template is not new.template:
        if new.template is None and isinstance(old, Comprehension) and old.stream is not None:
            pass  # rowless: the client's statics for the rows do not matter
        else:
            return _full_comprehension(new, table)
    if not new.rows and new.stream.empty and _spent(old):
        return None
    rows: Json = {str(i): _full_row(row, table) for i, row in enumerate(new.rows)}
    rows["kc"] = len(new.rows)
    table.spent.append(new)
    return {"k": rows, "stream": new.stream.wire()}


def _full_row(row: list[Dynamic], table: _Table) -> Json:
    return {str(i): _full_value(v, table) for i, v in enumerate(row)}


def _diff_slots(old: list[Dynamic], new: list[Dynamic], table: _Table) -> Json:
    """Changed slots of two nodes of one template (so of equal length)."""
    out: Json = {}
    if old is new:
        return out
    for i, n in enumerate(new):
        o = old[i]
        if o is not n and (d := _diff_value(o, n, table)) is not None:
            out[str(i)] = d
    return out


def _diff_value(old: Dynamic, new: Dynamic, table: _Table) -> Any:
    if old is new:
        return None  # a memoized subtree: unchanged by construction (trees are never mutated)
    if isinstance(new, str):
        return None if isinstance(old, str) and old == new else new
    if isinstance(new, Rendered):
        if isinstance(old, Rendered) and old.template is new.template:
            return _diff_slots(old.dynamics, new.dynamics, table) or None
        return _full(new, table)
    if isinstance(new, Comprehension):
        if new.stream is not None:
            return _diff_stream(old, new, table)
        if isinstance(old, Comprehension):
            return _diff_comprehension(old, new, table)
        return _full_comprehension(new, table)
    return None if isinstance(old, Cid) and old.cid == new.cid else new.cid


def _diff_comprehension(old: Comprehension, new: Comprehension, table: _Table) -> Any:
    if new.template is None:
        return {"k": {"kc": 0}} if old.rows else None
    if old.template is not new.template:
        return _full_comprehension(new, table)
    rows: Json = {}
    if old.keys is not None and new.keys is not None and old.keys != new.keys:
        moved = _diff_keyed_rows(old, new, table, rows)
    else:
        moved = False
        old_rows, new_rows = old.rows, new.rows
        # a reused row is the same list: C-level identity checks skip those, and only the
        # rows that changed run Python code
        for i in changed_positions(old_rows, new_rows):
            if d := _diff_slots(old_rows[i], new_rows[i], table):
                rows[str(i)] = d
        for i in range(len(old_rows), len(new_rows)):
            rows[str(i)] = _full_row(new_rows[i], table)
    if not rows and len(old.rows) == len(new.rows):
        return None
    rows["kc"] = len(new.rows)
    if moved:
        rows["km"] = True
    return {"k": rows}


def _diff_keyed_rows(old: Comprehension, new: Comprehension, table: _Table, rows: Json) -> bool:
    """Fill ``rows`` with per-row entries matched by key; True when any entry is a move."""
    assert old.keys is not None and new.keys is not None
    old_index = {key: j for j, key in enumerate(old.keys)}
    moved = False
    for i, key in enumerate(new.keys):
        j = old_index.get(key)
        if j is None:
            rows[str(i)] = _full_row(new.rows[i], table)
            continue
        d = _diff_slots(old.rows[j], new.rows[i], table)
        if j == i:
            if d:
                rows[str(i)] = d
        else:
            moved = True
            rows[str(i)] = [j, d] if d else j
    return moved
