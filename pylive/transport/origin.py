"""The ``Origin`` check every transport makes before it carries a live socket: Phoenix's
``check_origin``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["OriginCheck"]

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str | None
    host: str
    port: int | None


def _parse(origin: str) -> _Origin | None:
    """An origin's scheme, host and port (the scheme's default port if none is given), or None
    if it has no host or does not parse (``null``, ``http://[``)."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    scheme = parts.scheme.lower() or None
    if port is None and scheme is not None:
        port = _DEFAULT_PORTS.get(scheme)
    return _Origin(scheme, parts.hostname, port)


class OriginCheck:
    """Phoenix's ``check_origin`` for the live socket (``LiveApp(allowed_origins=...)``).

    None: the ``Origin``'s host and port must be the request's ``Host``. A list: the origin
    must match one entry; an entry without a scheme (``"//example.com"``) or a port allows any,
    and a host ``*.example.com`` allows the domain and its subdomains; ``["*"]`` allows any
    origin. An origin that does not parse (``null``, from a sandboxed frame or a file) is refused.
    """

    __slots__ = ("_allowed", "_any")

    def __init__(self, allowed: Sequence[str] | None) -> None:
        """Raises ValueError for an entry without a host."""
        self._any = allowed is not None and "*" in allowed
        self._allowed: list[_Origin] | None = None
        if allowed is not None and not self._any:
            self._allowed = []
            for entry in allowed:
                parsed = _parse(entry)
                if parsed is None:
                    raise ValueError(
                        f"allowed_origins: {entry!r} has no host (e.g. 'https://example.com', "
                        "'//example.com', '//*.example.com')"
                    )
                self._allowed.append(parsed)

    def allows(self, origin: str | None, host: str) -> bool:
        """Whether a request with this ``Origin`` header, to this ``Host``, may open a live
        socket (no ``Origin``, not a browser: yes)."""
        if origin is None or self._any:
            return True
        found = _parse(origin)
        if found is None:
            return False
        if self._allowed is None:
            own = _parse(f"//{host}")
            port = None if own is None else own.port or _DEFAULT_PORTS.get(found.scheme or "")
            return own is not None and (own.host, port) == (found.host, found.port)
        return any(_matches(found, allowed) for allowed in self._allowed)


def _matches(origin: _Origin, allowed: _Origin) -> bool:
    if allowed.scheme is not None and origin.scheme != allowed.scheme:
        return False
    if allowed.port is not None and origin.port != allowed.port:
        return False
    if allowed.host.startswith("*."):
        domain = allowed.host[2:]
        return origin.host == domain or origin.host.endswith("." + domain)
    return origin.host == allowed.host
