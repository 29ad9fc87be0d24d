"""A view's LiveComponents: (component, id) ↔ cid, their assigns, and which to render.

A template names a component with a ``ComponentRef``; the render context hands it to the view's
registry, which keeps one entry per (component class, id) under a cid that never changes while
the component lives, records the assigns it was given, and schedules a render only when one of
them changed. After the view's own render, ``render`` renders what is scheduled (components
rendered by other components included) and reports what it rendered; ``alive`` is every cid
still held, until the client's ``cids_destroyed`` lets ``destroy`` drop it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pylive.effects import Effects
from pylive.errors import RenderError
from pylive.html.compiler import render_tree
from pylive.html.component_ref import ComponentRef
from pylive.render_context import RenderContext
from pylive.rendered import Rendered

__all__ = ["ComponentRegistry"]


@dataclass(eq=False, slots=True)
class _Entry:
    instance: Any
    effects: Effects = field(default_factory=lambda: Effects({}))
    tree: Rendered | None = None


class ComponentRegistry:
    """The LiveComponents of one view (see the module docstring)."""

    __slots__ = ("_cids", "_entries", "_next_cid", "_pending", "_resolved")

    def __init__(self) -> None:
        self._cids: dict[tuple[type, Hashable], int] = {}
        self._entries: dict[int, _Entry] = {}
        self._next_cid = 1
        self._pending: dict[int, None] = {}  # cids to render, in the order first met
        self._resolved: set[int] = set()  # cids met during the render under way

    def resolve(self, ref: object) -> int:
        """The cid of ``ref``'s component; schedules its render if its assigns changed."""
        if not isinstance(ref, ComponentRef):
            raise TypeError(f"not a component reference: {ref!r}")
        key = (ref.component, ref.id)
        cid = self._cids.get(key)
        if cid is None:
            cid = self._cids[key] = self._next_cid
            self._next_cid += 1
            self._entries[cid] = _Entry(ref.component())
        elif cid in self._resolved:
            raise RenderError(
                f"LiveComponent {ref.component.__qualname__} with id {ref.id!r} is rendered twice"
            )
        self._resolved.add(cid)
        entry = self._entries[cid]
        entry.effects.assign(ref.assigns)
        if entry.effects.changed:
            self._pending[cid] = None
        return cid

    def render(self, live: RenderContext) -> dict[int, Rendered]:
        """Render every component whose assigns changed; returns their trees by cid."""
        out: dict[int, Rendered] = {}
        try:
            while self._pending:
                cid = next(iter(self._pending))
                del self._pending[cid]
                entry = self._entries[cid]
                first = entry.tree is None
                changed = None if first else entry.effects.changed
                assigns = entry.effects.assigns
                entry.tree = out[cid] = render_tree(entry.instance.render, assigns, changed, live)
                entry.effects.rendered()
        finally:
            self._pending.clear()
            self._resolved.clear()
        return out

    def __len__(self) -> int:
        """How many components the view holds (0: the view has none; renders skip them)."""
        return len(self._entries)

    def alive(self) -> list[int]:
        """Every cid in use (rendered at least once and not destroyed)."""
        return [cid for cid, entry in self._entries.items() if entry.tree is not None]

    def trees(self) -> dict[int, Rendered]:
        """The last tree of every component (for the HTML of the dead render)."""
        return {cid: e.tree for cid, e in self._entries.items() if e.tree is not None}

    def destroy(self, cids: Iterable[object]) -> list[int]:
        """Forget these components; returns the cids that existed (and are now gone)."""
        gone = [cid for cid in cids if isinstance(cid, int) and cid in self._entries]
        if gone:
            for cid in gone:
                del self._entries[cid]
            self._cids = {key: cid for key, cid in self._cids.items() if cid in self._entries}
        return gone
