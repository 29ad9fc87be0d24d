"""The ``Content-Security-Policy`` of pylive's pages: ``LiveApp(content_security_policy=...)``.

A policy is the header's value, where ``{nonce}`` stands for a random value made for each page
(``Page.nonce``; None for a policy without ``{nonce}``): pylive puts it on every ``<script>``
and stylesheet ``<link>`` it writes (``Page.head``, ``Page.ui_head``), and a layout puts it on
its own inline scripts and styles.

pylive itself writes no inline script or style, and the official client runs none: it reads
its settings from ``<meta>`` tags, never calls ``eval``, and sets styles through the CSSOM
(``element.style``), which a policy does not restrict. Style *attributes* in templates
(``style="display: none"``, which ``pylive.ui``'s modal and progress bar use) are governed by
``style-src-attr``; they cannot run script.
"""

from __future__ import annotations

import secrets

__all__ = ["DEFAULT_POLICY", "STRICT_POLICY", "new_nonce", "one_line", "policy_header"]

DEFAULT_POLICY = "base-uri 'self'; frame-ancestors 'self'"
"""What ``LiveApp`` sends unless told otherwise, as Phoenix's ``put_secure_browser_headers``:
no ``<base>`` pointing elsewhere, no framing by other sites. It restricts no script, so it
breaks no page."""

STRICT_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'nonce-{nonce}'; "
    "style-src-attr 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "frame-ancestors 'self'; "
    "form-action 'self'"
)
"""A strict policy the official client and ``pylive.ui`` work under: scripts, stylesheets,
fonts, images and connections (the live socket, long-poll) from the page's own origin only;
inline scripts and ``<style>`` only with the page's nonce; images also from ``data:`` and
``blob:`` URLs (the client's upload previews, ``live_img_preview``); no plugins; style
attributes allowed (``style-src-attr``: they cannot run script). Extend it for what your
pages load from elsewhere (a CDN, an analytics host)."""


def one_line(policy: str | None) -> str | None:
    """``policy`` with every run of whitespace (new lines too, which a header cannot carry) as
    one space, so that it may be written over several lines; ValueError if it is empty."""
    if policy is None:
        return None
    line = " ".join(policy.split())
    if not line:
        raise ValueError("content_security_policy is empty (None sends no header)")
    return line


def new_nonce() -> str:
    """A fresh nonce for one page: 128 random bits, URL-safe base64."""
    return secrets.token_urlsafe(16)


def policy_header(policy: str, nonce: str) -> str:
    """The header's value for one page: ``policy`` with its nonce in place of ``{nonce}``."""
    return policy.replace("{nonce}", nonce)
