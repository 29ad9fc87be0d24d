"""Navigation: live patch, live navigation, flash messages and page titles.

* **Patch** (same LiveView, new URL): links with ``data-phx-link="patch"`` or
  ``socket.push_patch(...)``. The URL changes, ``handle_params`` runs, nothing is re-mounted.
* **Navigate** (another LiveView of the same ``live_session``): links with
  ``data-phx-link="redirect"`` or ``socket.push_navigate(...)``. No page load; the new view
  mounts over the same socket. The browser's back button works for both.
* **Flash**: ``socket.put_flash(kind, message)``; it survives live navigation.
* **Title**: assign ``page_title``; the browser tab follows.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, a, button, div, h1, main, nav, p, strong

from gallery.layout import flash_group, top_nav
from pylive import Assigns, LiveView, Socket

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
                    a(
                        id=f"tab-{tab}",
                        href=f"/demos/navigation?tab={tab}",
                        data_phx_link="patch",
                        data_phx_link_state="push",
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
            p[
                a(
                    "#other-link",
                    href="/demos/navigation/other",
                    data_phx_link="redirect",
                    data_phx_link_state="push",
                )["Other page (live link)"]
            ],
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
            p[
                a(
                    "#back-link",
                    href="/demos/navigation?tab=gamma",
                    data_phx_link="redirect",
                    data_phx_link_state="push",
                )["Back to tab gamma"]
            ],
        ]
