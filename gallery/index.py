"""The index page: a LiveView listing the demos, linked with live navigation."""

from __future__ import annotations

from typing import Any

from htpy import Element, code, h1, li, main, p, ul

from gallery.catalog import DEMOS
from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group, link


class Index(LiveView):
    """Lists every demo of ``gallery.catalog.DEMOS``."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page_title="Demos")

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Demos"],
            p["Each demo is one small module in ", code["gallery/"], ". Read them in order."],
            ul("#demos")[
                (
                    li(id=f"demo-{demo.path.rsplit('/', 1)[-1]}")[
                        link(navigate=demo.path)[demo.title],
                        " — ",
                        demo.summary,
                    ]
                    for demo in DEMOS
                    if demo.listed
                )
            ],
        ]
