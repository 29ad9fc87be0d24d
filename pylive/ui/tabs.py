"""``tabs``: the WAI-ARIA APG tabs pattern, switched in the browser.

A ``role="tablist"`` of ``role="tab"`` buttons, each ``aria-controls`` its ``role="tabpanel"``;
the selected tab has ``aria-selected="true"`` and is the only one in the Tab order (roving
``tabindex``). A click selects with JS commands (no round trip: attributes only, ``hidden`` on
the other panels, which apply at once however fast the keys come); the arrow keys, Home and End
move between tabs and select them (automatic activation) through the small ``UiTabs`` hook of
``pylive-ui.js``. Give a ``Tab`` entry ``on_select`` (an event name or ``JS``) to tell the server.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div

from pylive.html.compiler import Slot, component, render_slot
from pylive.js import JS

__all__ = ["Tab", "select_tab", "tabs"]


class Tab(Slot):
    """One tab: its label, and its panel in brackets."""

    label: str
    on_select: str | JS | None = None


def select_tab(id: str, index: int, on_select: str | JS | None = None) -> JS:
    """Commands selecting tab ``index`` of the tabs ``id``."""
    tab = f"#{id}-tab-{index}"
    js = (
        JS()
        .set_attribute("aria-selected", "false", to=f"#{id} [role=tab]")
        .set_attribute("tabindex", "-1", to=f"#{id} [role=tab]")
        .set_attribute("aria-selected", "true", to=tab)
        .set_attribute("tabindex", "0", to=tab)
        .set_attribute("hidden", "", to=f"#{id} > [role=tabpanel]")
        .remove_attribute("hidden", to=f"#{id}-panel-{index}")
    )
    if isinstance(on_select, str):
        return js.push(on_select, value={"tab": index})
    return js + on_select if on_select is not None else js


@component
def tabs(
    *,
    id: str,
    tab: list[Tab],
    selected: int = 0,
    label: str | None = None,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """Tabs with their panels.

    Attributes:
        id: the widget's id (tabs and panels get ids derived from it).
        tab: the tabs (``Tab(label=...)[panel content]``).
        selected: the index of the tab selected at first.
        label: the tab list's accessible name.
    """
    return div(id=id, class_=["ui-tabs", class_], **attrs)[
        div(
            ".ui-tablist",
            id=f"{id}-tablist",
            role="tablist",
            aria_label=label,
            phx_hook="UiTabs",
        )[
            [
                button(
                    ".ui-tab",
                    id=f"{id}-tab-{index}",
                    type="button",
                    role="tab",
                    aria_selected="true" if index == selected else "false",
                    aria_controls=f"{id}-panel-{index}",
                    tabindex="0" if index == selected else "-1",
                    phx_click=select_tab(id, index, entry.on_select),
                )[entry.label]
                for index, entry in enumerate(tab)
            ]
        ],
        [
            div(
                ".ui-tabpanel",
                id=f"{id}-panel-{index}",
                role="tabpanel",
                aria_labelledby=f"{id}-tab-{index}",
                tabindex="0",
                hidden=index != selected,
            )[render_slot(entry)]
            for index, entry in enumerate(tab)
        ],
    ]
