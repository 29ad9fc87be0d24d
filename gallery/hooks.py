"""Hooks: JavaScript that lives with an element, and events between it and the server.

``phx-hook="Name"`` (the element needs an ``id``) attaches ``window.pylive.hooks.Name`` from
``gallery/static/hooks.js``, registered before pylive connects. The hook formats a timestamp in
the browser's locale, and ``pushEvent`` sends a value back; ``socket.push_event`` goes the other
way, to the hook's ``handleEvent``.
"""

from __future__ import annotations

import time
from typing import Any

from htpy import Element, button, div, h1, main, output, p, span

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group


class Hooks(LiveView):
    """A locale-formatted timestamp (hook) and a server → hook event."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(stamp=int(time.time() * 1000), browser_locale=None, page_title="Hooks")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "locale":  # pushed by the hook when it mounts
            socket.assign(browser_locale=str(params.get("locale")))
        elif event == "highlight":
            socket.push_event("highlight", {"id": "stamp"})

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Hooks"],
            p[
                "Server time, formatted by the browser: ",
                span("#stamp", phx_hook="LocalTime", data_ms=str(assigns.stamp))["…"],
            ],
            p[
                "Locale reported by the hook: ",
                output("#locale")[assigns.browser_locale or "(not yet)"],
            ],
            div(".buttons")[button("#highlight", phx_click="highlight")["Flash it (push_event)"]],
        ]
