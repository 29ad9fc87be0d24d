"""The ``Origin`` check every transport makes before it carries a live socket."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

__all__ = ["origin_allowed"]


def origin_allowed(origin: str | None, host: str, allowed: Sequence[str] | None) -> bool:
    """Whether a request with this ``Origin`` header may open a live socket.

    No ``Origin`` (not a browser) passes. ``allowed`` None accepts an origin whose host is the
    request's ``Host``; otherwise only the listed origins (``"https://example.com"``), ``"*"``
    for any.
    """
    if origin is None:
        return True
    if allowed is None:
        return urlsplit(origin).netloc == host
    return "*" in allowed or origin.rstrip("/") in (a.rstrip("/") for a in allowed)
