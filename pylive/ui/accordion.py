"""``accordion``: sections that show and hide their content (the WAI-ARIA APG disclosure and
accordion patterns).

Each section's heading holds a ``<button aria-expanded aria-controls>``; a click (or Enter /
Space, the button's own keys) toggles its ``role="region"`` panel's ``hidden`` attribute with JS
commands, in the browser. Sections open independently.
"""

from __future__ import annotations

from typing import Any, Literal

import htpy
from htpy import Element, button, div, span

from pylive.html.compiler import Slot, component, render_slot
from pylive.js import JS
from pylive.ui.icon import icon

__all__ = ["AccordionItem", "accordion"]


class AccordionItem(Slot):
    """One section: its title, and its content in brackets."""

    title: str
    open: bool = False


def _heading(level: int) -> Any:
    return {2: htpy.h2, 3: htpy.h3, 4: htpy.h4}[level]


@component
def accordion(
    *,
    id: str,
    item: list[AccordionItem],
    heading_level: Literal[2, 3, 4] = 3,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """Sections with a toggle button each.

    Attributes:
        id: the widget's id (buttons and panels get ids derived from it).
        item: the sections (``AccordionItem(title="Shipping")[p["..."]]``).
        heading_level: the level of the headings holding the buttons (2 to 4).
    """
    heading = _heading(heading_level)
    return div(id=id, class_=["ui-accordion", class_], **attrs)[
        [
            div(".ui-accordion-item")[
                heading(".ui-accordion-heading")[
                    button(
                        ".ui-accordion-trigger",
                        id=f"{id}-button-{index}",
                        type="button",
                        aria_expanded="true" if entry.open else "false",
                        aria_controls=f"{id}-panel-{index}",
                        phx_click=JS()
                        .toggle_attribute("hidden", "", to=f"#{id}-panel-{index}")
                        .toggle_attribute("aria-expanded", "true", "false"),
                    )[span[entry.title], icon("chevron-down", size=18)]
                ],
                div(
                    ".ui-accordion-panel",
                    id=f"{id}-panel-{index}",
                    role="region",
                    aria_labelledby=f"{id}-button-{index}",
                    hidden=not entry.open,
                )[render_slot(entry)],
            ]
            for index, entry in enumerate(item)
        ]
    ]
