"""``ViewTree``: one view's renders, from its assigns to the diff the client needs.

A ViewTree owns what rendering one view takes: the render context (view id, connected flag,
token signer, component registry) and the tree the client holds. ``diff`` renders the view (only
what changed assigns touch; nothing when only components changed), then the components whose
assigns changed, and diffs the result against what was sent; ``render_html`` renders it once for
the first HTTP response.

A view may have a live layout (``LiveSession(layout=...)``, ``LiveView.layout``): a template of
the view's assigns plus ``inner_content``, rendered around the view inside its container. The
layout is compiled and change-tracked like a view: it is the root of the tree, its slots that
read ``inner_content`` hold the view's own render (a ``LiveNode`` rendering it, change-tracked,
in the render context), and its other slots are evaluated only when the assigns they read
changed. So a change the layout does not read sends only the view's changed slots.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from pylive.assigns import Assigns
from pylive.component_registry import ComponentRegistry
from pylive.diff import SentTree
from pylive.effects import Effects
from pylive.errors import RenderError
from pylive.html.compiler import CompiledTemplate, Memo, compile_template, render_tree
from pylive.render_context import LiveNode, RenderContext
from pylive.rendered import Dynamic, Rendered, to_html
from pylive.socket import Socket
from pylive.tokens import Tokens
from pylive.view import LiveLayout, LiveView

__all__ = ["ViewTree", "render_observer"]

render_observer: ContextVar[Callable[..., None] | None] = ContextVar(
    "pylive_render_observer", default=None
)
"""Test seam (``pylive.testing``): called as ``(topic, join_ref, diff, view, assigns, html,
components)`` for every render a channel sends, ``html`` being the engine's tree after that diff
and ``components`` the view's ``ComponentRegistry``."""


INNER_CONTENT = "inner_content"
"""The assign a live layout reads the view's own render from (Phoenix's ``@inner_content``)."""

_NONE_PENDING: frozenset[str] = frozenset()
"""``_pending`` when no assign is pending (shared: most views never have one)."""

_layouts: weakref.WeakKeyDictionary[Callable[..., Any], CompiledTemplate[Any]] = (
    weakref.WeakKeyDictionary()
)


def layout_template(layout: LiveLayout) -> CompiledTemplate[Any]:
    """``layout`` compiled (once per function; a ``@compiled`` one as it is)."""
    if isinstance(layout, CompiledTemplate) and not layout.is_component:
        return layout
    try:
        return _layouts[layout]
    except KeyError:
        template = _layouts[layout] = compile_template(layout)
        return template
    except TypeError:  # not weakly referenceable: compiled anew
        return compile_template(layout)


@dataclass(eq=False, slots=True)
class _InnerContent(LiveNode):
    """The view's own render, in its live layout's ``inner_content`` slot."""

    render: Callable[[Any], Any]
    assigns: Assigns
    changed: frozenset[str] | set[str] | None
    used: bool = field(default=False)

    def render_live(self, ctx: RenderContext) -> Dynamic:
        self.used = True
        return render_tree(self.render, self.assigns, self.changed, ctx)

    def __repr__(self) -> str:
        return "<the view's inner_content>"


@dataclass(frozen=True, slots=True)
class _LaidOut:
    """A view seen with its layout, for ``render_observer``: ``render(assigns)`` is the plain
    htpy tree of both (the test client's ground truth)."""

    view: LiveView
    layout: Callable[[Any], Any]

    def render(self, assigns: Assigns) -> Any:
        return self.layout(Assigns({**assigns, INNER_CONTENT: self.view.render(assigns)}))


_MAX_PASSES = 10
"""Renders of the view in one diff when its components keep changing its assigns (a loop)."""


