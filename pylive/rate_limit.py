"""The per-connection limit on client events: a token bucket.

Each live socket holds one bucket of ``burst`` tokens, refilled at ``per_second``; every
message that runs the app's code (``event``: ``handle_event``; ``live_patch``:
``handle_params``; ``phx_join``: ``mount``) takes one. A message that finds the bucket empty
is not handled: it gets the error reply ``{"reason": "rate limited"}`` and the connection goes
on, so a user who clicks too fast loses those clicks, not the page. Heartbeats, leaves and
upload traffic are not counted (an upload is bounded by its own limits). Phoenix itself has no
such limit; this is what a Phoenix app would reply from its own channel code.

A bucket needs no library: two numbers, refilled from the event loop's clock when a message
comes (no timer task per connection).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RateLimit", "TokenBucket"]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``LiveApp(rate_limit=RateLimit(per_second=..., burst=...))``; ``rate_limit=False``
    turns the limit off.

    The default lets a connection send 200 events at once and 100 a second after that: more
    than typing, clicking or a throttled pointer hook send, far less than a script flooding
    the socket (each event runs ``handle_event`` and a render).
    """

    per_second: float = 100.0
    """Events a second a connection may send, sustained."""
    burst: int = 200
    """Events a connection may send at once after a quiet spell."""

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError("per_second must be positive and burst at least 1")


class TokenBucket:
    """One connection's bucket: ``take(now)`` is False when the connection is over its limit."""

    __slots__ = ("_at", "_limit", "_tokens")

    def __init__(self, limit: RateLimit) -> None:
        self._limit = limit
        self._tokens = float(limit.burst)
        self._at: float | None = None

    def take(self, now: float) -> bool:
        """Take a token at time ``now`` (seconds, monotonic) if there is one."""
        limit = self._limit
        if self._at is not None:
            refill = (now - self._at) * limit.per_second
            self._tokens = min(float(limit.burst), self._tokens + refill)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True
