"""The ``Content-Security-Policy`` of pylive's pages: ``LiveApp(content_security_policy=...)``.

A policy is the header's value, where ``{nonce}`` stands for a random value made for each page
(``Page.nonce``; None for a policy without ``{nonce}``): pylive puts it on every ``<script>``
and stylesheet it writes (``Page.head``, ``Page.ui_head``, ``Page.stylesheet``), and a layout
puts it on its own inline scripts and styles.

pylive writes one inline script, the preconnect (``Page.head``), and only where the policy lets
a script with the page's nonce run (``allows_inline_script``); otherwise it loads the same
script as a file. Likewise a stylesheet a layout asks to write into the page
(``Page.stylesheet``, ``Page.ui_head(inline_stylesheet=True)``) is a ``<style>`` with the
nonce only where the policy applies one (``allows_inline_style``), else a ``<link>``.

The official client runs no inline script: it reads its settings from ``<meta>`` tags, never
calls ``eval``, and sets styles through the CSSOM (``element.style``), which a policy does not
restrict. Style *attributes* in templates (``style="display: none"``, which ``pylive.ui``'s
modal and progress bar use) are governed by ``style-src-attr``; they cannot run script.
"""

from __future__ import annotations

import functools
import secrets

__all__ = [
    "DEFAULT_POLICY",
    "STRICT_POLICY",
    "allows_inline_script",
    "allows_inline_style",
    "new_nonce",
    "one_line",
    "policy_header",
]

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


_SCRIPT_ELEMENT_DIRECTIVES = ("script-src-elem", "script-src", "default-src")
"""The directives that govern a ``<script>`` element, the first one present deciding (CSP 3)."""
_STYLE_ELEMENT_DIRECTIVES = ("style-src-elem", "style-src", "default-src")
"""The directives that govern a ``<style>`` element, the same way."""


@functools.lru_cache(maxsize=32)
def allows_inline_script(policy: str | None) -> bool:
    """Whether a page under ``policy`` (a header value, ``{nonce}`` not yet replaced) runs an
    inline ``<script>`` that carries the page's nonce: with no policy, or when the directive
    that governs script elements (``script-src-elem``, else ``script-src``, else
    ``default-src``) is absent (as in ``DEFAULT_POLICY``), lists ``'nonce-{nonce}'`` (as
    ``STRICT_POLICY``), or lists ``'unsafe-inline'`` and no nonce, hash or ``'strict-dynamic'``
    (which turn it off). Every policy of a header that lists several (comma-separated) must
    allow it."""
    return _allows_inline(policy, _SCRIPT_ELEMENT_DIRECTIVES)


@functools.lru_cache(maxsize=32)
def allows_inline_style(policy: str | None) -> bool:
    """Whether a page under ``policy`` applies an inline ``<style>`` that carries the page's
    nonce: as ``allows_inline_script``, with the directives that govern style elements
    (``style-src-elem``, else ``style-src``, else ``default-src``)."""
    return _allows_inline(policy, _STYLE_ELEMENT_DIRECTIVES)


def _allows_inline(policy: str | None, governing: tuple[str, ...]) -> bool:
    if policy is None:
        return True
    return all(_allows(part, governing) for part in policy.split(","))


def _allows(policy: str, governing: tuple[str, ...]) -> bool:
    directives: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        if words := directive.split():
            directives.setdefault(words[0].lower(), words[1:])  # a repeated one: the first counts
    first = next((d for d in governing if d in directives), None)
    if first is None:
        return True
    sources = [source.lower() for source in directives[first]]
    if "'nonce-{nonce}'" in sources:
        return True
    ignored = ("'nonce-", "'sha256-", "'sha384-", "'sha512-", "'strict-dynamic'")
    return "'unsafe-inline'" in sources and not any(s.startswith(ignored) for s in sources)