class ViewTree:
    """The renders of one mounted view; a rejoin starts a new ViewTree."""

    __slots__ = (
        "_components",
        "_context",
        "_effects",
        "_layout",
        "_layout_memo",
        "_pending",
        "_sent",
    )

    def __init__(
        self,
        socket: Socket,
        effects: Effects,
        tokens: Tokens,
        *,
        connected: bool,
        layout: LiveLayout | None = None,
    ) -> None:
        """The renders of the view whose socket is ``socket`` (recording into ``effects``),
        inside its live ``layout`` if it has one."""
        view_id = socket.id
        self._effects = effects
        self._components = ComponentRegistry(socket, effects)
        self._context = RenderContext(view_id, connected, tokens, self._components)
        self._sent = SentTree()
        self._layout = None if layout is None else layout_template(layout)
        self._layout_memo = None if layout is None else Memo()
        self._pending: AbstractSet[str] | None = _NONE_PENDING
        """Assigns changed since the view's own render last ran (None: all of them); more
        than the current change when the layout left ``inner_content`` out meanwhile."""

    @property
    def components(self) -> ComponentRegistry:
        """The view's LiveComponents."""
        return self._components

    @property
    def stale(self) -> bool:
        """Whether a component may have changed since the last diff (the view's own assigns
        tell whether the view did)."""
        return self._components.needs_render

    async def diff(
        self, view: LiveView, assigns: Assigns, changed: frozenset[str] | set[str]
    ) -> dict[str, Any] | None:
        """Render what ``changed`` touches; the first call returns the full join ``rendered``,
        later ones the change (None when the output did not change)."""
        sent = self._sent
        effects = self._effects
        effects.touched.clear()  # what the handlers changed is in ``changed``
        if sent.root is None:
            root = self._root(view, assigns, None)
        elif changed:
            root = self._root(view, assigns, changed)
        else:  # only components changed: the view's own tree stays
            root = sent.root
        components = self._components
        if not components:  # the common case: a view without LiveComponents
            return sent.diff(root)
        rendered: dict[int, Rendered] = {}
        # a component may change the view's assigns while it renders (a flash put in its
        # ``update``): render the view again for those, so that this diff shows them
        for _ in range(_MAX_PASSES):
            rendered.update(await components.render(self._context))
            late = effects.take_touched()
            if not late:
                break
            root = self._root(view, assigns, late)
        else:
            raise RenderError(
                f"the view's components kept changing its assigns ({sorted(late)}) over "
                f"{_MAX_PASSES} renders"
            )
        revived = components.take_revived()
        # the client may drop a component it reported gone: none of those lends its statics
        unshared = components.marked() | revived
        gone = components.take_destroyed()
        return sent.diff(root, rendered, gone=gone, full=revived, unshared=unshared)

    async def render_html(self, view: LiveView, assigns: Assigns) -> str:
        """The view's HTML, rendered in full (the first HTTP response)."""
        root = self._root(view, assigns, None)
        if self._components:
            await self._components.render(self._context)
        return to_html(root, self._components.trees())

    def _root(
        self, view: LiveView, assigns: Assigns, changed: frozenset[str] | set[str] | None
    ) -> Rendered:
        """The view's tree: its render, or its layout around it."""
        layout, memo = self._layout, self._layout_memo
        if layout is None or memo is None:
            return render_tree(view.render, assigns, changed, self._context)
        if not getattr(view, "track_changes", True):
            changed = None
        pending = self._pending
        inner_changed = None if changed is None or pending is None else {*changed, *pending}
        inner = _InnerContent(view.render, assigns, inner_changed)
        outer = Assigns({**assigns, INNER_CONTENT: inner})
        outer_changed = None if changed is None else {*changed, INNER_CONTENT}
        root = layout.render(outer, outer_changed, self._context, memo=memo)
        self._pending = (
            _NONE_PENDING if inner.used else None if inner_changed is None else inner_changed
        )
        return root

    def observed(self, view: LiveView) -> Any:
        """What ``render_observer`` gets as the view: ``view``, or with a layout an object
        whose ``render(assigns)`` renders both (plain htpy)."""
        return view if self._layout is None else _LaidOut(view, self._layout)

    def full(self) -> dict[str, Any] | None:
        """What the client holds, in full (the join ``rendered`` of another client that is to
        follow the same diffs from here); None before the first diff."""
        return self._sent.full()

    def html(self) -> str:
        """HTML of what the client holds (empty before the first diff)."""
        sent = self._sent.root
        return "" if sent is None else to_html(sent, self._sent.components)
