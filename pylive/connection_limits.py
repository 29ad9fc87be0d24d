"""How many live sockets an app serves at once: in all, and from one client address.

``LiveApp(max_connections=N, max_connections_per_address=M)``. Every live socket, WebSocket or
long-poll session, takes a slot before it is set up (``admit``) and gives it back when it ends
(``release``); a socket that finds no slot is refused by its transport (HTTP 503, which the
official client answers by reconnecting with its backoff). Sockets already open are never
touched. Phoenix has no such limit of its own: it relies on its server's (ranch and Thousand
Island cap connections per listener); hypercorn has none, so the app keeps the count.

The address is the ASGI ``client`` the server gives (``scope["client"][0]``): behind a proxy
that is the proxy's, unless the server is told to trust its ``X-Forwarded-For`` (hypercorn's
``ProxyFixMiddleware``, docs/security.md). A connection without one (a Unix socket) is
counted in the total only.

A refusal is logged once per burst: the first refusal of the total cap (or of one address)
logs a warning, the next ones are silent until a socket (from that address) is admitted again.
Each one is a ``pylive.refusal`` telemetry event (``max_connections`` or
``max_connections_per_address``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pylive.telemetry_events import Telemetry

__all__ = ["ConnectionLimits", "client_address"]

logger = logging.getLogger(__name__)


def client_address(scope: Mapping[str, Any]) -> str | None:
    """The client's address as the server gives it in the ASGI scope, or None."""
    client = scope.get("client")
    return str(client[0]) if client else None


class ConnectionLimits:
    """The slots of one app's live sockets (see the module docstring); None: no limit."""

    __slots__ = ("_by_address", "_open", "_per_address", "_refused", "_telemetry", "_total")

    def __init__(
        self,
        total: int | None = None,
        per_address: int | None = None,
        telemetry: Telemetry | None = None,
    ) -> None:
        """Raises ValueError for a limit below 1. ``telemetry``: where refusals are told."""
        limits = (("max_connections", total), ("max_connections_per_address", per_address))
        for name, value in limits:
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1 (or None for no limit)")
        self._total = total
        self._per_address = per_address
        self._open = 0
        self._by_address: dict[str, int] = {}
        self._refused: set[str | None] = set()  # None: the total cap; else an address
        self._telemetry = telemetry or Telemetry()  # none given: nobody listens

    @property
    def open(self) -> int:
        """Live sockets holding a slot."""
        return self._open

    def admit(self, address: str | None) -> bool:
        """Take a slot for a new socket from ``address``; False (and the socket must be
        refused) if the app or the address is at its limit."""
        total, per_address = self._total, self._per_address
        if total is not None and self._open >= total:
            self._refuse(None, f"{self._open} live sockets are open (max_connections={total})")
            self._telemetry.refused("max_connections", address)
            return False
        key = self._key(address)
        if key is not None and self._by_address.get(key, 0) >= (per_address or 0):
            self._refuse(
                key, f"{key} has {per_address} open (max_connections_per_address={per_address})"
            )
            self._telemetry.refused("max_connections_per_address", address)
            return False
        self._open += 1
        self._refused.discard(None)
        if key is not None:
            self._by_address[key] = self._by_address.get(key, 0) + 1
            self._refused.discard(key)
        return True

    def release(self, address: str | None) -> None:
        """Give back the slot ``admit(address)`` took."""
        self._open -= 1
        key = self._key(address)
        if key is None:
            return
        left = self._by_address[key] - 1
        if left:
            self._by_address[key] = left
        else:
            del self._by_address[key]
            self._refused.discard(key)

    def _key(self, address: str | None) -> str | None:
        """The address counted per address (None: not counted)."""
        return None if self._per_address is None else address

    def _refuse(self, key: str | None, why: str) -> None:
        if key not in self._refused:
            self._refused.add(key)
            logger.warning("refusing live sockets (HTTP 503) while %s", why)
