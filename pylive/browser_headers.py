"""The secure browser headers of pylive's pages: ``LiveApp(secure_browser_headers=...)``.

Phoenix's ``put_secure_browser_headers`` (``lib/phoenix/controller.ex``, Phoenix 1.8) sets, on
every response of a browser pipeline, the headers below and a ``Content-Security-Policy``
(which pylive sends from ``content_security_policy``, with its nonces: ``pylive.csp``).
Phoenix 1.8 no longer sends ``x-frame-options`` nor ``x-download-options``: the policy's
``frame-ancestors`` replaces the first, the second only ever concerned Internet Explorer.

``LiveApp`` sends ``SECURE_BROWSER_HEADERS`` on each response of a live route (the page, the
redirect its mount asks for, a 429); ``secure_browser_headers`` is True (those), False (none)
or a mapping merged over them, where None removes a header. The client bundle and the
long-poll answers always carry ``x-content-type-options: nosniff`` (``NOSNIFF``): their types
are pylive's own, so it never gets in the way.

No library: the ``secure`` package builds these headers (and others) for many frameworks, but
three constant headers and a merge are fewer lines than its set-up, and it knows nothing of the
per-page nonce pylive's policy needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["NOSNIFF", "SECURE_BROWSER_HEADERS", "secure_headers"]

SECURE_BROWSER_HEADERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "referrer-policy": "strict-origin-when-cross-origin",
        "x-content-type-options": "nosniff",
        "x-permitted-cross-domain-policies": "none",
    }
)
"""Phoenix 1.8's defaults, less the policy: send only the origin to other sites (the whole
URL to one's own), never guess a response's type from its content, no cross-domain policy
files (Flash, PDF readers)."""

NOSNIFF: Final[Mapping[str, str]] = MappingProxyType({"x-content-type-options": "nosniff"})
"""What pylive's other responses (the client bundle, long-poll) carry."""

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
"""A header name (RFC 9110's token), lower case."""


def secure_headers(setting: bool | Mapping[str, str | None]) -> Mapping[str, str]:
    """The headers ``LiveApp(secure_browser_headers=setting)`` sends on its pages.

    Raises ValueError for a name that is not a header name, a value with a line break or NUL,
    or ``content-security-policy`` (set by ``content_security_policy``, which handles nonces).
    """
    if setting is True:
        return SECURE_BROWSER_HEADERS
    if setting is False:
        return MappingProxyType({})
    headers = dict(SECURE_BROWSER_HEADERS)
    for name, value in setting.items():
        key = name.lower()
        if not _TOKEN.fullmatch(key):
            raise ValueError(f"secure_browser_headers: {name!r} is not a header name")
        if key == "content-security-policy":
            raise ValueError(
                "secure_browser_headers: set the policy with content_security_policy=..."
            )
        if value is None:
            headers.pop(key, None)
        elif any(char in value for char in "\r\n\0"):
            raise ValueError(f"secure_browser_headers: {name!r}: a value is one line, no NUL")
        else:
            headers[key] = value
    return MappingProxyType(headers)
