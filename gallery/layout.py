"""The gallery's root layout and the header every demo page shares.

The layout is the HTML document around a LiveView's first render; it is not live. Things that
change while the page is live, like flash messages, belong inside the LiveView's own
``render``: that is why each demo calls pylive's ``flash_group(assigns.flash)`` itself.
"""

from __future__ import annotations

from pathlib import Path

from htpy import Element, body, head, header, html, meta, nav, script
from htpy import link as link_tag

from pylive import Page, component, link
from pylive.ui import theme_switch

TITLE = "pylive gallery"
STATIC = Path(__file__).parent / "static"
"""The gallery's own static files, served at ``/static``."""


def layout(page: Page) -> Element:
    """The document: pylive's head tags, the gallery stylesheet and hooks, the LiveView."""
    return html(lang="en", data_theme=page.ui_theme)[  # the theme chosen (pylive.ui)
        head[
            meta(charset="utf-8"),
            meta(name="viewport", content="width=device-width, initial-scale=1"),
            page.title_tag(TITLE, suffix=f" · {TITLE}"),
            link_tag(rel="icon", href="data:,"),  # no favicon request (a 404 in the console)
            page.head(),  # first: its inline script would wait for the stylesheets above it
            # pylive.ui's stylesheet and keyboard hooks (docs/ui.md), then the gallery's own
            # stylesheet: both written into the page, so that on a slow link the first paint
            # waits for no request (docs/performance.md#first-paint)
            page.ui_head(inline_stylesheet=True),
            page.stylesheet("/static/gallery.css", inline=STATIC / "gallery.css"),
            # Registers window.pylive.hooks before pylive connects (it waits for
            # DOMContentLoaded, which comes after every `defer` script). The nonce of the
            # page's Content-Security-Policy (docs/security.md), as on pylive's own tags.
            script(defer=True, src="/static/hooks.js", nonce=page.nonce),
        ],
        body[page.content],
    ]


@component
def top_nav() -> Element:
    """Header with a live link back to the index (live navigation: no page load).

    ``@component`` compiles it like a LiveView's render: called from a template it becomes a
    nested template, rendered again only when its arguments change (here: never)."""
    return header(".top")[
        nav(aria_label="Gallery")[link(navigate="/")["pylive gallery"]],
        theme_switch(),
    ]
