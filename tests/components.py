"""Engine tests' stand-in for a LiveView's renders: a render context with a component registry.

``static_component(id, node)`` places a component that renders ``node`` (its one assign); ``Live``
walks or renders templates with a context, renders the components met, and diffs like a view.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import anyio

from pylive.assigns import Assigns
from pylive.component_registry import ComponentRegistry
from pylive.diff import SentTree
from pylive.effects import Effects
from pylive.html.component_ref import ComponentRef
from pylive.html.walker import walk
from pylive.live_component import LiveComponent, live_component
from pylive.render_context import RenderContext
from pylive.rendered import Rendered, to_html
from pylive.socket import Socket
from pylive.tokens import Tokens


class Static(LiveComponent):
    """A component rendering the htpy node it is given as its ``node`` assign."""

    track_changes = False  # the node is given whole

    async def handle_event(self, socket: Any, event: str, params: dict[str, Any]) -> None:
        """Events are accepted and change nothing."""

    def render(self, assigns: Assigns) -> Any:
        return assigns.node


def static_component(id: Hashable, node: Any) -> ComponentRef:
    """A reference to the ``Static`` component ``id`` rendering ``node``."""
    return live_component(Static, id, node=node)


class Live:
    """One view's render context, component registry and what was sent."""

    def __init__(self) -> None:
        effects = Effects.for_view()
        self.registry = ComponentRegistry(Socket("phx-test", effects), effects)
        self.context = RenderContext("phx-test", True, Tokens("s" * 32), self.registry)
        self.sent = SentTree()

    def components(self) -> dict[int, Rendered]:
        """Render the components scheduled by the last render; returns those rendered."""
        return anyio.run(self.registry.render, self.context)

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
        registry = self.registry
        return self.sent.diff(
            root,
            rendered,
            gone=registry.take_destroyed(),
            full=registry.take_revived(),
            unshared=registry.marked(),
        )

    def step(self, node: Any) -> dict[str, Any] | None:
        """Walk ``node`` and diff it."""
        return self.diff(walk(node, self.context))
