"""The gallery's counter under a Content-Security-Policy that runs no inline script (no
``{nonce}``): pylive loads its preconnect script as a file (``pylive serve e2e.csp_app:app``)."""

from __future__ import annotations

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from gallery.counter import Counter
from gallery.layout import STATIC, layout
from pylive import LiveApp, LiveRoute

FILES_ONLY = "default-src 'self'; img-src 'self' data:; style-src-attr 'unsafe-inline'"
"""Scripts, styles and connections from the page's origin only, no inline script at all."""

app = LiveApp(
    [LiveRoute("/", Counter), Mount("/static", app=StaticFiles(directory=STATIC))],
    secret_key="csp-app-secret-for-tests-only",
    layout=layout,
    content_security_policy=FILES_ONLY,
)
