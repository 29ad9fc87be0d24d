"""The gallery's ``LiveApp``: every demo in one ``live_session`` (so navigation between them
is live), plus the gallery's own static files.

``app`` is what ``python -m gallery`` serves; ``pylive serve gallery.app:app`` works too.
"""

from __future__ import annotations

import os

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gallery.catalog import DEMOS
from gallery.components import PAGES, path_of
from gallery.index import Index
from gallery.layout import STATIC, layout
from pylive import LiveApp, LiveRoute, LiveSession
from pylive.csp import STRICT_POLICY
from pylive.telemetry import Metrics

DEV_SECRET = "pylive-gallery-development-secret-not-for-production"
"""A fixed key, so that open pages survive a server restart; set PYLIVE_SECRET_KEY to override."""


def create_app() -> LiveApp:
    """A new gallery application (no global state: pub/sub, if any, stays in memory)."""
    routes = [
        LiveRoute("/", Index),
        *(
            LiveRoute(
                demo.route or demo.path, demo.view, action=demo.action, container=demo.container
            )
            for demo in DEMOS
        ),
        *(LiveRoute(path_of(page), page) for page in PAGES),
    ]
    metrics = Metrics()  # what /demos/telemetry shows and /metrics serves (docs/telemetry.md)
    app = LiveApp(
        [
            LiveSession("gallery", routes),
            Mount("/static", app=StaticFiles(directory=STATIC), name="gallery-static"),
            Route("/metrics", metrics.endpoint),
        ],
        secret_key=os.environ.get("PYLIVE_SECRET_KEY", DEV_SECRET),
        layout=layout,
        # the live benchmark (benchmarks/live.py) pushes events as fast as they are answered
        rate_limit=os.environ.get("GALLERY_RATE_LIMIT") != "off",
        content_security_policy=STRICT_POLICY,  # docs/security.md: every page runs under it
    )
    if os.environ.get("GALLERY_METRICS") != "off":  # off: the benchmarks measure pylive alone
        app.telemetry.attach(metrics)
    return app


app = create_app()
