"""``link``: the ``<a>`` of Phoenix's ``<.link>`` (``Phoenix.Component.link/1``) in htpy.

``link(patch=...)`` and ``link(navigate=...)`` emit the ``data-phx-link``/``data-phx-link-state``
attributes the official client intercepts for live patches and live navigation;
``link(href=...)`` is a plain link (a page load). Children go in brackets, as with any htpy
element: ``link(patch="/items?page=2", class_="next")["Next"]``.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, a

__all__ = ["link"]

_SAFE_SCHEMES = frozenset(
    [
        "http",
        "https",
        "ftp",
        "ftps",
        "mailto",
        "news",
        "irc",
        "gopher",
        "nntp",
        "feed",
        "telnet",
        "mms",
        "rtsp",
        "svn",
        "tel",
        "fax",
        "xmpp",
    ]
)
"""Schemes a plain ``href`` may use (Phoenix's list); anything else (``javascript:``...) is
refused."""


def link(
    *selector_or_attrs: Any,
    patch: str | None = None,
    navigate: str | None = None,
    href: str | None = None,
    replace: bool = False,
    **attrs: Any,
) -> Element:
    """An ``<a>`` that patches this LiveView, navigates live to another, or loads a page.

    * ``patch``: same LiveView, new URL: ``handle_params`` runs, nothing re-mounts
      (``data-phx-link="patch"``).
    * ``navigate``: another LiveView of the same live session, without a page load
      (``data-phx-link="redirect"``); to anything else the client loads the page.
    * ``href``: a plain link, the browser loads the page.

    Give one of the three (none: ``href="#"``). ``replace=True`` replaces the browser history
    entry instead of pushing one (``patch``/``navigate`` only). Other arguments are htpy's:
    an ``"#id.class"`` selector or attribute dict first, keyword attributes (``class_``,
    ``aria_current``, ``target``...) after.
    """
    targets = (("patch", patch), ("navigate", navigate), ("href", href))
    given = [name for name, value in targets if value is not None]
    if len(given) > 1:
        raise TypeError(f"link() takes one of patch, navigate and href, got {' and '.join(given)}")
    if patch is not None or navigate is not None:
        to, kind = (patch, "patch") if patch is not None else (navigate, "redirect")
        assert to is not None
        scheme = _scheme(to)
        if scheme not in (None, "http", "https"):
            raise ValueError(
                f"link(): {'patch' if patch else 'navigate'} to {to!r} is not a page of this "
                "app; use href= for other schemes"
            )
        return a(
            *selector_or_attrs,
            href=to,
            data_phx_link=kind,
            data_phx_link_state="replace" if replace else "push",
            **attrs,
        )
    if href is None:
        return a(*selector_or_attrs, href="#", **attrs)
    scheme = _scheme(href)
    if scheme is not None and scheme not in _SAFE_SCHEMES:
        raise ValueError(f"link(): unsafe scheme {scheme!r} in href {href!r}")
    return a(*selector_or_attrs, href=href, **attrs)


def _scheme(to: str) -> str | None:
    """The URL's scheme, lower case, if it starts with one (a ``:`` before any ``/?#``)."""
    for index, char in enumerate(to):
        if char == ":":
            return to[:index].lower() if index else None
        if char in "/?#":
            return None
    return None
