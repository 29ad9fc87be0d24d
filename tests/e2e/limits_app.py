"""A counter served with ``max_connections=1`` for the browser tests of the connection cap
(``pylive serve e2e.limits_app:app``, or ``:websocket_only`` without the long-poll fallback).
``/open`` answers how many live sockets hold a slot."""

from __future__ import annotations

from typing import Any

from htpy import Element, button, p
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket


class Counter(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(count=socket.assigns.count + 1)

    def render(self, assigns: Assigns) -> Element:
        return p[button("#inc", phx_click="inc")["+1"], " count: ", str(assigns.count)]


def _capped(**kw: Any) -> LiveApp:
    capped: LiveApp

    async def open_sockets(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(capped.runtime.limits.open))

    capped = LiveApp(
        [LiveRoute("/", Counter), Route("/open", open_sockets)],
        secret_key="limits-app-secret-for-tests-only",
        max_connections=1,
        **kw,
    )
    return capped


app = _capped()
websocket_only = _capped(longpoll=False)
