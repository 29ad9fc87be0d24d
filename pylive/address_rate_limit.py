"""How fast one client address may load pages and open live sockets: ``LiveApp(
address_rate_limit=AddressRateLimit(page_loads=..., sockets=...))``.

Each limit is written in the notation of the ``limits`` package: ``"60/minute"``,
``"10 per second"``, several at once as ``"5/second; 100/hour"``. ``page_loads`` counts the
HTTP renders of live routes (a GET of a page; live navigation loads none); ``sockets`` counts
new live sockets, WebSocket handshakes and long-poll sessions together. A page over its limit
answers HTTP 429 with ``retry-after``; a socket over it is refused as the connection limits
refuse one (``pylive.connection_limits``), with 429 and ``retry-after`` instead of 503: the
official client cannot see the status of a handshake that failed, nor reads it from a long-poll
answer without a body, and reconnects with its backoff either way. Phoenix has no such limit
of its own (apps add a plug such as PlugAttack or Hammer); this is what one would do.

The counting is ``limits``' fixed window over its in-memory storage, in this process: one
counter per address and limit, created by the address's first request of a window and dropped
once the window is over (the storage sweeps expired counters on a timer thread that each
request starts), so memory follows the addresses seen within one window, never all addresses
ever seen. A fixed window may let up to twice a limit through around the end of a window; that
is the price of one counter (a moving window keeps a timestamp per request). The address is
the ASGI ``client``, as for the connection limits (``client_address``); a request without one
is not counted.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

__all__ = ["AddressRateLimit", "AddressRates"]


@dataclass(frozen=True, slots=True)
class AddressRateLimit:
    """``LiveApp(address_rate_limit=AddressRateLimit(...))``: None leaves that one unlimited.

    Raises ValueError for a limit the ``limits`` notation cannot read.
    """

    page_loads: str | None = None
    """HTTP renders of live routes per address, e.g. ``"60/minute"``."""
    sockets: str | None = None
    """New live sockets (WebSocket or long-poll) per address, e.g. ``"30/minute"``: leave
    room for reconnects (a refused WebSocket is followed by a long-poll try)."""

    def __post_init__(self) -> None:
        _parse("page_loads", self.page_loads)
        _parse("sockets", self.sockets)


def _parse(name: str, limit: str | None) -> tuple[RateLimitItem, ...]:
    if limit is None:
        return ()
    try:
        return tuple(parse_many(limit))
    except ValueError:
        raise ValueError(
            f"AddressRateLimit({name}={limit!r}): write a rate as '60/minute', "
            "'10 per second' or '5/second; 100/hour'"
        ) from None


class AddressRates:
    """The counters of one app's ``AddressRateLimit`` (``Runtime.address_rates``)."""

    __slots__ = ("_limiter", "_pages", "_sockets", "_storage")

    def __init__(self, limit: AddressRateLimit | None) -> None:
        limit = limit or AddressRateLimit()
        self._pages = _parse("page_loads", limit.page_loads)
        self._sockets = _parse("sockets", limit.sockets)
        # the storage starts a timer thread: only made when something is limited
        self._storage = MemoryStorage() if self._pages or self._sockets else None
        self._limiter = None if self._storage is None else FixedWindowRateLimiter(self._storage)

    @property
    def counters(self) -> int:
        """Counters held now (one per address and limit of the current windows)."""
        return 0 if self._storage is None else len(self._storage.storage)

    def page_load(self, address: str | None) -> int | None:
        """Count a page load from ``address``: None if it is within the limit, else the
        seconds to wait (for ``retry-after``)."""
        return self._hit(self._pages, "page", address)

    def socket(self, address: str | None) -> int | None:
        """Count a new live socket from ``address``: None if it is within the limit, else the
        seconds to wait."""
        return self._hit(self._sockets, "socket", address)

    def _hit(self, items: Sequence[RateLimitItem], kind: str, address: str | None) -> int | None:
        if self._limiter is None or not items or address is None:
            return None
        refused = [item for item in items if not self._limiter.hit(item, kind, address)]
        if not refused:
            return None
        stats = (self._limiter.get_window_stats(item, kind, address) for item in refused)
        return max(1, math.ceil(max(stat.reset_time for stat in stats) - time.time()))
