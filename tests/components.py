"""Engine tests' stand-in for a LiveView's renders: a render context with a component registry.

``static_component(id, node)`` places a component that renders ``node`` (its one assign); ``Live``
walks or renders templates with a context, renders the components met, and diffs like a view.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from pylive.assigns import Assigns
from pylive.component_registry import ComponentRegistry
from pylive.diff import SentTree
from pylive.html.component_ref import ComponentRef
from pylive.html.walker import walk
from pylive.render_context import RenderContext
from pylive.rendered import Rendered, to_html
from pylive.tokens import Tokens


class Static:
    """A component rendering the htpy node it is given as its ``node`` assign."""

    def render(self, assigns: Assigns) -> Any:
        return assigns.node


def static_component(id: Hashable, node: Any) -> ComponentRef:
    """A reference to the ``Static`` component ``id`` rendering ``node``."""
    return ComponentRef(Static, id, {"node": node})


class Live:
    """One view's render context, component registry and what was sent."""

    def __init__(self) -> None:
        self.registry = ComponentRegistry()
        self.context = RenderContext("phx-test", True, Tokens("s" * 32), self.registry)
        self.sent = SentTree()

    def components(self) -> dict[int, Rendered]:
        """Render the components scheduled by the last render; returns those rendered."""
        return self.registry.render(self.context)

    def walk(self, node: Any) -> Rendered:
        """``walk`` with this context; the components met are rendered too."""
        root = walk(node, self.context)
        self.components()
        return root

    def html(self, root: Rendered) -> str:
        """HTML of ``root`` with the latest tree of every component."""
        return to_html(root, self.registry.trees())

    def diff(self, root: Rendered) -> dict[str, Any] | None:
        """Render the scheduled components and diff ``root`` against what was sent."""
        rendered = self.components()
        return self.sent.diff(root, rendered, self.registry.alive())

    def step(self, node: Any) -> dict[str, Any] | None:
        """Walk ``node`` and diff it."""
        return self.diff(walk(node, self.context))
