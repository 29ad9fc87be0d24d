"""Gallery pages of the overlays: modal, drawer, dropdown menu, tooltip."""

from __future__ import annotations

from typing import Any

from htpy import Node, div, input, label, p

from gallery.components.page import ComponentPage
from pylive import JS, Assigns, Slot, Socket
from pylive.ui import (
    MenuItem,
    button,
    drawer,
    dropdown_menu,
    hide_modal,
    modal,
    show_drawer,
    show_modal,
    tooltip,
)


def example_modal(assigns: Assigns) -> Node:
    """A confirmation dialog

    Opens and closes in the browser. Tab stays inside; Esc, the close button or a click
    outside closes it and focus returns to "Delete project". "Delete" also tells the server."""
    return div[
        button(id="open-modal", variant="danger", phx_click=show_modal("confirm"))[
            "Delete project"
        ],
        p(".hint", id="deleted")[f"Deleted: {assigns.deleted} times"],
        modal(
            id="confirm",
            title="Delete this project?",
            footer=[
                Slot()[
                    button(id="cancel-delete", phx_click=hide_modal("confirm"))["Cancel"],
                    button(
                        id="confirm-delete",
                        variant="danger",
                        phx_click=JS().push("delete") + hide_modal("confirm"),
                    )["Delete"],
                ]
            ],
        )[
            p["Its pages and files go with it. This cannot be undone."],
            label(for_="confirm-name")["Type the project's name"],
            input(id="confirm-name", type="text", class_="text-input"),
        ],
    ]


class ModalPage(ComponentPage):
    name = "modal"
    title = "Modal"
    summary = "A dialog over the page: focus trapped inside, Esc and click-away close it."
    examples = (example_modal,)
    components = (modal,)

    async def setup(self, socket: Socket) -> None:
        socket.assign(deleted=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "delete":
            socket.assign(deleted=socket.assigns.deleted + 1)


def example_drawer(assigns: Assigns) -> Node:
    """A side panel

    Like a modal, sliding in from the right (or the left)."""
    return div[
        button(id="open-drawer", phx_click=show_drawer("filters"))["Filters"],
        drawer(id="filters", title="Filters")[
            p["Show only:"],
            div(".row")[
                button(size="sm")["Open"],
                button(size="sm")["Closed"],
            ],
        ],
    ]


class DrawerPage(ComponentPage):
    name = "drawer"
    title = "Drawer"
    summary = "A modal panel along a side of the window."
    examples = (example_drawer,)
    components = (drawer,)


def example_menu(assigns: Assigns) -> Node:
    """A menu button

    Enter, Space or ↓ open the menu on its first item, ↑ on its last; ↓ ↑ Home End move; Esc
    closes it. Each item sends an event; the last one is a live link."""
    return div(".row")[
        dropdown_menu(
            id="actions",
            label="Actions",
            item=[
                MenuItem(on_click="act")["Rename"],
                MenuItem(on_click="act")["Duplicate"],
                MenuItem(on_click="act")["Archive"],
                MenuItem(navigate="/")["Back to the gallery"],
            ],
        ),
        p(".hint", id="chosen")[f"Actions run: {assigns.acted}"],
    ]


class DropdownPage(ComponentPage):
    name = "dropdown"
    title = "Dropdown menu"
    summary = "A button opening a menu of actions or links (the APG menu button)."
    examples = (example_menu,)
    components = (dropdown_menu,)

    async def setup(self, socket: Socket) -> None:
        socket.assign(acted=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "act":
            socket.assign(acted=socket.assigns.acted + 1)


def example_tooltip(assigns: Assigns) -> Node:
    """On hover and focus

    The trigger names the tooltip with ``aria_describedby``; Esc hides it."""
    return div(".row.tooltip-row")[
        tooltip(id="copy-tip", text="Copies the page's address")[
            button(aria_describedby="copy-tip")["Copy link"]
        ],
        tooltip(id="help-tip", text="Shown below", position="bottom")[
            button(variant="ghost", aria_describedby="help-tip")["Help"]
        ],
    ]


class TooltipPage(ComponentPage):
    name = "tooltip"
    title = "Tooltip"
    summary = "A short description of a control, while it is hovered or focused."
    examples = (example_tooltip,)
    components = (tooltip,)
