"""``dropdown_menu``: the WAI-ARIA APG menu button pattern.

A button with ``aria-haspopup="menu"`` and ``aria-expanded`` opens a ``role="menu"`` of
``role="menuitem"`` entries. A click toggles it with JS commands; the keys of the pattern
(Enter, Space, ↓ and ↑ on the button; ↓ ↑ Home End Esc Tab in the menu) are handled by the
small ``UiMenu`` hook of ``pylive-ui.js``. A click outside closes it. An item runs its
``on_click`` (an event name or ``JS``) or follows its link, and closes the menu.
"""

from __future__ import annotations

from typing import Any, Literal

from htpy import Element, Node, button, div, li, span, ul

from pylive.html.compiler import Slot, component, render_slot
from pylive.html.links import link
from pylive.js import JS
from pylive.ui.icon import icon

__all__ = ["MenuItem", "close_menu", "dropdown_menu"]


class MenuItem(Slot):
    """One entry: an action (``on_click``) or a link (``navigate``, ``patch`` or ``href``)."""

    on_click: str | JS | None = None
    navigate: str | None = None
    patch: str | None = None
    href: str | None = None
    disabled: bool = False


def close_menu(id: str) -> JS:
    """Commands closing the menu ``id``."""
    return (
        JS()
        .set_attribute("hidden", "", to=f"#{id}-menu")
        .set_attribute("aria-expanded", "false", to=f"#{id}-button")
    )


def _item(id: str, entry: MenuItem) -> Element:
    close = close_menu(id).focus(to=f"#{id}-button")
    if entry.navigate or entry.patch or entry.href:
        return link(
            ".ui-menu-item",
            navigate=entry.navigate,
            patch=entry.patch,
            href=entry.href,
            role="menuitem",
            tabindex="-1",
            aria_disabled="true" if entry.disabled else None,
            phx_click=close_menu(id),
        )[render_slot(entry)]
    action = JS().push(entry.on_click) if isinstance(entry.on_click, str) else entry.on_click
    return button(
        ".ui-menu-item",
        type="button",
        role="menuitem",
        tabindex="-1",
        aria_disabled="true" if entry.disabled else None,
        phx_click=None if entry.disabled else (close + action if action is not None else close),
    )[render_slot(entry)]


@component
def dropdown_menu(
    *,
    id: str,
    label: Node,
    item: list[MenuItem],
    align: Literal["start", "end"] = "start",
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A menu button and its menu.

    Attributes:
        id: the widget's id (``{id}-button``, ``{id}-menu``).
        label: the button's content (its accessible name).
        item: the entries (``MenuItem(on_click="archive")["Archive"]``).
        align: ``start`` or ``end``: which edge of the button the menu lines up with.
    """
    return div(
        id=id,
        class_=["ui-dropdown", f"ui-dropdown-{align}", class_],
        phx_hook="UiMenu",
        phx_click_away=close_menu(id),
        **attrs,
    )[
        button(
            ".ui-btn.ui-btn-secondary.ui-btn-md.ui-menu-button",
            id=f"{id}-button",
            type="button",
            aria_haspopup="menu",
            aria_expanded="false",
            aria_controls=f"{id}-menu",
            phx_click=JS()
            .toggle_attribute("hidden", "", to=f"#{id}-menu")
            .toggle_attribute("aria-expanded", "true", "false", to=f"#{id}-button"),
        )[span[label], icon("chevron-down", size=16)],
        ul(
            ".ui-menu",
            id=f"{id}-menu",
            role="menu",
            aria_labelledby=f"{id}-button",
            hidden=True,
        )[[li(role="none")[_item(id, entry)] for entry in item]],
    ]
