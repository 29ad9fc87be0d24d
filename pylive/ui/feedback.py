"""Feedback: ``alert``, ``badge`` and ``toast_group`` (the view's flash messages as toasts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from htpy import Element, Node, div, span, strong

from pylive.html.compiler import component
from pylive.html.flash import flash_group
from pylive.ui.icon import icon

__all__ = ["alert", "badge", "toast_group"]

Tone = Literal["info", "success", "warning", "danger"]

_ICON: dict[str, Any] = {"info": "info", "success": "check", "warning": "alert", "danger": "alert"}


@component
def alert(
    *,
    tone: Tone = "info",
    title: str | None = None,
    live: bool = False,
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """A message box.

    Attributes:
        tone: ``info``, ``success``, ``warning`` or ``danger``.
        title: a bold first line.
        live: ``role="alert"``: announced as soon as it appears (for messages that show up
            while the page is in use, not for ones already there).
        children: the message.
    """
    return div(
        class_=["ui-alert", f"ui-alert-{tone}", class_], role="alert" if live else None, **attrs
    )[
        icon(_ICON[tone]),
        div(".ui-alert-body")[strong(".ui-alert-title")[title] if title else None, children],
    ]


@component
def badge(
    *,
    tone: Literal["neutral", "info", "success", "warning", "danger"] = "neutral",
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """A small label (a status, a count).

    Attributes:
        tone: ``neutral``, ``info``, ``success``, ``warning`` or ``danger``.
        children: its text.
    """
    return span(class_=["ui-badge", f"ui-badge-{tone}", class_], **attrs)[children]


@component
def toast_group(
    flash: Mapping[str, str],
    *,
    position: Literal["top-right", "bottom-right", "bottom-left", "top-left"] = "top-right",
    close_label: str = "Close",
) -> Element:
    """The view's flash messages (``flash_group``) as toasts in a corner of the window.

    Attributes:
        flash: the view's ``flash`` assign.
        position: the corner.
        close_label: the close buttons' accessible name.
    """
    return div(class_=["ui-toasts", f"ui-toasts-{position}"])[
        flash_group(flash, close_label=close_label)
    ]
