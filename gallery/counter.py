"""Counter: the smallest LiveView. State lives on the server; a click is an event.

``phx-click="inc"`` makes the browser send the event ``inc``; ``handle_event`` changes the
``count`` assign; pylive re-renders and sends only the changed number to the page.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, main, output, p

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group


class Counter(LiveView):
    """A number and three buttons."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0, page_title="Counter")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        count = socket.assigns.count
        if event == "inc":
            socket.assign(count=count + 1)
        elif event == "dec":
            socket.assign(count=count - 1)
        elif event == "reset":
            socket.assign(count=0)

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Counter"],
            p["Count: ", output("#count")[assigns.count]],
            div(".buttons")[
                button("#dec", phx_click="dec")["-1"],
                button("#inc", phx_click="inc")["+1"],
                button("#reset", phx_click="reset")["Reset"],
            ],
        ]
