"""``modal`` and ``drawer``: dialogs opened and closed in the browser with JS commands.

Both follow the WAI-ARIA APG dialog (modal) pattern: ``role="dialog"``, ``aria-modal``, named by
their title; opening remembers the focused element (``push_focus``) and moves focus into the
dialog (``focus_first``); Tab stays inside it (the client's built-in ``Phoenix.FocusWrap``
hook); Esc, the close button and a click outside close it and give focus back (``pop_focus``).

Open one from any binding with ``show_modal(id)`` (``phx_click=show_modal("confirm")``), close it
with ``hide_modal(id)``; ``show=True`` renders it open. ``on_cancel`` adds commands to every way
of closing (``JS().push("cancelled")`` to tell the server).
"""

from __future__ import annotations

from typing import Any, Literal

from htpy import Element, Node, button, div, h2, span

from pylive.html.compiler import Slot, component, render_slot
from pylive.js import JS
from pylive.ui.icon import icon

__all__ = [
    "drawer",
    "focus_wrap",
    "hide_drawer",
    "hide_modal",
    "modal",
    "show_drawer",
    "show_modal",
]

_FADE_IN = ("ui-transition", "ui-fade-out", "ui-fade-in")
_FADE_OUT = ("ui-transition", "ui-fade-in", "ui-fade-out")


def show_modal(id: str, js: JS | None = None) -> JS:
    """Commands that open the modal (or drawer) ``id`` and focus its first control."""
    return (
        (js or JS())
        .push_focus()
        .show(to=f"#{id}", transition=_FADE_IN, time=150, display="block")
        .add_class("ui-open", to=f"#{id}")
        .focus_first(to=f"#{id}-content")
    )


def hide_modal(id: str, js: JS | None = None) -> JS:
    """Commands that close the modal (or drawer) ``id`` and give focus back."""
    return (
        (js or JS())
        .remove_class("ui-open", to=f"#{id}")
        .hide(to=f"#{id}", transition=_FADE_OUT, time=150)
        .pop_focus()
    )


show_drawer = show_modal
hide_drawer = hide_modal


@component
def focus_wrap(
    *, id: str, class_: str | None = None, children: Node = None, **attrs: Any
) -> Element:
    """Keeps Tab and Shift+Tab inside its content (Phoenix's ``<.focus_wrap>``), with the
    client's ``Phoenix.FocusWrap`` hook: two focusable sentinels send focus round.

    Attributes:
        id: required by the hook.
    """
    return div(id=id, class_=class_, phx_hook="Phoenix.FocusWrap", **attrs)[
        span(id=f"{id}-start", tabindex="0", aria_hidden="true"),
        children,
        span(id=f"{id}-end", tabindex="0", aria_hidden="true"),
    ]


def _dialog(
    kind: str,
    id: str,
    title: str,
    show: bool,
    on_cancel: JS | None,
    close_label: str,
    children: Node,
    footer: list[Slot] | None,
    extra_class: list[str | None],
    attrs: dict[str, Any],
) -> Element:
    cancel = hide_modal(id, on_cancel)
    return div(
        id=id,
        class_=[f"ui-{kind}", "ui-open" if show else None, *extra_class],
        style=None if show else "display: none",
        phx_mounted=show_modal(id) if show else None,
        phx_remove=hide_modal(id),
        data_cancel=cancel,
        **attrs,
    )[
        div(f".ui-{kind}-backdrop", aria_hidden="true"),
        focus_wrap(
            id=f"{id}-container",
            class_=f"ui-{kind}-panel",
            role="dialog",
            aria_modal="true",
            aria_labelledby=f"{id}-title",
            phx_window_keydown=JS().exec("data-cancel", to=f"#{id}"),
            phx_key="Escape",
            phx_click_away=JS().exec("data-cancel", to=f"#{id}"),
        )[
            div(f".ui-{kind}-header")[
                h2(f".ui-{kind}-title", id=f"{id}-title")[title],
                div(".ui-dialog-close-wrap")[
                    _close_button(close_label, JS().exec("data-cancel", to=f"#{id}"))
                ],
            ],
            div(f".ui-{kind}-content", id=f"{id}-content")[children],
            div(f".ui-{kind}-footer")[render_slot(footer)] if footer else None,
        ],
    ]


def _close_button(label: str, js: JS) -> Element:
    return button(".ui-dialog-close", type="button", aria_label=label, phx_click=js)[icon("x")]


@component
def modal(
    *,
    id: str,
    title: str,
    show: bool = False,
    on_cancel: JS | None = None,
    close_label: str = "Close",
    footer: list[Slot] | None = None,
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """A modal dialog, hidden until ``show_modal(id)`` runs (or rendered open: ``show=True``).

    Attributes:
        id: the dialog's id; ``show_modal(id)`` / ``hide_modal(id)`` open and close it.
        title: its heading, which names the dialog.
        show: render it open (focus moves into it when it appears).
        on_cancel: commands run whenever it closes (Esc, click-away, the close button).
        close_label: the close button's accessible name.
        footer: actions at the bottom (``Slot()[button(...)["Save"]]``).
        children: the body.
    """
    return _dialog(
        "modal", id, title, show, on_cancel, close_label, children, footer, [class_], attrs
    )


@component
def drawer(
    *,
    id: str,
    title: str,
    side: Literal["left", "right"] = "right",
    show: bool = False,
    on_cancel: JS | None = None,
    close_label: str = "Close",
    footer: list[Slot] | None = None,
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """A modal panel sliding in from a side of the window; it behaves like ``modal``
    (``show_drawer(id)`` / ``hide_drawer(id)`` are ``show_modal`` / ``hide_modal``).

    Attributes:
        id: the drawer's id.
        title: its heading, which names it.
        side: ``left`` or ``right``.
        show: render it open.
        on_cancel: commands run whenever it closes.
        close_label: the close button's accessible name.
        footer: actions at the bottom.
        children: the body.
    """
    return _dialog(
        "drawer",
        id,
        title,
        show,
        on_cancel,
        close_label,
        children,
        footer,
        [f"ui-drawer-{side}", class_],
        attrs,
    )
