"""Live telemetry: pylive's own dashboard (``pylive.telemetry.Dashboard``), as any app mounts it.

The gallery attaches ``Metrics`` to its app's telemetry and serves them at ``/metrics``
(``gallery/app.py``); this page is the built-in dashboard with a live layout around it for the
gallery's header. Open another demo in a second tab and click around: connections, live views
by class, events per second and render times move here within a second.
"""

from __future__ import annotations

from htpy import Element, div

from gallery.layout import top_nav
from pylive import Assigns
from pylive.telemetry import Dashboard


def gallery_frame(assigns: Assigns) -> Element:
    """The live layout: the gallery header above the dashboard."""
    return div(".demo")[top_nav(), assigns.inner_content]


class TelemetryDashboard(Dashboard):
    """The built-in dashboard inside the gallery's frame."""

    layout = gallery_frame
