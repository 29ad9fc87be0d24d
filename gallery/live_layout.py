"""Live layout and lifecycle hooks: a layout that reads the view's assigns, fed by a hook.

``EventCounter.layout`` is a live layout: a template of the view's assigns that places
``assigns.inner_content`` (the view's own render). Unlike the gallery's root layout (the HTML
document, sent once), it is rendered inside the LiveView's container and stays live: its badge
shows the ``events`` assign. Nothing in the view's handlers counts events: a lifecycle hook
attached in ``mount`` runs before every ``handle_event`` and bumps ``events``. "Stop counting"
detaches it; "Count again" attaches it again.

A click on "+1" changes ``count`` (read by the view) and ``events`` (read by the layout): the
diff carries those two numbers, never the layout's markup.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, main, output, p

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group

HOOK = "count-events"


async def count_event(socket: Socket, event: str, params: dict[str, Any]) -> None:
    """A ``handle_event`` lifecycle hook: count the event, let the view handle it."""
    socket.assign(events=socket.assigns.events + 1)


def badge_layout(assigns: Assigns) -> Element:
    """The live layout: the gallery header, a badge reading the view's ``events`` assign, and
    the view's own render."""
    return main(".demo")[
        top_nav(),
        flash_group(assigns.flash),
        assigns.inner_content,
        p(".layout-badge")[
            "Events counted by the layout's hook: ",
            output("#events")[assigns.events],
        ],
    ]


class EventCounter(LiveView):
    """A counter; the layout around it counts the events it gets."""

    layout = badge_layout

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0, events=0, counting=True, page_title="Live layout")
        socket.attach_hook(HOOK, "handle_event", count_event)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        count = socket.assigns.count
        if event == "inc":
            socket.assign(count=count + 1)
        elif event == "dec":
            socket.assign(count=count - 1)
        elif event == "toggle-counting":
            if socket.assigns.counting:
                socket.detach_hook(HOOK, "handle_event")
            else:
                socket.attach_hook(HOOK, "handle_event", count_event)
            socket.assign(counting=not socket.assigns.counting)

    def render(self, assigns: Assigns) -> Element:
        return div[
            h1["Live layout"],
            p["Count: ", output("#count")[assigns.count]],
            div(".buttons")[
                button("#dec", phx_click="dec")["-1"],
                button("#inc", phx_click="inc")["+1"],
                button("#toggle-counting", phx_click="toggle-counting")[
                    "Stop counting" if assigns.counting else "Count again"
                ],
            ],
            p(".hint")[
                "The badge below is part of a live layout around this view; an attach_hook on "
                "handle_event counts every event."
            ],
        ]
