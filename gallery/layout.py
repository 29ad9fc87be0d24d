"""The gallery's root layout and the pieces every demo page shares (navigation, flash).

The layout is the HTML document around a LiveView's first render; it is not live. Things that
change while the page is live, like flash messages, belong inside the LiveView's own
``render``: that is why each demo calls ``flash_group`` itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from htpy import Element, a, body, head, header, html, link, meta, nav, p, script, section

from pylive import Page, component

TITLE = "pylive gallery"


def layout(page: Page) -> Element:
    """The document: pylive's head tags, the gallery stylesheet and hooks, the LiveView."""
    return html(lang="en")[
        head[
            meta(charset="utf-8"),
            meta(name="viewport", content="width=device-width, initial-scale=1"),
            page.title_tag(TITLE, suffix=f" · {TITLE}"),
            link(rel="stylesheet", href="/static/gallery.css"),
            page.head(),
            # Registers window.pylive.hooks before pylive connects (it waits for
            # DOMContentLoaded, which comes after every `defer` script).
            script(defer=True, src="/static/hooks.js"),
        ],
        body[page.content],
    ]


@component
def top_nav() -> Element:
    """Header with a live link back to the index (live navigation: no page load).

    ``@component`` compiles it like a LiveView's render: called from a template it becomes a
    nested template, rendered again only when its arguments change (here: never)."""
    return header(".top")[
        nav[a(href="/", data_phx_link="redirect", data_phx_link_state="push")["pylive gallery"]]
    ]


@component
def flash_group(flash: Mapping[str, str]) -> Element:
    """The flash messages of a view; clicking one clears it (the built-in ``lv:clear-flash``)."""
    return section("#flash", aria_live="polite")[
        (
            p(
                id=f"flash-{kind}",
                class_=f"flash flash-{kind}",
                phx_click="lv:clear-flash",
                phx_value_key=kind,
                title="Click to dismiss",
            )[message]
            for kind, message in flash.items()
        )
    ]
