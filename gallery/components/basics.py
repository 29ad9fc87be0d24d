"""Gallery pages of the basic components: button, icon, badge, card."""

from __future__ import annotations

from typing import Any

from htpy import Node, div, p

from gallery.components.page import ComponentPage
from pylive import Assigns, Slot, Socket
from pylive.ui import ICONS, badge, button, card, icon


def example_variants(assigns: Assigns) -> Node:
    """Variants and sizes

    ``primary`` for the main action of a view, ``danger`` for destructive ones."""
    return div(".row")[
        button(variant="primary")["Save"],
        button()["Cancel"],
        button(variant="danger")["Delete"],
        button(variant="ghost")["More"],
        button(variant="primary", size="sm")["Small"],
        button(variant="primary", size="lg")["Large"],
    ]


def example_loading(assigns: Assigns) -> Node:
    """Loading and disabled

    "Save" sends an event; the server takes a second to answer, and the button shows a
    spinner and cannot be pressed meanwhile (``loading``)."""
    return div(".row")[
        button(
            id="save",
            variant="primary",
            loading=assigns.saving,
            phx_click="save",
        )["Saving…" if assigns.saving else "Save"],
        button(disabled=True)["Disabled"],
        p(".hint", id="saved", aria_live="polite")[f"Saved {assigns.saves} times"],
    ]


def example_icon_button(assigns: Assigns) -> Node:
    """With icons

    An icon next to text is decoration; a button with only an icon needs ``aria_label``."""
    return div(".row")[
        button(variant="primary")[icon("plus"), "Add"],
        button(variant="ghost", aria_label="Search")[icon("search")],
    ]


class ButtonPage(ComponentPage):
    name = "button"
    title = "Button"
    summary = "A button in four variants and three sizes, with a loading state."
    examples = (example_variants, example_loading, example_icon_button)
    components = (button,)

    async def setup(self, socket: Socket) -> None:
        socket.assign(saving=False, saves=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "save" and not socket.assigns.saving:
            socket.assign(saving=True)
            socket.send_after(1.0, "saved")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        if msg == "saved":
            socket.assign(saving=False, saves=socket.assigns.saves + 1)


def example_icon_set(assigns: Assigns) -> Node:
    """Every icon

    Inline SVG drawn with ``currentColor``: they take the colour of the text."""
    return div(".icon-grid")[[div(".icon-cell")[icon(name, size=24), p[name]] for name in ICONS]]


def example_icon_label(assigns: Assigns) -> Node:
    """Labelled icon

    With ``label`` an icon is an image with that name; without, it is hidden from screen
    readers."""
    return p[icon("check", label="Done", class_="ok"), " Build passed"]


class IconPage(ComponentPage):
    name = "icon"
    title = "Icon"
    summary = "A small set of inline SVG icons, hidden from assistive technology unless labelled."
    examples = (example_icon_set, example_icon_label)
    components = (icon,)


def example_badges(assigns: Assigns) -> Node:
    """Tones

    A short status or count next to other content."""
    return div(".row")[
        badge["Draft"],
        badge(tone="info")["Beta"],
        badge(tone="success")["Paid"],
        badge(tone="warning")["Due soon"],
        badge(tone="danger")["Overdue"],
    ]


class BadgePage(ComponentPage):
    name = "badge"
    title = "Badge"
    summary = "A small label for a status or a count."
    examples = (example_badges,)
    components = (badge,)


def example_card(assigns: Assigns) -> Node:
    """A card with a footer

    The footer is a named slot; the body goes in brackets."""
    return div[
        card(title="Ada Lovelace", footer=[Slot()[button(variant="primary")["Follow"]]])[
            p["Wrote the first published program, for the Analytical Engine."],
            badge(tone="info")["Mathematician"],
        ]
    ]


class CardPage(ComponentPage):
    name = "card"
    title = "Card"
    summary = "A bordered box with a title, a body and a footer."
    examples = (example_card,)
    components = (card,)
