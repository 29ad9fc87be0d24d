"""Serving a ``LiveApp`` under a prefix of hosts that cannot simply mount it.

Starlette and FastAPI need nothing (``Mount("/live", app=live_app)``). Two hosts do:

* ``for_litestar``: Litestar's ``@asgi(prefix, is_mount=True)`` handler gets a rewritten
  ``path`` (prefix stripped, a trailing slash appended) and no ``root_path``, so pylive's
  routing would redirect or 404 and refuse the live socket.
* ``dispatch``: Django's ``get_asgi_application()`` refuses every scope that is not HTTP
  (WebSocket, lifespan), so the project's ``asgi.py`` must route the prefix itself.

Both hand pylive what Starlette's ``Mount`` would: the full ``path`` and
``root_path = <server root_path> + prefix``, from which pylive builds every URL.
"""

from __future__ import annotations

from urllib.parse import unquote

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["dispatch", "for_litestar"]


def for_litestar(live_app: ASGIApp, prefix: str) -> ASGIApp:
    """An ASGI handler for Litestar serving ``live_app`` at ``prefix``::

    Litestar([asgi(prefix, is_mount=True, copy_scope=True)(for_litestar(live_app, prefix))])

    It restores the request's path from ``raw_path`` (which Litestar leaves alone) and sets
    ``root_path``, as a Starlette ``Mount`` at ``prefix`` would.
    """
    prefix = _clean(prefix)

    async def litestar_mount(scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope["raw_path"].decode("latin-1").partition("?")[0]
        root_path = scope.get("root_path", "") + prefix
        await live_app({**scope, "path": unquote(raw), "root_path": root_path}, receive, send)

    return litestar_mount


def dispatch(
    live_app: ASGIApp, prefix: str, fallback: ASGIApp, *, fallback_lifespan: bool = False
) -> ASGIApp:
    """One ASGI app: HTTP and WebSocket requests under ``prefix`` go to ``live_app`` (with
    ``root_path`` set, as a ``Mount`` would), everything else to ``fallback``::

    application = dispatch(live_app, "/live", get_asgi_application())    # Django's asgi.py

    Lifespan events go to ``live_app`` (it needs no startup; on shutdown it closes its live
    sockets with 1001 and runs its own ``lifespan=``), or to ``fallback`` with
    ``fallback_lifespan=True`` for a host that has one (Django has none and would refuse it;
    then call ``pylive.app.close_live_sockets()`` from that host's shutdown).
    """
    prefix = _clean(prefix)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await (fallback if fallback_lifespan else live_app)(scope, receive, send)
            return
        root_path = scope.get("root_path", "")
        path = scope["path"].removeprefix(root_path)
        if path == prefix or path.startswith(prefix + "/"):
            await live_app({**scope, "root_path": root_path + prefix}, receive, send)
        else:
            await fallback(scope, receive, send)

    return app


def _clean(prefix: str) -> str:
    """``"live/"`` → ``"/live"``; a prefix is required (``"/"`` would take every path)."""
    cleaned = "/" + prefix.strip("/")
    if cleaned == "/":
        raise ValueError("a prefix such as '/live' is required")
    return cleaned
