"""The one seam between LiveViews and the render engine: render, diff, HTML.

Everything that turns a LiveView's output into wire data goes through here, so the runtime
walker (``pylive.html.walker``) can later be swapped for compiled templates in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from pylive.diff import ClientTree
from pylive.html.compiler import BoundTemplate
from pylive.html.walker import walk
from pylive.render import Rendered, to_html
from pylive.view import Assigns, LiveView

__all__ = ["ViewTree", "render_html", "render_observer"]

render_observer: ContextVar[Callable[..., None] | None] = ContextVar(
    "pylive_render_observer", default=None
)
"""Test seam (``pylive.testing``): called as ``(topic, join_ref, diff, view, assigns, html)``
for every render a channel sends, ``html`` being the engine's tree after that diff."""


def _render(
    view: LiveView, assigns: Assigns, changed: frozenset[str] | None
) -> tuple[Rendered, dict[int, Rendered]]:
    components: dict[int, Rendered] = {}
    render = view.render
    if isinstance(render, BoundTemplate):
        root = render.render(assigns, changed, components)
    else:  # a render replaced on the instance: the walker handles any htpy tree
        root = walk(render(assigns), components)
    return root, components


def render_html(view: LiveView, assigns: Assigns) -> str:
    """The LiveView's HTML for the first (HTTP) render."""
    root, components = _render(view, assigns, None)
    return to_html(root, components)


class ViewTree:
    """What the client holds of one joined LiveView; a rejoin starts a new ViewTree."""

    __slots__ = ("_client",)

    def __init__(self) -> None:
        self._client = ClientTree()

    def diff(
        self, view: LiveView, assigns: Assigns, changed: frozenset[str]
    ) -> dict[str, Any] | None:
        """Render what ``changed`` touches; the first call returns the full join ``rendered``,
        later ones the change (None when the output did not change)."""
        first = self._client.root is None
        root, components = _render(view, assigns, None if first else changed)
        return self._client.diff(root, components)

    def html(self) -> str:
        """HTML of what the client holds (empty before the first diff)."""
        root = self._client.root
        return "" if root is None else to_html(root, self._client.components)
