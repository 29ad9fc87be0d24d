"""Gallery pages of tabs and accordion."""

from __future__ import annotations

from typing import Any

from htpy import Node, div, li, p, ul

from gallery.components.page import ComponentPage
from pylive import Assigns, Socket
from pylive.ui import AccordionItem, Tab, accordion, tabs


def example_tabs(assigns: Assigns) -> Node:
    """Tabs

    Click a tab, or focus one and use ← → Home End. Switching happens in the browser; the
    "Activity" tab also tells the server, which counts the visits."""
    return div[
        tabs(
            id="project-tabs",
            label="Project",
            tab=[
                Tab(label="Overview")[p["Three pages, two authors, last changed today."]],
                Tab(label="Activity", on_select="activity")[
                    p(id="activity-count")[f"Activity opened {assigns.visits} times"]
                ],
                Tab(label="Settings")[p["Nothing to set yet."]],
            ],
        )
    ]


class TabsPage(ComponentPage):
    name = "tabs"
    title = "Tabs"
    summary = "Panels one at a time, chosen by tabs (the APG tabs pattern)."
    examples = (example_tabs,)
    components = (tabs,)

    async def setup(self, socket: Socket) -> None:
        socket.assign(visits=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "activity":
            socket.assign(visits=socket.assigns.visits + 1)


def example_accordion(assigns: Assigns) -> Node:
    """Sections

    Each heading's button shows or hides its section (Enter or Space when focused)."""
    return div[
        accordion(
            id="faq",
            item=[
                AccordionItem(title="What is pylive?", open=True)[
                    p["LiveView for Python, over Phoenix LiveView's wire protocol."]
                ],
                AccordionItem(title="Does it need JavaScript of my own?")[
                    p["No: the official client runs the page; JS commands cover the rest."]
                ],
                AccordionItem(title="What does it run on?")[
                    ul[li["Starlette"], li["hypercorn or uvicorn"]]
                ],
            ],
        )
    ]


class AccordionPage(ComponentPage):
    name = "accordion"
    title = "Accordion"
    summary = "Sections with buttons that show and hide them (the APG disclosure pattern)."
    examples = (example_accordion,)
    components = (accordion,)


__all__ = ["AccordionPage", "TabsPage"]
