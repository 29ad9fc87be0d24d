"""``ViewTree``: one view's renders, from its assigns to the diff the client needs.

A ViewTree owns what rendering one view takes: the render context (view id, connected flag,
token signer, component registry) and the tree the client holds. ``diff`` renders the view (only
what changed assigns touch; nothing when only components changed), then the components whose
assigns changed, and diffs the result against what was sent; ``render_html`` renders it once for
the first HTTP response.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from pylive.assigns import Assigns
from pylive.component_registry import ComponentRegistry
from pylive.diff import SentTree
from pylive.effects import Effects
from pylive.html.compiler import render_tree
from pylive.render_context import RenderContext
from pylive.rendered import to_html
from pylive.socket import Socket
from pylive.tokens import Tokens
from pylive.view import LiveView

__all__ = ["ViewTree", "render_observer"]

render_observer: ContextVar[Callable[..., None] | None] = ContextVar(
    "pylive_render_observer", default=None
)
"""Test seam (``pylive.testing``): called as ``(topic, join_ref, diff, view, assigns, html,
components)`` for every render a channel sends, ``html`` being the engine's tree after that diff
and ``components`` the view's ``ComponentRegistry``."""


class ViewTree:
    """The renders of one mounted view; a rejoin starts a new ViewTree."""

    __slots__ = ("_components", "_context", "_sent")

    def __init__(
        self, socket: Socket, effects: Effects, tokens: Tokens, *, connected: bool
    ) -> None:
        """The renders of the view whose socket is ``socket`` (recording into ``effects``)."""
        view_id = socket.id
        self._components = ComponentRegistry(socket, effects)
        self._context = RenderContext(view_id, connected, tokens, self._components)
        self._sent = SentTree()

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
        if sent.root is None:
            root = render_tree(view.render, assigns, None, self._context)
        elif changed:
            root = render_tree(view.render, assigns, changed, self._context)
        else:  # only components changed: the view's own tree stays
            root = sent.root
        components = self._components
        if not components:  # the common case: a view without LiveComponents
            return sent.diff(root)
        rendered = await components.render(self._context)
        revived = components.take_revived()
        # the client may drop a component it reported gone: none of those lends its statics
        unshared = components.marked() | revived
        gone = components.take_destroyed()
        return sent.diff(root, rendered, gone=gone, full=revived, unshared=unshared)

    async def render_html(self, view: LiveView, assigns: Assigns) -> str:
        """The view's HTML, rendered in full (the first HTTP response)."""
        root = render_tree(view.render, assigns, None, self._context)
        if self._components:
            await self._components.render(self._context)
        return to_html(root, self._components.trees())

    def html(self) -> str:
        """HTML of what the client holds (empty before the first diff)."""
        sent = self._sent.root
        return "" if sent is None else to_html(sent, self._sent.components)
