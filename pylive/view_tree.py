"""``ViewTree``: one view's renders, from its assigns to the diff the client needs.

A ViewTree owns what rendering one view takes: the render context (view id, connected flag,
token signer, component registry) and the tree the client holds. ``diff`` renders the view (only
what changed assigns touch), then the components whose assigns changed, and diffs the result
against what was sent; ``html`` renders it once for the first HTTP response.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from pylive.assigns import Assigns
from pylive.component_registry import ComponentRegistry
from pylive.diff import SentTree
from pylive.html.compiler import render_tree
from pylive.render_context import RenderContext
from pylive.rendered import to_html
from pylive.tokens import Tokens
from pylive.view import LiveView

__all__ = ["ViewTree", "render_observer"]

render_observer: ContextVar[Callable[..., None] | None] = ContextVar(
    "pylive_render_observer", default=None
)
"""Test seam (``pylive.testing``): called as ``(topic, join_ref, diff, view, assigns, html)``
for every render a channel sends, ``html`` being the engine's tree after that diff."""


class ViewTree:
    """The renders of one mounted view; a rejoin starts a new ViewTree."""

    __slots__ = ("_components", "_context", "_sent")

    def __init__(self, view_id: str, tokens: Tokens, *, connected: bool) -> None:
        self._components = ComponentRegistry()
        self._context = RenderContext(view_id, connected, tokens, self._components)
        self._sent = SentTree()

    @property
    def components(self) -> ComponentRegistry:
        """The view's LiveComponents."""
        return self._components

    def diff(
        self, view: LiveView, assigns: Assigns, changed: frozenset[str] | set[str]
    ) -> dict[str, Any] | None:
        """Render what ``changed`` touches; the first call returns the full join ``rendered``,
        later ones the change (None when the output did not change)."""
        first = self._sent.root is None
        root = render_tree(view.render, assigns, None if first else changed, self._context)
        components = self._components
        if not components:  # the common case: a view without LiveComponents
            return self._sent.diff(root)
        rendered = components.render(self._context)
        return self._sent.diff(root, rendered, components.alive())

    def render_html(self, view: LiveView, assigns: Assigns) -> str:
        """The view's HTML, rendered in full (the first HTTP response)."""
        root = render_tree(view.render, assigns, None, self._context)
        self._components.render(self._context)
        return to_html(root, self._components.trees())

    def html(self) -> str:
        """HTML of what the client holds (empty before the first diff)."""
        sent = self._sent.root
        return "" if sent is None else to_html(sent, self._sent.components)
