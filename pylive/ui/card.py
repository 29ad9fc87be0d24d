"""``card``: a bordered box with an optional title, body and footer."""

from __future__ import annotations

from typing import Any, Literal

import htpy
from htpy import Element, Node, div

from pylive.html.compiler import Slot, component, render_slot

__all__ = ["card"]


@component
def card(
    *,
    title: str | None = None,
    heading_level: Literal[2, 3, 4] = 3,
    footer: list[Slot] | None = None,
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """A card.

    Attributes:
        title: its heading.
        heading_level: the heading's level (2 to 4).
        footer: content below the body, such as actions.
        children: the body.
    """
    heading = {2: htpy.h2, 3: htpy.h3, 4: htpy.h4}[heading_level]
    return div(class_=["ui-card", class_], **attrs)[
        heading(".ui-card-title")[title] if title else None,
        div(".ui-card-body")[children],
        div(".ui-card-footer")[render_slot(footer)] if footer else None,
    ]
