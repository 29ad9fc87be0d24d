"""The root layout: the HTML document around a LiveView's first render, written in htpy.

A layout is any function ``(page: Page) -> htpy node``. It must place ``page.content`` (the
LiveView container) in the body and ``page.head()`` (CSRF token, socket path, client script)
in the head; everything else is yours. ``page.title_tag`` writes the ``<title>`` the client
updates from ``page_title`` (``DOM.putTitle`` in Phoenix LiveView's
``assets/js/phoenix_live_view/dom.ts``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from htpy import Element, Fragment, VoidElement, body, fragment, head, html, meta, script, style
from htpy import link as link_tag
from htpy import title as title_element
from markupsafe import Markup
from starlette.requests import Request

from pylive.assets import asset_text, asset_url, asset_version
from pylive.ui.files import SCRIPT as UI_SCRIPT
from pylive.ui.files import STYLESHEET as UI_STYLESHEET
from pylive.ui.files import UI_DIR
from pylive.ui.theme import THEME_COOKIE

__all__ = ["CLIENT_SCRIPT", "PRECONNECT_SCRIPT", "Page", "root_layout"]

CLIENT_SCRIPT = "pylive.js"
"""The client bundle in ``pylive/client/``: the official client plus pylive's bootstrap, which
reads ``<meta name="csrf-token">`` and ``<meta name="pylive-socket">`` and connects."""
PRECONNECT_SCRIPT = "pylive-preconnect.js"
"""A few lines that open the live socket's WebSocket while the bundle downloads; the bundle's
bootstrap adopts it (``pylive/client/src/preconnect.js``). Written into the page (``Page.head``)
where its Content-Security-Policy allows, else loaded as a file."""


@dataclass(frozen=True, slots=True)
class Page:
    """Everything a layout needs for one HTTP render."""

    request: Request
    content: Element
    """The LiveView container (``<div id=… data-phx-main data-phx-session=…>``)."""
    page_title: str | None
    """The LiveView's ``page_title`` assign."""
    csrf_token: str
    socket_path: str
    """Absolute path of the live socket (``/live``, or under the app's mount prefix)."""
    assets_path: str
    """Absolute path of pylive's static assets."""
    longpoll_fallback_ms: int | None = None
    """Milliseconds the client tries the WebSocket before falling back to long-poll (None:
    no fallback; ``LiveApp(longpoll=...)``)."""
    nonce: str | None = None
    """This page's Content-Security-Policy nonce (``LiveApp(content_security_policy=...)``,
    ``pylive.csp``), on every script pylive writes: put it on your layout's inline scripts and
    styles (``script(nonce=page.nonce)[...]``). None unless the app's policy has a ``{nonce}``."""
    inline_script: bool = True
    """Whether the page's Content-Security-Policy runs an inline script carrying ``nonce``
    (``pylive.csp.allows_inline_script``): then ``head()`` writes the preconnect script into the
    page, else it loads it as a file."""
    inline_style: bool = True
    """Whether the page's Content-Security-Policy applies an inline ``<style>`` carrying
    ``nonce`` (``pylive.csp.allows_inline_style``): then ``stylesheet(..., inline=...)`` writes
    the file's text into the page, else it links it."""

    @property
    def ui_theme(self) -> str | None:
        """The theme the visitor chose with ``pylive.ui``'s ``theme_switch``: ``"light"``,
        ``"dark"``, or None (none chosen: the system's). Put it on the document,
        ``html(data_theme=page.ui_theme)``, and the page paints in that theme from the first
        frame (docs/ui.md)."""
        value = self.request.cookies.get(THEME_COOKIE)
        return value if value in ("light", "dark") else None

    def asset(self, name: str) -> str:
        """URL of a built client file (``pylive/client/dist/``) carrying its content hash
        (``?v=``), so browsers may cache it for good: an upgrade changes the URL."""
        return asset_url(self.assets_path, name)

    def head(self) -> Fragment:
        """The tags the client needs: CSRF token, socket path, long-poll fallback delay, the
        preconnect script (inline where the page's policy allows) and the client bundle
        (versioned URLs, served with an immutable ``Cache-Control``). Put it before the
        layout's stylesheets: an inline script waits for the stylesheets above it."""
        fallback = self.longpoll_fallback_ms
        return fragment[
            meta(name="csrf-token", content=self.csrf_token),
            meta(name="pylive-socket", content=self.socket_path),
            None if fallback is None else meta(name="pylive-longpoll", content=str(fallback)),
            # the preconnect script opens the socket while the bundle downloads; the bundle is
            # async: not held back by stylesheets, so the first paint does not wait for them
            self._preconnect(),
            script(async_=True, src=self.asset(CLIENT_SCRIPT), nonce=self.nonce),
        ]

    def _preconnect(self) -> Element:
        """The preconnect script: inline (no request, and the socket opens while the head is
        parsed), or as a file where the policy runs no inline script or it is not built."""
        text = asset_text(PRECONNECT_SCRIPT) if self.inline_script else None
        if text is None:
            return script(async_=True, src=self.asset(PRECONNECT_SCRIPT), nonce=self.nonce)
        return script(nonce=self.nonce)[Markup(text)]

    def stylesheet(self, href: str, inline: Path | None = None) -> Element | VoidElement:
        """A stylesheet: ``<link rel="stylesheet" href=…>``; given ``inline``, the file served
        at ``href``, its text in a ``<style>`` instead (where the page's policy applies one;
        read once per change of the file). Inline, the first paint waits for no request, which
        on a slow link saves the round trips of fetching the file (docs/performance.md); but
        every page carries the text again, where a linked file is cached. The file must be
        trusted CSS: it is written as it is."""
        if inline is None or not self.inline_style:
            return link_tag(rel="stylesheet", href=href, nonce=self.nonce)
        version = asset_version(inline.name, inline.parent)
        if version is None:
            raise FileNotFoundError(f"no stylesheet to write into the page at {inline}")
        return style(nonce=self.nonce)[_style_text(inline, version)]

    def ui_head(self, *, inline_stylesheet: bool = False) -> Fragment:
        """The toolkit's stylesheet and keyboard script (``pylive.ui``, docs/ui.md), with
        versioned URLs: put it in the head, before your own stylesheets so that they win.
        ``inline_stylesheet=True`` writes the stylesheet into the page (``stylesheet``)."""
        base = f"{self.assets_path}/ui"
        return fragment[
            self.stylesheet(
                asset_url(base, UI_STYLESHEET, UI_DIR),
                UI_DIR / UI_STYLESHEET if inline_stylesheet else None,
            ),
            script(defer=True, src=asset_url(base, UI_SCRIPT, UI_DIR), nonce=self.nonce),
        ]

    def title_tag(self, default: str, *, prefix: str = "", suffix: str = "") -> Element:
        """``<title>`` showing ``prefix + page_title + suffix``, or ``default`` without one."""
        text = default if self.page_title is None else f"{prefix}{self.page_title}{suffix}"
        return title_element(
            data_default=default, data_prefix=prefix or None, data_suffix=suffix or None
        )[text]


@functools.lru_cache(maxsize=32)
def _style_text(file: Path, version: str) -> Markup:
    """The text of stylesheet ``file`` at content hash ``version``, checked once per version:
    it must not close the ``<style>`` element it goes into."""
    text = asset_text(file.name, file.parent) or ""
    if "</style" in text.lower():
        raise ValueError(f"{file} contains '</style', which would end the <style> early")
    return Markup(text)


def root_layout(page: Page, *, title: str = "pylive", title_suffix: str = "") -> Any:
    """The default document; ``functools.partial(root_layout, title="My app")`` to rename it."""
    return html(lang="en")[
        head[
            meta(charset="utf-8"),
            meta(name="viewport", content="width=device-width, initial-scale=1"),
            page.title_tag(title, suffix=title_suffix),
            page.head(),
        ],
        body[page.content],
    ]
