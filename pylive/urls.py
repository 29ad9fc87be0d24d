"""URLs in navigation payloads: resolving a handler's target, and what the client is sent."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

__all__ = ["client_path", "client_target", "resolve"]


def resolve(to: str, current: str) -> str:
    """``to`` (absolute, path, or relative such as ``?page=2``) as an absolute URL."""
    return urljoin(current, to)


def client_path(url: str) -> str:
    """The path, query and fragment of an absolute URL: what navigation payloads carry."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def client_target(url: str, current: str) -> str:
    """What a redirect payload carries for ``url``: a path on this site, else the full URL."""
    here, there = urlsplit(current), urlsplit(url)
    same_site = (here.scheme, here.netloc) == (there.scheme, there.netloc)
    return client_path(url) if same_site else url
