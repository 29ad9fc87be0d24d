"""``Dashboard``: the app's metrics, live, as a LiveView any app mounts at a path of its choice.

``LiveRoute("/admin/live", Dashboard)`` in an app whose telemetry has a ``Metrics`` attached
(``app.telemetry.attach(Metrics())``) shows its connections, live views by class, events per
second, render time (median and 95th percentile), diff sizes, memory, crashes and refusals,
and a chart of events per second. Every ``interval`` seconds it reads ``Metrics.snapshot()``
and keeps the last ``window`` readings; rates and percentiles are over the last ``span``
seconds of them, computed from the histograms' buckets as Prometheus's ``histogram_quantile``
does.

It is a plain LiveView: guard it like any other route (a ``LiveSession`` ``on_mount`` hook that
checks the user), give it a live ``layout`` to place it in your pages, and link
``page.ui_head()`` in the root layout for the toolkit's styles (``pylive.ui``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, ClassVar

from htpy import (
    Element,
    caption,
    dd,
    div,
    dl,
    dt,
    h1,
    h2,
    main,
    section,
    table,
    tbody,
    td,
    th,
    thead,
    tr,
)

from pylive.assigns import Assigns
from pylive.socket import Socket
from pylive.telemetry.metrics import Metrics, Snapshot, quantile
from pylive.ui import alert, line_chart
from pylive.view import LiveView

__all__ = ["Dashboard"]


@dataclass(frozen=True, slots=True)
class _Figures:
    """What the dashboard shows, from its readings."""

    connections: int = 0
    views: tuple[tuple[str, int], ...] = ()
    live_views: int = 0
    events_per_second: float = 0.0
    render_p50: float | None = None
    render_p95: float | None = None
    diff_bytes: float | None = None
    memory: float | None = None
    memory_per_view: float | None = None
    crashes: int = 0
    refusals: int = 0
    rates: tuple[float, ...] = ()
    """Events per second between consecutive readings, oldest first."""

    @classmethod
    def of(cls, history: Sequence[Snapshot], span: int) -> _Figures:
        if not history:
            return cls()
        now = history[-1]
        then = history[-1 - min(span, len(history) - 1)]
        elapsed = now.time - then.time
        diffs = now.diffs - then.diffs
        rates = tuple(
            (b.events - a.events) / (b.time - a.time) if b.time > a.time else 0.0
            for a, b in pairwise(history)
        )
        return cls(
            connections=now.connections,
            views=tuple(sorted(now.views.items())),
            live_views=now.live_views,
            events_per_second=(now.events - then.events) / elapsed if elapsed > 0 else 0.0,
            render_p50=quantile(0.5, then.renders, now.renders),
            render_p95=quantile(0.95, then.renders, now.renders),
            diff_bytes=(now.diff_bytes - then.diff_bytes) / diffs if diffs else None,
            memory=now.memory,
            memory_per_view=now.memory_per_view,
            crashes=now.crashes,
            refusals=now.refusals,
            rates=rates,
        )


def _ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.2f} ms"


def _size(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value < 1024:
        return f"{value:.0f} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} KiB"
    return f"{value / (1024 * 1024):.1f} MiB"


_GRID = "display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:1rem 1.5rem"
_FIGURE = "margin:0;font-size:1.5rem;font-weight:600;font-variant-numeric:tabular-nums"


def _figure(label: str, id: str, value: str) -> Element:
    """One figure of the grid: its label and its value (``id`` for tests and styles)."""
    return div[dt[label], dd(id=id, style=_FIGURE)[value]]


class Dashboard(LiveView):
    """The app's live metrics (see the module docstring); subclass it to change ``title``,
    ``interval`` (seconds between readings), ``window`` (readings kept, the chart's width) or
    ``span`` (readings that rates and percentiles cover)."""

    title: ClassVar[str] = "Live telemetry"
    interval: ClassVar[float] = 1.0
    window: ClassVar[int] = 60
    span: ClassVar[int] = 10

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        metrics = Metrics.current()
        socket.assign(
            page_title=self.title, attached=metrics is not None, history=(), figures=_Figures()
        )
        if metrics is not None:
            self._read(socket, metrics)
            if socket.connected:
                socket.send_interval(self.interval, "tick")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        metrics = Metrics.current()
        if msg == "tick" and metrics is not None:
            self._read(socket, metrics)

    def _read(self, socket: Socket, metrics: Metrics) -> None:
        history = (*socket.assigns.history, metrics.snapshot())[-self.window :]
        socket.assign(history=history, figures=_Figures.of(history, self.span))

    def render(self, assigns: Assigns) -> Element:
        figures: _Figures = assigns.figures
        span = f"last {self.span} s"
        return main(".pylive-dashboard")[
            h1[self.title],
            None
            if assigns.attached
            else alert(tone="warning", title="No metrics")[
                "Attach them to the app: app.telemetry.attach(Metrics())."
            ],
            dl(".pylive-dashboard-figures", style=_GRID)[
                _figure("Connections", "telemetry-connections", str(figures.connections)),
                _figure("Live views", "telemetry-views", str(figures.live_views)),
                _figure(
                    "Events per second", "telemetry-events", f"{figures.events_per_second:.1f}"
                ),
                _figure(f"Render p50 ({span})", "telemetry-p50", _ms(figures.render_p50)),
                _figure(f"Render p95 ({span})", "telemetry-p95", _ms(figures.render_p95)),
                _figure(f"Diff size ({span})", "telemetry-diff", _size(figures.diff_bytes)),
                _figure("Memory (resident)", "telemetry-memory", _size(figures.memory)),
                _figure("Memory per view", "telemetry-per-view", _size(figures.memory_per_view)),
                _figure("Crashes", "telemetry-crashes", str(figures.crashes)),
                _figure("Refused", "telemetry-refusals", str(figures.refusals)),
            ],
            section(aria_labelledby="telemetry-chart-title")[
                h2("#telemetry-chart-title")["Events per second"],
                line_chart(
                    values=[round(rate, 1) for rate in figures.rates] or [0.0],
                    title=f"Events per second, last {len(figures.rates)} readings",
                ),
            ],
            section(aria_labelledby="telemetry-views-title")[
                h2("#telemetry-views-title")["Live views by class"],
                table("#telemetry-by-class")[
                    caption["LiveViews mounted now, by class"],
                    thead[tr[th(scope="col")["LiveView"], th(scope="col")["Live"]]],
                    tbody[(tr[td[name], td[str(count)]] for name, count in figures.views)],
                ],
            ],
        ]
