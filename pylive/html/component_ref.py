"""A LiveComponent's place in a template: which component, and the assigns given to it."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from pylive.render_context import LiveNode, RenderContext
from pylive.rendered import Cid

__all__ = ["ComponentRef"]


@dataclass(frozen=True, slots=True, eq=False)
class ComponentRef(LiveNode):
    """Component ``component`` with id ``id`` rendered here with ``assigns``.

    The view's registry resolves it to a cid (the same (component, id) keeps its cid) and
    renders the component only when its assigns changed; the slot holds the cid.
    """

    component: type
    id: Hashable
    assigns: Mapping[str, Any]

    def render_live(self, ctx: RenderContext) -> Cid:
        return Cid(ctx.components.resolve(self))
