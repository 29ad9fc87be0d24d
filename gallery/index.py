"""The index page: a LiveView listing the components and the demos, linked with live
navigation, with a search box that filters both lists as you type (``phx-change``)."""

from __future__ import annotations

from typing import Any

from htpy import Element, code, form, h1, h2, input, label, li, main, p, section, ul

from gallery.catalog import DEMOS
from gallery.components import PAGES, path_of
from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group, link


def matches(query: str, *texts: str) -> bool:
    """Whether every word of ``query`` is in one of ``texts`` (case-insensitive)."""
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in query.lower().split())


class Index(LiveView):
    """Lists every component page (``gallery.components.PAGES``) and every demo of
    ``gallery.catalog.DEMOS``."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page_title="Demos", query="")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "search":
            socket.assign(query=str(params.get("q", ""))[:100])

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Demos"],
            p["Each demo is one small module in ", code["gallery/"], ". Read them in order."],
            form("#search-form", role="search", phx_change="search", phx_submit="search")[
                label(for_="search")["Search components and demos"],
                input(
                    "#search",
                    type="search",
                    name="q",
                    value=assigns.query,
                    autocomplete="off",
                    phx_debounce="100",
                ),
            ],
            section(aria_labelledby="components-title")[
                h2("#components-title")["Components"],
                ul("#components")[
                    (
                        li(id=f"component-{page.name}")[
                            link(navigate=path_of(page))[page.title], " — ", page.summary
                        ]
                        for page in PAGES
                        if matches(assigns.query, page.title, page.summary)
                    )
                ],
            ],
            section(aria_labelledby="demos-title")[
                h2("#demos-title")["Demos"],
                ul("#demos")[
                    (
                        li(id=f"demo-{demo.path.rsplit('/', 1)[-1]}")[
                            link(navigate=demo.path)[demo.title],
                            " — ",
                            demo.summary,
                        ]
                        for demo in DEMOS
                        if demo.listed and matches(assigns.query, demo.title, demo.summary)
                    )
                ],
            ],
        ]
