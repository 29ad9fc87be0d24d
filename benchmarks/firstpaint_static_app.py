"""The first-paint benchmark's "static" subject: another server's pages without their scripts.

Every request is answered with what the origin (``$PYLIVE_STATIC_ORIGIN``, the gallery) answers
for the same path, fetched once and kept; an HTML page loses its ``<script>`` elements, so the
browser paints the same markup and stylesheets with nothing to run. Responses keep the origin's
``Content-Type`` and ``Cache-Control`` and go through pylive's compression, as the origin's do.
Run with ``hypercorn benchmarks.firstpaint_static_app:app``.
"""

from __future__ import annotations

import os
import re
import urllib.request

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pylive.compression import CompressionMiddleware

__all__ = ["app"]

ORIGIN = os.environ.get("PYLIVE_STATIC_ORIGIN", "http://127.0.0.1:8000")
_SCRIPT = re.compile(rb"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
_KEPT = ("content-type", "cache-control")
_cache: dict[str, tuple[bytes, dict[str, str]]] = {}


def _fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
        headers = {k: v for k in _KEPT if (v := response.headers.get(k))}
    if headers.get("content-type", "").startswith("text/html"):
        body = _SCRIPT.sub(b"", body)
    return body, headers


async def _copy(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if target not in _cache:
        _cache[target] = await anyio.to_thread.run_sync(_fetch, ORIGIN + target)
    body, headers = _cache[target]
    return Response(body, headers=headers)


app = CompressionMiddleware(Starlette(routes=[Route("/{path:path}", _copy)]))
