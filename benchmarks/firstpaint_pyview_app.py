"""``benchmarks/live_pyview_app.py`` plus pyview's client bundle, for the first-paint benchmark.

pyview's default root template loads ``/static/assets/app.js`` but ``PyView`` does not serve it;
its documentation mounts the package's ``static`` directory, as done here. Run with
``hypercorn benchmarks.firstpaint_pyview_app:app``.
"""

from __future__ import annotations

from starlette.staticfiles import StaticFiles

from benchmarks.live_pyview_app import app

__all__ = ["app"]

app.mount("/static", StaticFiles(packages=[("pyview", "static")]), name="static")
