"""A view's LiveComponents: (component, id) ↔ cid, their lifecycle, and which to render.

A template places a component with a ``ComponentRef``; the render context hands it to the view's
registry, which keeps one entry per (component class, id) under a cid that never changes while
the component lives, and queues the assigns it was given. After the view's own render,
``render`` runs the queued lifecycle calls (``mount`` for new components, then ``update`` or the
class's ``update_many``, one batch per class), applies the view's ``send_update`` requests,
renders every component whose assigns changed (components placed by components included, until
none is left) and returns what it rendered.

Components leave in two steps, driven by the client (``cids_will_destroy``, then
``cids_destroyed``): ``mark`` notes that the client no longer shows them, ``destroy`` forgets
those still marked. A marked component rendered again is revived and sent in full.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pylive.assigns import Assigns
from pylive.effects import Effects, Update
from pylive.errors import PyliveError, RenderError
from pylive.html.compiler import render_tree
from pylive.html.component_ref import ComponentRef
from pylive.live_component import CID, ComponentSocket, LiveComponent, overrides_update_many
from pylive.render_context import RenderContext
from pylive.rendered import Rendered
from pylive.socket import Socket
from pylive.uploads.config import Uploads

__all__ = ["ComponentRegistry", "UnknownComponent"]

logger = logging.getLogger(__name__)


class UnknownComponent(PyliveError):
    """An event names a cid the view does not hold (never rendered, or destroyed)."""


_NO_COMPONENTS: Any = MappingProxyType({})
"""Every table of a registry that has held no component yet (read-only: the first ``resolve``
gives the registry tables of its own). Most views have no LiveComponent, and each would
otherwise keep seven empty dictionaries."""


@dataclass(eq=False, slots=True)
class _Entry:
    component: type[LiveComponent]
    instance: LiveComponent
    effects: Effects
    socket: ComponentSocket
    mounted: bool = False
    tree: Rendered | None = None
    full: bool = True
    """The next render evaluates everything and is sent with its statics."""


class ComponentRegistry:
    """The LiveComponents of one view (see the module docstring)."""

    __slots__ = (
        "_cids",
        "_dirty",
        "_entries",
        "_gone",
        "_marked",
        "_next_cid",
        "_queued",
        "_revived",
        "_seen",
        "_view",
        "_view_effects",
    )

    def __init__(self, view: Socket, view_effects: Effects) -> None:
        """The registry of the view whose socket is ``view`` (recording into
        ``view_effects``, whose ``send_update`` requests the registry applies)."""
        self._view = view
        self._view_effects = view_effects
        self._cids: dict[tuple[type, Hashable], int] = _NO_COMPONENTS
        self._entries: dict[int, _Entry] = _NO_COMPONENTS
        self._next_cid = 1
        self._queued: dict[type[LiveComponent], list[tuple[int, Mapping[str, Any]]]]
        self._dirty: dict[int, None]  # cids to render if their assigns changed, in order
        # cid sets as dicts: an empty dict is a fraction of an empty set's size (and not
        # tracked by the garbage collector)
        self._seen: dict[int, None]  # cids placed during the render under way
        self._revived: dict[int, None]
        self._marked: dict[int, None]  # reported gone by the client (cids_will_destroy)
        self._queued = self._dirty = self._seen = self._revived = self._marked = _NO_COMPONENTS
        self._gone: list[int] | None = None  # destroyed since the last take_destroyed

    def _own_tables(self) -> None:
        """Tables of its own for a registry about to hold its first component."""
        self._cids, self._entries, self._queued = {}, {}, {}
        self._dirty, self._seen, self._revived, self._marked = {}, {}, {}, {}

    # ------------------------------------------------------------------ render

    def resolve(self, ref: object) -> int:
        """The cid of ``ref``'s component; queues its update with ``ref``'s assigns."""
        if not isinstance(ref, ComponentRef):
            raise TypeError(f"not a component reference: {ref!r}")
        component = ref.component
        key = (component, ref.id)
        cid = self._cids.get(key)
        if cid is None:
            if self._entries is _NO_COMPONENTS:
                self._own_tables()
            cid = self._cids[key] = self._next_cid
            self._next_cid += 1
            effects = Effects({"id": ref.id, "myself": CID(cid)})
            socket = ComponentSocket(effects, self._view, ref.id, CID(cid))
            self._entries[cid] = _Entry(component, component(), effects, socket)
        elif cid in self._seen:
            raise RenderError(
                f"LiveComponent {component.__qualname__} with id {ref.id!r} is rendered twice"
            )
        self._seen[cid] = None
        entry = self._entries[cid]
        if cid in self._marked:  # shown again before the client destroyed it: render in full
            del self._marked[cid]
            entry.full = True
            self._revived[cid] = None
        self._queued.setdefault(component, []).append((cid, ref.assigns))
        return cid

    @property
    def needs_render(self) -> bool:
        """Whether a component may have changed since the last ``render``."""
        return bool(self._queued or self._dirty or self._view_effects.updates)

    async def render(self, live: RenderContext) -> dict[int, Rendered]:
        """Run the queued lifecycle calls and ``send_update`` requests, then render every
        component whose assigns changed; returns their trees by cid."""
        out: dict[int, Rendered] = {}
        try:
            while True:
                for update in self._view_effects.take_updates():
                    self._queue_update(update)
                if not (self._queued or self._dirty):
                    return out
                queued, self._queued = self._queued, {}
                for component, batch in queued.items():
                    await self._update(component, batch)
                dirty, self._dirty = self._dirty, {}
                for cid in dirty:
                    tree = self._render(cid, live)
                    if tree is not None:
                        out[cid] = tree
        finally:
            if self._entries is not _NO_COMPONENTS:
                self._queued.clear()
                self._dirty.clear()
                self._seen.clear()

    def _queue_update(self, update: Update) -> None:
        component = update.component
        if not (isinstance(component, type) and issubclass(component, LiveComponent)):
            raise TypeError(f"send_update needs a LiveComponent subclass, got {component!r}")
        cid = self._cids.get((component, update.id))
        if cid is None or self._entries[cid].tree is None:
            logger.warning(
                "send_update to %s with id %r ignored: no such component in this view",
                component.__qualname__,
                update.id,
            )
            return
        self._queued.setdefault(component, []).append((cid, update.assigns))

    async def _update(
        self, component: type[LiveComponent], batch: list[tuple[int, Mapping[str, Any]]]
    ) -> None:
        """``mount`` the new components of ``batch``, then ``update``/``update_many`` them all."""
        entries = self._entries
        for cid, _ in batch:
            entry = entries[cid]
            if not entry.mounted:
                entry.mounted = True
                await entry.instance.mount(entry.socket)
            self._dirty[cid] = None
        if overrides_update_many(component):
            await component.update_many([(entries[cid].socket, assigns) for cid, assigns in batch])
        else:
            for cid, assigns in batch:
                entry = entries[cid]
                await entry.instance.update(entry.socket, assigns)

    def _render(self, cid: int, live: RenderContext) -> Rendered | None:
        entry = self._entries[cid]
        effects = entry.effects
        if not (entry.full or effects.changed):
            return None
        changed = None if entry.full else frozenset(effects.changed)
        tree = _element(render_tree(entry.instance.render, effects.assigns, changed, live))
        entry.tree, entry.full = tree, False
        effects.rendered()
        return tree

    # ------------------------------------------------------------------ events

    async def handle_event(
        self, cid: int, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        """Run the ``handle_event`` of component ``cid``; it re-renders if it changed."""
        entry = self._entries.get(cid)
        if entry is None or entry.tree is None:
            raise UnknownComponent(f"no LiveComponent with cid {cid} in this view")
        reply = await entry.instance.handle_event(entry.socket, event, params)
        self._dirty[cid] = None
        return reply

    # ------------------------------------------------------------------ state

    def __len__(self) -> int:
        """How many components the view holds (0: the view has none; renders skip them)."""
        return len(self._entries)

    def alive(self) -> list[int]:
        """Every cid in use (rendered at least once and not destroyed)."""
        return [cid for cid, entry in self._entries.items() if entry.tree is not None]

    def marked(self) -> set[int]:
        """The cids the client reported gone and that were not rendered again since."""
        return set(self._marked)

    def take_revived(self) -> set[int]:
        """The cids marked, then rendered again, since the last take: resend them in full."""
        revived, self._revived = self._revived, {}
        return set(revived)

    def state(self, ref: ComponentRef) -> tuple[int, LiveComponent, Assigns] | None:
        """The cid, instance and current assigns of the component ``ref`` names, if held."""
        cid = self._cids.get((ref.component, ref.id))
        if cid is None:
            return None
        entry = self._entries[cid]
        return cid, entry.instance, entry.effects.assigns

    def trees(self) -> dict[int, Rendered]:
        """The last tree of every component (for the HTML of the dead render)."""
        return {cid: e.tree for cid, e in self._entries.items() if e.tree is not None}

    def mark(self, cids: Iterable[object]) -> None:
        """The client no longer shows these components (``cids_will_destroy``)."""
        entries = self._entries
        if entries is not _NO_COMPONENTS:  # none held: none to mark
            marked = self._marked
            marked.update((cid, None) for cid in cids if isinstance(cid, int) and cid in entries)

    def destroy(self, cids: Iterable[object]) -> list[int]:
        """Forget the components of ``cids`` still marked; returns the cids now gone."""
        marked = self._marked
        gone = [cid for cid in cids if isinstance(cid, int) and cid in marked]
        for cid in gone:
            marked.pop(cid, None)
            entry = self._entries.pop(cid)
            del self._cids[(entry.component, entry.socket.id)]
            if isinstance(uploads := entry.effects.data.get("uploads"), Uploads):
                uploads.discard_all()  # a removed component's files go with it
        if gone:
            self._gone = [*(self._gone or ()), *gone]
        return gone

    def socket_of(self, cid: object) -> tuple[Effects, ComponentSocket] | None:
        """The effects and socket of component ``cid`` (uploads live in its assigns)."""
        entry = self._entries.get(cid) if isinstance(cid, int) else None
        return None if entry is None else (entry.effects, entry.socket)

    def touch(self, cid: int) -> None:
        """Render component ``cid`` with the next render if its assigns changed."""
        if cid in self._entries:
            self._dirty[cid] = None

    def all_effects(self) -> list[Effects]:
        """The effects of every component held."""
        return [entry.effects for entry in self._entries.values()]

    def take_destroyed(self) -> list[int]:
        """The cids destroyed since the last take (the client no longer holds them)."""
        gone, self._gone = self._gone, None
        return [] if gone is None else gone


def _element(tree: Rendered) -> Rendered:
    """The tree of the element a render returned: a ``render`` that returns a computed node
    (a function component's, say) compiles to one slot around it."""
    while tree.template.statics == ("", "") and isinstance(tree.dynamics[0], Rendered):
        tree = tree.dynamics[0]
    return tree
