"""A counter app with a short long-poll window and timeout, for the browser test of sessions
expiring once polls stop (``pylive serve e2e.longpoll_app:app``, see ``test_longpoll.py``).

``GET /sockets`` answers how many live sockets the app is serving, so the test can watch the
session of a closed page go away; ``POST /drop`` closes them all (the sessions are gone while
the server stays up, as after a restart behind a load balancer).
"""

from __future__ import annotations

from live_apps import SECRET, Counter
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from pylive import LiveApp, LiveRoute
from pylive.transport.longpoll import LongPoll


async def sockets(request: Request) -> PlainTextResponse:
    """The number of live sockets being served (WebSocket and long-poll)."""
    return PlainTextResponse(str(len(app.runtime.sockets)))


async def drop(request: Request) -> PlainTextResponse:
    """Close every live socket of the app."""
    await app.close_sockets()
    return PlainTextResponse("dropped")


app = LiveApp(
    [LiveRoute("/", Counter), Route("/sockets", sockets), Route("/drop", drop, methods=["POST"])],
    secret_key=SECRET,
    longpoll=LongPoll(fallback_ms=2500, window=1.0, timeout=2.0),
)
