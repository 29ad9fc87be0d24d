"""``RenderContext``: what a live render knows beyond the assigns.

Templates are plain functions of their assigns; a few values in them need more to render: a
LiveComponent reference needs the view's component registry (which gives it a cid and renders it
only when its assigns changed), and values still to come (nested views, upload inputs) need the
view's id, the token signer and whether the view is connected. Such values are ``LiveNode``s;
the walker and the compiled slots hand every one they meet the context of the render under way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pylive.errors import RenderError

if TYPE_CHECKING:
    from pylive.rendered import Dynamic
    from pylive.tokens import Tokens

__all__ = ["ComponentResolver", "LiveNode", "RenderContext", "render_live"]


class ComponentResolver(Protocol):
    """A view's component registry, as a render sees it."""

    def resolve(self, ref: object) -> int:
        """The cid of the component ``ref`` names; schedules its render if its assigns changed."""
        ...


@dataclass(frozen=True, slots=True)
class RenderContext:
    """The context of one view's renders (the same object for every render of that view)."""

    view_id: str
    """The DOM id of the view being rendered (its channel topic is ``lv:<view_id>``)."""
    connected: bool
    """False for the first (HTTP) render, True over the live connection."""
    tokens: Tokens
    """Signs what the client must hand back unaltered (session tokens of nested views...)."""
    components: ComponentResolver
    """The view's LiveComponents by cid."""


class LiveNode:
    """A template value that renders with the render context instead of on its own."""

    __slots__ = ()

    def render_live(self, ctx: RenderContext) -> Dynamic:
        """This value's slot content for the render described by ``ctx``."""
        raise NotImplementedError

    def __html__(self) -> str:
        # what makes htpy accept the node as a child; its HTML exists only in a live render
        raise RenderError(f"{self!r} renders only inside a LiveView (str() cannot render it)")


def render_live(node: LiveNode, ctx: RenderContext | None) -> Dynamic:
    """``node.render_live(ctx)``, with a clear error outside a live render."""
    if ctx is None:
        raise RenderError(
            f"{node!r} can only be rendered by a LiveView (it needs the view's render context)"
        )
    return node.render_live(ctx)
