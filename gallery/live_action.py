"""Route actions: one LiveView behind two routes, told apart by ``socket.live_action``.

``/demos/items`` is routed with ``action="index"`` and ``/demos/items/{id}/edit`` with
``action="edit"`` (see ``catalog.py``). The "Edit" and "Cancel" links are ``link(patch=...)``:
the URL changes, ``handle_params`` runs and reads the new ``live_action``, nothing re-mounts, so
the list (kept in this view's assigns) survives. Saving patches back with ``push_patch`` and a
flash message, which its close button dismisses. ``assign_new`` and ``update`` keep the list
(the ``inventory`` assign).
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, code, div, form, h1, input, label, li, main, p, span, ul

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group, link

INDEX = "/demos/items"
ITEMS = {1: "Apples", 2: "Bread", 3: "Cheese"}

FOCUS = '[["focus",{}]]'
"""A JS command list for ``phx-mounted``: focus the element when it appears (keyboard users
land in the form the link opened)."""


def edit_path(item_id: int) -> str:
    """The URL of the edit action for one item."""
    return f"{INDEX}/{item_id}/edit"


class Items(LiveView):
    """A list of items and, under the ``edit`` action, a form for one of them."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign_new("inventory", lambda: dict(ITEMS)).assign(editing=None, error=None)

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        items = socket.assigns.inventory
        if socket.live_action == "edit":
            item_id = params.get("id")
            if item_id not in items:
                socket.put_flash("error", f"There is no item {item_id}.")
                socket.push_patch(INDEX, replace=True)
                return
            socket.assign(editing=item_id, error=None, page_title=f"Edit {items[item_id]}")
        else:
            socket.assign(editing=None, error=None, page_title="Items")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        item_id = socket.assigns.editing
        if event == "save" and item_id is not None:
            name = str(params.get("name", "")).strip()
            if not name:
                socket.assign(error="The name cannot be empty.")
                return
            socket.update("inventory", lambda items: {**items, item_id: name})
            socket.put_flash("info", f"Saved “{name}”.")
            socket.push_patch(INDEX)

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Edit item" if assigns.live_action == "edit" else "Items"],
            p(".hint")[
                "One LiveView behind two routes: ",
                code[INDEX],
                " (action ",
                code["index"],
                ") and ",
                code[INDEX + "/{id}/edit"],
                " (action ",
                code["edit"],
                "). The links patch between them.",
            ],
            p["live_action: ", code("#live-action")[assigns.live_action]],
            edit_form(assigns.inventory, assigns.editing, assigns.error),
            ul("#items")[
                (
                    li(id=f"item-{item_id}")[
                        span(".item-name")[name],
                        " ",
                        link(patch=edit_path(item_id), aria_label=f"Edit {name}")["Edit"],
                    ]
                    for item_id, name in assigns.inventory.items()
                )
            ],
        ]


def edit_form(items: dict[int, str], item_id: int | None, error: str | None) -> Element | None:
    """The form of the ``edit`` action (None under ``index``)."""
    if item_id is None:
        return None
    return form("#edit-form", phx_submit="save")[
        label(for_="item-name")["Name"],
        " ",
        input(
            id="item-name",
            name="name",
            value=items[item_id],
            autocomplete="off",
            phx_mounted=FOCUS,
            aria_invalid="true" if error else None,
            aria_describedby="name-error" if error else None,
        ),
        p("#name-error.error", role="alert")[error] if error else None,
        div(".buttons")[
            button("#save", type="submit")["Save"],
            link("#cancel", patch=INDEX)["Cancel"],
        ],
    ]
