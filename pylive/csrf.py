"""The CSRF check of a plain HTTP route that a live form posts to (``phx-trigger-action``).

A LiveView form with ``action=`` is submitted natively by the browser once the server sets
``phx-trigger-action``: a regular POST to one of your routes, outside the live socket. That
route must check that the post comes from a page the app rendered, as the live socket does:
the form's ``_csrf_token`` field (``csrf_input(token)`` of ``pylive.html.form_fields``, from the
``_csrf_token`` of the ``mount`` session) has to match the browser's CSRF cookie.

``csrf_protect`` wraps a Starlette (or FastAPI ``Request``-taking) endpoint of the same
``LiveApp`` and answers 403 when the check fails (a ``pylive.refusal`` telemetry event of the
app serving the request); ``check_csrf`` is the check alone.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from pylive.connection_limits import client_address
from pylive.session import CSRF_COOKIE
from pylive.telemetry_events import current_telemetry
from pylive.tokens import Tokens

__all__ = ["CSRF_FIELD", "check_csrf", "csrf_protect"]

logger = logging.getLogger(__name__)

CSRF_FIELD = "_csrf_token"
"""The form field (or ``x-csrf-token`` header) carrying the token."""

Endpoint = Callable[[Request], Awaitable[Response]]


def _tokens(request: Request) -> Tokens:
    runtime = getattr(request.app, "runtime", None)
    tokens = getattr(runtime, "tokens", None)
    if not isinstance(tokens, Tokens):
        raise RuntimeError(
            "check_csrf: this route is not served by a LiveApp; pass tokens=app.runtime.tokens"
        )
    return tokens


async def check_csrf(request: Request, tokens: Tokens | None = None) -> bool:
    """Whether ``request`` carries a CSRF token (form field ``_csrf_token`` or header
    ``x-csrf-token``) issued for this browser's CSRF cookie. ``tokens``: the app's
    (``app.runtime.tokens``), found from the request when the route is the LiveApp's."""
    tokens = tokens or _tokens(request)
    token: Any = request.headers.get("x-csrf-token")
    if token is None and request.method not in ("GET", "HEAD", "OPTIONS"):
        kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":  # what a form posts (no dependency)
            body = (await request.body()).decode("latin-1")
            token = next((v for k, v in parse_qsl(body) if k == CSRF_FIELD), None)
        elif kind == "multipart/form-data":  # needs python-multipart, as Starlette's form()
            token = (await request.form()).get(CSRF_FIELD)
    return tokens.check_csrf(request.cookies.get(CSRF_COOKIE), token)


def csrf_protect(endpoint: Endpoint) -> Endpoint:
    """Decorate an ``async def endpoint(request)`` so that a request failing ``check_csrf`` is
    answered 403 (and logged) without calling it."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        if not await check_csrf(request):
            logger.warning("%s %s refused: invalid CSRF token", request.method, request.url.path)
            telemetry = current_telemetry()
            if telemetry is not None:
                telemetry.refused("csrf", client_address(request.scope))
            return PlainTextResponse("invalid CSRF token", status_code=403)
        return await endpoint(request)

    return guarded
