"""``button``: a ``<button>`` in one of four variants and three sizes, with a loading state.

``loading=True`` disables it, marks it ``aria-busy`` and shows a spinner before the label. While
an event the button sent is pending, the client adds ``phx-click-loading`` to it; the stylesheet
shows the spinner then too, so a slow handler needs no extra assign.
"""

from __future__ import annotations

from typing import Any, Literal

import htpy
from htpy import Element, Node, span

from pylive.html.compiler import component

__all__ = ["button"]


@component
def button(
    *,
    variant: Literal["primary", "secondary", "danger", "ghost"] = "secondary",
    size: Literal["sm", "md", "lg"] = "md",
    type: Literal["button", "submit", "reset"] = "button",
    loading: bool = False,
    disabled: bool = False,
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """A button.

    Attributes:
        variant: its look: ``primary`` (the main action), ``secondary``, ``danger``, ``ghost``.
        size: ``sm``, ``md`` or ``lg``.
        type: the HTML ``type`` (``button`` by default, not the browser's ``submit``).
        loading: disabled, ``aria-busy``, with a spinner: an action under way.
        disabled: cannot be pressed.
        children: its label (an icon without text needs ``aria_label``).
    """
    return htpy.button(
        type=type,
        class_=["ui-btn", f"ui-btn-{variant}", f"ui-btn-{size}", class_],
        disabled=disabled or loading,
        aria_busy="true" if loading else None,
        **attrs,
    )[span(".ui-btn-spinner", aria_hidden="true"), children]
