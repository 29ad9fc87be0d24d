"""The Rendered tree: what a LiveView template becomes before it is diffed or turned into HTML.

A template *shape* is its statics (the literal HTML between dynamic slots). Shapes are interned,
so two nodes have the same shape exactly when their ``Template`` objects are identical; that
identity is the fingerprint the diff engine compares. The tree knows nothing of htpy or sockets.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import is_
from typing import TypeAlias

from pylive.errors import RenderError

__all__ = [
    "Cid",
    "Comprehension",
    "Dynamic",
    "Rendered",
    "StreamPatch",
    "Template",
    "changed_positions",
    "template",
    "to_html",
]


@dataclass(frozen=True, slots=True, eq=False, weakref_slot=True)
class Template:
    """Interned statics of one shape; ``single_root`` when it renders exactly one element."""

    statics: tuple[str, ...]
    single_root: bool

    @property
    def slots(self) -> int:
        """Number of dynamic slots between the statics."""
        return len(self.statics) - 1


_interned: weakref.WeakValueDictionary[tuple[str, ...], Template] = weakref.WeakValueDictionary()


def template(statics: Sequence[str], single_root: bool = False) -> Template:
    """The unique Template for these statics (the same object for the same statics)."""
    key = tuple(statics)
    found = _interned.get(key)
    if found is None:
        found = _interned[key] = Template(key, single_root)
    return found


@dataclass(frozen=True, slots=True)
class Cid:
    """A slot holding a LiveComponent, by its component id."""

    cid: int


@dataclass(slots=True, eq=False)
class Rendered:
    """A node: one template and the values of its dynamic slots."""

    template: Template
    dynamics: list[Dynamic]


@dataclass(frozen=True, slots=True)
class StreamPatch:
    """What a stream comprehension tells the client besides its rows (protocol §3.6):
    ``[ref, inserts, deleteIds]``, plus a 4th element only to reset."""

    ref: str
    inserts: tuple[tuple[str, int, int | None, bool | None], ...]
    """``(dom_id, at, limit, update_only)`` each."""
    deletes: tuple[str, ...]
    reset: bool = False

    @property
    def empty(self) -> bool:
        """Nothing to insert, delete or reset."""
        return not (self.inserts or self.deletes or self.reset)

    def wire(self) -> list[object]:
        """The ``stream`` entry of the diff."""
        out: list[object] = [self.ref, [list(i) for i in self.inserts], list(self.deletes)]
        if self.reset:
            out.append(True)
        return out


STREAM_ROWLESS = template(("",))
"""Row template of a stream comprehension without rows whose row shape is unknown."""


@dataclass(slots=True, eq=False)
class Comprehension:
    """A list child: rows sharing one template, keyed by ``keys`` (or by index when None).

    ``template`` is None only for an empty comprehension, whose shape is unknown. ``stream``
    is set when the rows come from a stream: they are then only the new or updated items,
    which the client hands to its DOM and forgets.
    """

    template: Template | None
    rows: list[list[Dynamic]]
    keys: list[Hashable] | None = None
    stream: StreamPatch | None = None


Dynamic: TypeAlias = "str | Rendered | Comprehension | Cid"


def to_html(node: Rendered, components: Mapping[int, Rendered] | None = None) -> str:
    """Render the tree to HTML (the dead render); components are inlined without client markers."""
    out: list[str] = []
    _write_node(node.template.statics, node.dynamics, components or {}, out)
    return "".join(out)


def _write_node(
    statics: tuple[str, ...],
    dynamics: Sequence[Dynamic],
    components: Mapping[int, Rendered],
    out: list[str],
) -> None:
    append = out.append
    for i, value in enumerate(dynamics):
        append(statics[i])
        if isinstance(value, str):
            append(value)
        elif isinstance(value, Rendered):
            _write_node(value.template.statics, value.dynamics, components, out)
        elif isinstance(value, Comprehension):
            if value.template is not None:
                for row in value.rows:
                    _write_node(value.template.statics, row, components, out)
        else:
            component = components.get(value.cid)
            if component is None:
                raise RenderError(f"slot refers to LiveComponent {value.cid}, not rendered")
            _write_node(component.template.statics, component.dynamics, components, out)
    append(statics[-1])


def changed_positions(old: Iterable[object], new: Iterable[object]) -> Iterator[int]:
    """The positions ``i`` (up to the shorter length) where ``old[i] is not new[i]``, found by
    C-level identity checks: a long list of mostly the same objects (a comprehension's rows
    after one row changed) costs no Python code per unchanged entry."""
    same = list(map(is_, old, new))
    i = -1
    while True:
        try:
            i = same.index(False, i + 1)
        except ValueError:
            return
        yield i
