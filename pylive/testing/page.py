"""What the browser reads from the HTTP render of a live page (phoenix_live_view's
``assets/js/phoenix_live_view/live_socket.js`` and ``view.js``): the main LiveView container and
its tokens, the CSRF token, the socket path, the ``<title>`` settings and the
``phx-track-static`` assets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["LivePage", "TitleTag", "parse_page"]


@dataclass(frozen=True)
class TitleTag:
    """The page's ``<title>`` and the ``data-prefix``/``data-suffix``/``data-default`` the
    client composes live titles with."""

    text: str
    prefix: str
    suffix: str
    default: str | None

    def compose(self, title: object) -> str | None:
        """``DOM.putTitle``: the document title for a ``t`` value (None: unchanged)."""
        empty = not isinstance(title, str) or title.strip() == ""
        if empty and self.default is None:
            return None
        inner = self.default if empty else title
        return f"{self.prefix}{inner}{self.suffix}"


@dataclass(frozen=True)
class LivePage:
    """A dead-rendered page with a main LiveView."""

    url: str
    """Absolute URL of the page."""
    view_id: str
    session: str
    static: str | None
    """``data-phx-static`` (None when empty, as the client sends it)."""
    csrf_token: str | None
    socket_path: str
    title: TitleTag | None
    track_static: list[str]
    container_html: str
    """The container's inner HTML as rendered over HTTP."""
    stickies: tuple[tuple[str, str, str | None], ...] = ()
    """The page's sticky LiveViews (``live_render(..., sticky=True)`` in the layout or in the
    main view), which the client joins as roots: ``(id, session, static)`` each."""

    @property
    def topic(self) -> str:
        """The channel topic of the main view."""
        return f"lv:{self.view_id}"

    def join_payload(
        self,
        *,
        url: str | None = None,
        redirect: str | None = None,
        mounts: int = 0,
        live_referer: str | None = None,
        flash: str | None = None,
    ) -> dict[str, Any]:
        """The ``phx_join`` payload the official client sends for this page's main view
        (as ``view.js``'s ``join`` builds it): joining ``url`` (default: the page's own URL), or
        ``redirect`` after a live navigation (``live_referer``: the URL navigated from,
        ``flash``: the navigation's flash token). ``mounts`` counts the earlier successful
        joins."""
        if url is not None and redirect is not None:
            raise ValueError("join either a url or a redirect, not both")
        mode, target = ("url", url or self.url) if redirect is None else ("redirect", redirect)
        params: dict[str, Any] = {"_csrf_token": self.csrf_token or ""}
        if self.track_static:
            params["_track_static"] = [urljoin(target, src) for src in self.track_static]
        params["_mounts"] = mounts
        params["_mount_attempts"] = 0
        if live_referer is not None:
            params["_live_referer"] = live_referer
        payload: dict[str, Any] = {
            mode: target,
            "params": params,
            "session": self.session,
            "static": self.static,
        }
        if flash:
            payload["flash"] = flash
        payload["sticky"] = False
        return payload


def _attr(node: LexborNode, name: str) -> str | None:
    attrs = node.attributes
    if name not in attrs:
        return None
    value = attrs[name]
    return "" if value is None else value


def parse_page(html: str, url: str) -> LivePage | None:
    """The live page in ``html``, or None when it has no root LiveView container."""
    doc = LexborHTMLParser(html)
    container = doc.css_first("[data-phx-main]") or doc.css_first(
        "[data-phx-session]:not([data-phx-parent-id])"
    )
    if container is None:
        return None
    csrf = doc.css_first('meta[name="csrf-token"]')
    socket = doc.css_first('meta[name="pylive-socket"]')
    title_node = doc.css_first("title")
    title = None
    if title_node is not None:
        title = TitleTag(
            text=title_node.text(deep=True),
            prefix=_attr(title_node, "data-prefix") or "",
            suffix=_attr(title_node, "data-suffix") or "",
            default=_attr(title_node, "data-default"),
        )
    track = [
        value
        for node in doc.css("[phx-track-static]")
        if (value := _attr(node, "src") or _attr(node, "href"))
    ]
    static = _attr(container, "data-phx-static")
    stickies = tuple(
        (
            _attr(node, "id") or "",
            _attr(node, "data-phx-session") or "",
            _attr(node, "data-phx-static") or None,
        )
        for node in doc.css("[data-phx-sticky][data-phx-session]")
    )
    return LivePage(
        url=url,
        view_id=_attr(container, "id") or "",
        session=_attr(container, "data-phx-session") or "",
        static=static or None,
        csrf_token=None if csrf is None else _attr(csrf, "content"),
        socket_path=(None if socket is None else _attr(socket, "content")) or "/live",
        title=title,
        track_static=track,
        container_html=container.inner_html or "",
        stickies=stickies,
    )
