"""Telemetry: what the runtime measures, as Prometheus metrics and a live dashboard.

* ``Telemetry`` (``app.telemetry``, from ``pylive.telemetry_events``): the app's measurement
  events; attach handlers to it.
* ``Metrics``: a handler keeping them as Prometheus metrics in a registry of its own, served
  by ``metrics.endpoint`` (``Route("/metrics", metrics.endpoint)``).
* ``Dashboard``: a LiveView showing them live, mountable at any path
  (``LiveRoute("/admin/live", Dashboard)``).

A feature leaf: the runtime imports only ``pylive.telemetry_events``, so an app that does not
import this package never loads ``prometheus_client``. See docs/telemetry.md.
"""

from pylive.telemetry.dashboard import Dashboard
from pylive.telemetry.metrics import Metrics, Snapshot, quantile
from pylive.telemetry_events import EVENTS, REFUSALS, Handler, Refusal, Telemetry, current_telemetry

__all__ = [
    "EVENTS",
    "REFUSALS",
    "Dashboard",
    "Handler",
    "Metrics",
    "Refusal",
    "Snapshot",
    "Telemetry",
    "current_telemetry",
    "quantile",
]
