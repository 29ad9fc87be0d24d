"""JS commands: things the browser does by itself, written in Python.

``phx_click=JS().toggle(to="#menu")`` renders the JSON command list that the official client
runs on a click, with no trip to the server: show and hide, classes, attributes, focus, DOM
events. ``JS().push(...)`` is the one that talks to the server, and it chains with the others.
What the client changes this way survives the server's patches.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, h2, input, label, li, main, output, p, section, span, ul

from gallery.layout import top_nav
from pylive import JS, Assigns, LiveView, Socket, flash_group

HIDDEN = "display: none"
"""The starting state of what ``show``/``toggle`` reveal (they set ``style.display``)."""

BOX = "color: #000; background: #f4f4f4; padding: 0.25rem 0.5rem; display: inline-block"
"""Dark text on a light box, so the yellow ``highlight`` class keeps its contrast in both
colour schemes."""

TOGGLE_MENU = JS().toggle(to="#menu").toggle_attribute("aria-expanded", "true", "false")
OPEN_PANEL = JS().push_focus().show(to="#panel").focus_first(to="#panel")
CLOSE_PANEL = JS().hide(to="#panel").pop_focus()
ADD_FIVE = JS().push("add", value={"by": 5}).transition("highlight", to="#total", time=600)


class JsCommands(LiveView):
    """A disclosure, a panel that takes and gives back focus, classes, a push with a value."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(total=0, page_title="JS commands")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "add":
            socket.assign(total=socket.assigns.total + int(params.get("by", 1)))
        elif event == "reset":
            socket.assign(total=0)

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["JS commands"],
            section(aria_labelledby="menu-title")[
                h2("#menu-title")["Show and hide"],
                button(
                    "#menu-button",
                    aria_expanded="false",
                    aria_controls="menu",
                    phx_click=TOGGLE_MENU,
                )["Menu"],
                ul("#menu", style=HIDDEN)[
                    li["Toggled in the browser, no server round trip."],
                    li["The button's aria-expanded follows (toggle_attribute)."],
                ],
            ],
            section(aria_labelledby="panel-title")[
                h2("#panel-title")["Focus"],
                div(".buttons")[
                    button("#open-panel", phx_click=OPEN_PANEL)["Open the panel"],
                    button("#focus-search", phx_click=JS().focus(to="#search"))[
                        "Go to the search field"
                    ],
                ],
                div("#panel", role="group", aria_label="Panel", style=HIDDEN)[
                    p["Focus moved to the first field here; closing gives it back."],
                    label(for_="panel-name")["Name "],
                    input("#panel-name", type="text"),
                    " ",
                    button("#close-panel", phx_click=CLOSE_PANEL)["Close the panel"],
                ],
                p[label(for_="search")["Search "], input("#search", type="search")],
            ],
            section(aria_labelledby="classes-title")[
                h2("#classes-title")["Classes"],
                div(style=BOX)[span("#note")["A note to highlight."]],
                div(".buttons")[
                    button("#highlight-on", phx_click=JS().add_class("highlight", to="#note"))[
                        "Highlight"
                    ],
                    button("#highlight-off", phx_click=JS().remove_class("highlight", to="#note"))[
                        "Clear"
                    ],
                ],
            ],
            section(aria_labelledby="push-title")[
                h2("#push-title")["Push and dispatch"],
                p["Total: ", span(style=BOX)[output("#total")[assigns.total]]],
                div(".buttons")[
                    button("#add-5", phx_click=ADD_FIVE)["+5 (push with a value)"],
                    button("#press-add", phx_click=JS().dispatch("click", to="#add-5"))[
                        "Press +5 for me (dispatch)"
                    ],
                    button("#reset", phx_click="reset")["Reset"],
                ],
            ],
        ]
