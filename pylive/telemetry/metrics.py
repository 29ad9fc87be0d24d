"""``Metrics``: pylive's telemetry events as Prometheus metrics, in a registry of the app's own.

A ``Metrics`` is a telemetry handler (``app.telemetry.attach(metrics)``): it counts connections,
joins, events, renders, the bytes of each diff, crashes and closes, per LiveView class, and
what pylive refused, per reason, with
``prometheus_client`` (no SDK to set up, pure Python, the exposition format every scraper
reads). Its ``registry`` is its own, never the process-wide default, so two apps in one process,
or two tests, keep separate counts. ``endpoint`` serves them (``Route("/metrics",
metrics.endpoint)``); ``snapshot`` reads them back for the live dashboard.

Memory per view is an approximation that costs nothing per view: the process's resident memory
(prometheus_client's process collector, from ``/proc``; None where there is none) divided by
the live views. It includes the interpreter and everything else the process holds, so it is an
upper bound that falls as views are added.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.process_collector import ProcessCollector
from starlette.requests import Request
from starlette.responses import Response

from pylive.telemetry_events import current_telemetry

__all__ = ["Metrics", "Snapshot", "quantile"]

SECONDS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5)
"""Histogram buckets for durations: a render takes tens of microseconds to milliseconds."""
BYTES = (64, 256, 1024, 4096, 16384, 65536, 262144, 1048576)
"""Histogram buckets for the size of a diff's frame."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The metrics at one moment, summed over view classes (what the dashboard draws)."""

    time: float
    """``time.monotonic()`` when it was taken."""
    connections: int
    views: Mapping[str, int]
    """Live views by class (``module.Class``), those with none left out."""
    events: int
    renders: tuple[tuple[float, float], ...]
    """The render-duration histogram: (upper bound in seconds, cumulative count), ``inf`` last."""
    diffs: int
    diff_bytes: float
    crashes: int
    refusals: int
    """Everything refused so far (``pylive_refusals_total``, summed over reasons)."""
    memory: float | None
    """Resident memory of the process in bytes (None where it cannot be read)."""

    @property
    def live_views(self) -> int:
        """All live views."""
        return sum(self.views.values())

    @property
    def memory_per_view(self) -> float | None:
        """Resident memory divided by the live views (None without either)."""
        return _per_view(self.memory, self.live_views)


def _per_view(memory: float | None, views: float) -> float | None:
    return None if memory is None or not views else memory / views


@dataclass(frozen=True, slots=True)
class _ViewMetrics:
    """One LiveView class's labelled metrics, for the events every click sends."""

    live: Gauge
    joins: Histogram
    events: Histogram
    renders: Histogram
    diff_bytes: Histogram


