"""``Telemetry``: an app's measurement events, executed by the runtime, received by handlers.

This is Phoenix's ``:telemetry`` model: the runtime calls ``execute(event, measurements,
metadata)`` at fixed points (a socket connects, a LiveView mounts, handles an event, renders,
crashes, closes) and every attached handler gets the call. pylive's metrics
(``pylive.telemetry.Metrics``) are one such handler; an app may attach its own (an
OpenTelemetry bridge, a log line, a test's list).

When no handler is attached (``active`` is False) the runtime neither times events and
renders nor calls ``execute``: an app that listens to nothing pays one attribute read per
measured point. A handler that raises is logged and detached, as ``:telemetry`` does, so a
broken handler costs one log line, not every event.

``EVENTS`` lists the events with their measurements and metadata (docs/telemetry.md).
``pylive.refusal`` is executed each time pylive refuses something a client sent or asked for,
its ``reason`` one of ``REFUSALS``; refusals are rare, so it costs nothing on the hot path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final, Literal, get_args

__all__ = ["EVENTS", "REFUSALS", "Handler", "Refusal", "Telemetry", "current_telemetry"]

logger = logging.getLogger(__name__)

Handler = Callable[[str, Mapping[str, float], Mapping[str, Any]], None]
"""``handler(event, measurements, metadata)``: called synchronously, in the task that measured;
it should be quick (count, observe, append) and never block."""

EVENTS: Final[Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "pylive.socket.connect": ((), ()),
    "pylive.socket.disconnect": (("duration",), ()),
    "pylive.live_view.mount": (("duration", "bytes"), ("view", "topic")),
    "pylive.live_view.handle_event": (("duration",), ("view", "topic", "event")),
    "pylive.live_view.render": (("duration", "bytes"), ("view", "topic")),
    "pylive.live_view.crash": ((), ("view", "topic")),
    "pylive.live_view.close": (("duration",), ("view", "topic", "reason")),
    "pylive.refusal": ((), ("reason", "address")),
}
"""Every event the runtime executes: its measurements (seconds, bytes) and metadata keys."""

Refusal = Literal[
    "max_connections",
    "max_connections_per_address",
    "page_load_rate",
    "socket_rate",
    "event_rate",
    "origin",
    "csrf",
    "frame_too_large",
]
"""Why pylive refused: a live socket over ``max_connections`` or
``max_connections_per_address`` (HTTP 503), a page load or a new socket over the address's
``AddressRateLimit`` (HTTP 429), an event over the socket's ``RateLimit`` (``rate limited``),
a socket from another ``Origin`` (HTTP 403), a socket or a form post without a valid CSRF token
(joins answer ``stale``; ``csrf_protect`` answers 403), a frame over 1 MiB (close 1009)."""

REFUSALS: Final[tuple[Refusal, ...]] = get_args(Refusal)
"""Every ``reason`` of ``pylive.refusal``."""

_CURRENT: ContextVar[Telemetry | None] = ContextVar("pylive_telemetry", default=None)


class Telemetry:
    """The telemetry events of one app (``app.telemetry``) and the handlers attached to them."""

    __slots__ = ("_handlers", "active")

    def __init__(self) -> None:
        self._handlers: tuple[Handler, ...] = ()
        self.active = False
        """Whether any handler is attached (the runtime measures only then)."""

    @property
    def handlers(self) -> tuple[Handler, ...]:
        """The attached handlers, in the order they were attached."""
        return self._handlers

    def attach(self, handler: Handler) -> Callable[[], None]:
        """Call ``handler`` for every event from now on; returns a function that detaches it."""
        if handler not in self._handlers:
            self._handlers = (*self._handlers, handler)
            self.active = True
        return lambda: self.detach(handler)

    def detach(self, handler: Handler) -> None:
        """Stop calling ``handler`` (nothing happens if it is not attached)."""
        self._handlers = tuple(h for h in self._handlers if h != handler)
        self.active = bool(self._handlers)

    def execute(
        self, event: str, measurements: Mapping[str, float], metadata: Mapping[str, Any]
    ) -> None:
        """Hand one event to every handler; one that raises is logged and detached."""
        for handler in self._handlers:
            try:
                handler(event, measurements, metadata)
            except Exception:
                logger.exception("telemetry handler %r failed on %s: detached", handler, event)
                self.detach(handler)

    def refused(self, reason: Refusal, address: str | None) -> None:
        """Execute ``pylive.refusal`` for ``reason``, if any handler listens. ``address``:
        the client's (the ASGI ``client``), None when unknown."""
        if self.active:
            self.execute("pylive.refusal", {}, {"reason": reason, "address": address})

    @contextmanager
    def as_current(self) -> Iterator[None]:
        """Make this what ``current_telemetry()`` returns within the block (``LiveApp`` does
        it for each of its requests and live connections)."""
        token = _CURRENT.set(self)
        try:
            yield
        finally:
            _CURRENT.reset(token)


def current_telemetry() -> Telemetry | None:
    """The telemetry of the app serving the current request or live connection, if any."""
    return _CURRENT.get()
