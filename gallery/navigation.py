"""Navigation: live patch, live navigation, flash messages and page titles.

* **Patch** (same LiveView, new URL): ``link(patch=...)`` (``data-phx-link="patch"``) or
  ``socket.push_patch(...)``. The URL changes, ``handle_params`` runs, nothing is re-mounted.
* **Navigate** (another LiveView of the same ``live_session``): ``link(navigate=...)``
  (``data-phx-link="redirect"``) or ``socket.push_navigate(...)``. No page load; the new view
  mounts over the same socket. The browser's back button works for both.
* **Flash**: ``socket.put_flash(kind, message)``; it survives live navigation.
  ``flash_group(assigns.flash)`` shows it; a click on a message or its close button clears it.
* **Title**: assign ``page_title``; the browser tab follows.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, div, h1, main, nav, p, strong

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group, link

TABS = ("alpha", "beta", "gamma")


class Tabs(LiveView):
    """Three tabs selected by the ``?tab=`` query parameter."""

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        tab = params.get("tab")
        tab = tab if tab in TABS else TABS[0]
        socket.assign(tab=tab, page_title=f"Tab {tab}")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "next":
            following = TABS[(TABS.index(socket.assigns.tab) + 1) % len(TABS)]
            socket.push_patch(f"/demos/navigation?tab={following}")
        elif event == "flash":
            socket.put_flash("info", f"Hello from tab {socket.assigns.tab}")
        elif event == "leave":
            socket.put_flash("info", f"You left tab {socket.assigns.tab}")
            socket.push_navigate("/demos/navigation/other")

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Navigation"],
            nav(".tabs")[
                (
                    link(
                        id=f"tab-{tab}",
                        patch=f"/demos/navigation?tab={tab}",
                        aria_current="page" if tab == assigns.tab else None,
                    )[tab]
                    for tab in TABS
                )
            ],
            p("#current")["Current tab: ", strong[assigns.tab]],
            div(".buttons")[
                button("#next", phx_click="next")["Next tab (push_patch)"],
                button("#flash-me", phx_click="flash")["Show a flash"],
                button("#leave", phx_click="leave")["Other page (push_navigate)"],
            ],
            p[link("#other-link", navigate="/demos/navigation/other")["Other page (live link)"]],
        ]


class Other(LiveView):
    """The target of live navigation: a different LiveView in the same live_session."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page_title="Other page")

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Other page"],
            p("#other")["A different LiveView, reached without a page load."],
            p[link("#back-link", navigate="/demos/navigation?tab=gamma")["Back to tab gamma"]],
        ]