class Metrics:
    """Prometheus metrics of one app's telemetry; attach it: ``app.telemetry.attach(metrics)``.

    ``registry`` defaults to a new ``CollectorRegistry`` (with the process collector's
    ``process_*`` metrics unless ``process=False``).
    """

    def __init__(self, registry: CollectorRegistry | None = None, *, process: bool = True) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        """Where the metrics live; ``prometheus_client.generate_latest(registry)`` renders it."""
        r = self.registry
        self.connections = Gauge("pylive_connections", "Live sockets open.", registry=r)
        self.connections_opened = Counter(
            "pylive_connections_opened", "Live sockets opened.", registry=r
        )
        self.views = Gauge("pylive_live_views", "LiveViews mounted and live.", ["view"], registry=r)
        self.joins = Histogram(
            "pylive_join_duration_seconds",
            "Joins: from the join message to the reply (mount and first render).",
            ["view"],
            buckets=SECONDS,
            registry=r,
        )
        self.events = Histogram(
            "pylive_event_duration_seconds",
            "Client events: handle_event, render, diff and write of the reply.",
            ["view"],
            buckets=SECONDS,
            registry=r,
        )
        self.renders = Histogram(
            "pylive_render_duration_seconds",
            "Renders sent: render and diff of the changed assigns.",
            ["view"],
            buckets=SECONDS,
            registry=r,
        )
        self.diff_bytes = Histogram(
            "pylive_diff_bytes",
            "Size of each frame carrying a diff.",
            ["view"],
            buckets=BYTES,
            registry=r,
        )
        self.crashes = Counter(
            "pylive_crashes", "LiveViews crashed (mount or handler raised).", ["view"], registry=r
        )
        self.closes = Counter(
            "pylive_closes", "LiveViews ended, by reason.", ["view", "reason"], registry=r
        )
        self.refusals = Counter(
            "pylive_refusals",
            "Sockets, page loads, events, frames and posts refused, by reason.",
            ["reason"],
            registry=r,
        )
        self._process = ProcessCollector(registry=r if process else None)
        self.memory_per_view = Gauge(
            "pylive_memory_per_view_bytes",
            "Resident memory of the process divided by the live views (an upper bound).",
            registry=r,
        )
        self.memory_per_view.set_function(self._memory_per_view)
        self._by_view: dict[str, _ViewMetrics] = {}
        self._handlers = {
            "pylive.socket.connect": self._connect,
            "pylive.socket.disconnect": self._disconnect,
            "pylive.live_view.mount": self._mount,
            "pylive.live_view.handle_event": self._event,
            "pylive.live_view.render": self._render,
            "pylive.live_view.crash": self._crash,
            "pylive.live_view.close": self._close,
            "pylive.refusal": self._refusal,
        }

    @staticmethod
    def current() -> Metrics | None:
        """The ``Metrics`` attached to the telemetry of the app serving the current request or
        live connection (the dashboard finds its data so), if any."""
        telemetry = current_telemetry()
        handlers = () if telemetry is None else telemetry.handlers
        return next((h for h in handlers if isinstance(h, Metrics)), None)

    # ------------------------------------------------------------------ the handler

    def __call__(
        self, event: str, measurements: Mapping[str, float], metadata: Mapping[str, Any]
    ) -> None:
        handler = self._handlers.get(event)
        if handler is not None:
            handler(measurements, metadata)

    def _connect(self, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
        self.connections.inc()
        self.connections_opened.inc()

    def _disconnect(self, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
        self.connections.dec()

    def _of(self, view: str) -> _ViewMetrics:
        """The metrics labelled ``view`` (looked up once per class: ``labels`` takes a lock)."""
        found = self._by_view.get(view)
        if found is None:
            found = self._by_view[view] = _ViewMetrics(
                self.views.labels(view),
                self.joins.labels(view),
                self.events.labels(view),
                self.renders.labels(view),
                self.diff_bytes.labels(view),
            )
        return found

    def _mount(self, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
        view = self._of(metadata["view"])
        view.live.inc()
        view.joins.observe(measurements["duration"])

    def _event(self, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
        self._of(metadata["view"]).events.observe(measurements["duration"])

    def _render(self, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
        view = self._of(metadata["view"])
        view.renders.observe(measurements["duration"])
        view.diff_bytes.observe(measurements["bytes"])

    def _crash(self, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
        self.crashes.labels(metadata["view"]).inc()

    def _close(self, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
        self._of(metadata["view"]).live.dec()
        self.closes.labels(metadata["view"], metadata["reason"]).inc()

    def _refusal(self, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
        self.refusals.labels(metadata["reason"]).inc()

    # ------------------------------------------------------------------ reading

    async def endpoint(self, request: Request) -> Response:
        """A Starlette endpoint serving the registry in the Prometheus text format (or
        OpenMetrics, if the scraper asks for it): ``Route("/metrics", metrics.endpoint)``."""
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(self.registry), headers={"Content-Type": content_type})

    def memory(self) -> float | None:
        """The process's resident memory in bytes, if the platform tells (Linux's ``/proc``)."""
        for family in self._process.collect():
            if family.name == "process_resident_memory_bytes":
                return float(family.samples[0].value)
        return None

    def _memory_per_view(self) -> float:
        value = _per_view(self.memory(), sum(_values(self.views)))
        return math.nan if value is None else value

    def snapshot(self) -> Snapshot:
        """The metrics now, summed over view classes."""
        views: dict[str, int] = {}
        for sample in _samples(self.views, ""):
            if sample.value > 0:
                views[sample.labels["view"]] = int(sample.value)
        buckets: dict[float, float] = {}
        for sample in _samples(self.renders, "_bucket"):
            bound = float(sample.labels["le"])
            buckets[bound] = buckets.get(bound, 0.0) + sample.value
        return Snapshot(
            time=time.monotonic(),
            connections=int(sum(_values(self.connections))),
            views=views,
            events=int(sum(_values(self.events, "_count"))),
            renders=tuple(sorted(buckets.items())),
            diffs=int(sum(_values(self.diff_bytes, "_count"))),
            diff_bytes=sum(_values(self.diff_bytes, "_sum")),
            crashes=int(sum(_values(self.crashes, "_total"))),
            refusals=int(sum(_values(self.refusals, "_total"))),
            memory=self.memory(),
        )


def _samples(metric: MetricWrapperBase, suffix: str) -> Iterable[Any]:
    """The samples of ``metric`` named with ``suffix`` (``_bucket``, ``_count``...)."""
    for family in metric.collect():
        for sample in family.samples:
            if sample.name == family.name + suffix:
                yield sample


def _values(metric: MetricWrapperBase, suffix: str = "") -> Iterable[float]:
    return (sample.value for sample in _samples(metric, suffix))


def quantile(
    q: float, before: Iterable[tuple[float, float]], after: Iterable[tuple[float, float]]
) -> float | None:
    """The ``q`` quantile (0 to 1) of what a histogram observed between two readings of its
    cumulative buckets, interpolated inside the bucket it falls in, as Prometheus's
    ``histogram_quantile`` does; None if nothing was observed. A quantile in the last,
    unbounded bucket is the highest finite bound."""
    old = dict(before)
    counts = [(bound, count - old.get(bound, 0.0)) for bound, count in after]
    if not counts or counts[-1][1] <= 0:
        return None
    rank = q * counts[-1][1]
    lower, below = 0.0, 0.0
    for bound, count in counts:
        if count >= rank:
            if math.isinf(bound):
                return lower
            inside = count - below
            return lower + (bound - lower) * ((rank - below) / inside if inside else 0.0)
        lower, below = bound, count
    return lower
