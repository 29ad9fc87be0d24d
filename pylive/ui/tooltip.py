"""``tooltip``: a short description shown while its trigger is hovered or focused (the
WAI-ARIA APG tooltip pattern), in CSS; Esc hides it (``pylive-ui.js``).

The trigger goes in brackets and must point at the tooltip with
``aria_describedby=<the tooltip's id>``, so screen readers read the text after its name:
``tooltip(id="copy-tip", text="Copies the link")[button(aria_describedby="copy-tip")["Copy"]]``.
"""

from __future__ import annotations

from typing import Any, Literal

from htpy import Element, Node, span

from pylive.html.compiler import component

__all__ = ["tooltip"]


@component
def tooltip(
    *,
    id: str,
    text: str,
    position: Literal["top", "bottom"] = "top",
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """A trigger and its tooltip.

    Attributes:
        id: the tooltip's id, which the trigger's ``aria-describedby`` names.
        text: the tooltip's text.
        position: above (``top``) or below (``bottom``) the trigger.
        children: the trigger (a focusable element).
    """
    return span(class_=["ui-tooltip-wrap", f"ui-tooltip-{position}", class_], **attrs)[
        children, span(".ui-tooltip", id=id, role="tooltip")[text]
    ]
