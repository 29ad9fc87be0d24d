"""A chat room for the pub/sub tests: in-process (tests/test_pubsub.py) and served by
``pylive serve`` in subprocesses sharing Redis (tests/test_pubsub_redis.py).

``/room/{name}?user=u`` subscribes to ``room:<name>`` and tracks ``u`` there; ``say`` broadcasts
to everyone, ``whisper`` to everyone but the sender. Plain HTTP routes publish (``POST
/announce/{name}?text=...``) and read presence (``GET /online/{name}``), as a route or a
background job of a real app would.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, li, main, p, ul
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from pylive import (
    Assigns,
    ComponentSocket,
    LiveApp,
    LiveComponent,
    LiveRoute,
    LiveView,
    PresenceDiff,
    Socket,
    broadcast,
    broadcast_from,
    live_component,
    presence,
)
from pylive.pubsub import current_pubsub


class Megaphone(LiveComponent):
    """A component that broadcasts: to everyone, or to everyone but its view."""

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> None:
        said = ("said", "megaphone", event)
        if event == "loud":
            await broadcast(socket.assigns.topic, said)
        else:
            await broadcast_from(socket, socket.assigns.topic, said)

    def render(self, assigns: Assigns) -> Element:
        return p[
            button("#loud", phx_click="loud", phx_target=assigns.myself)["loud"],
            button("#quiet", phx_click="quiet", phx_target=assigns.myself)["quiet"],
        ]


class Room(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        self.topic = f"room:{params['name']}"
        self.user = str(params.get("user", "anon"))
        if socket.connected:
            socket.subscribe(self.topic)
            await presence.track(socket, self.topic, self.user, {"user": self.user})
        socket.assign(
            messages=[], online=sorted(presence.list(self.topic)), diffs=0, last_diff=None
        )

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "say":
                await broadcast(self.topic, ("said", self.user, params["text"]))
            case "whisper":
                await broadcast_from(socket, self.topic, ("said", self.user, params["text"]))
            case "leave":
                socket.unsubscribe(self.topic)
            case "untrack":
                await presence.untrack(socket, self.topic, self.user)

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case ("said", str(user), str(text)):
                socket.assign(messages=[*socket.assigns.messages, f"{user}: {text}"])
            case PresenceDiff(joins=joins, leaves=leaves):
                socket.assign(
                    online=sorted(presence.list(self.topic)),
                    diffs=socket.assigns.diffs + 1,
                    last_diff={"joins": sorted(joins), "leaves": sorted(leaves)},
                )
            case other:
                socket.assign(messages=[*socket.assigns.messages, f"other: {other!r}"])

    def render(self, assigns: Assigns) -> Element:
        return main[
            ul("#messages")[(li[m] for m in assigns.messages)],
            ul("#online")[(li[u] for u in assigns.online)],
            p("#diffs")[assigns.diffs],
            live_component(Megaphone, "megaphone", topic=self.topic),
        ]


async def announce(request: Request) -> PlainTextResponse:
    name = request.path_params["name"]
    await broadcast(f"room:{name}", ("said", "server", request.query_params["text"]))
    return PlainTextResponse("ok")


async def online(request: Request) -> JSONResponse:
    return JSONResponse(presence.list(f"room:{request.path_params['name']}"))


async def status(request: Request) -> JSONResponse:
    hub = current_pubsub()
    await hub.start()  # started on first use; this may be the first
    return JSONResponse({"connected": hub.connected, "node": hub.node})


def make_app(**kw: Any) -> LiveApp:
    return LiveApp(
        [
            LiveRoute("/room/{name}", Room),
            Route("/announce/{name}", announce, methods=["POST"]),
            Route("/online/{name}", online),
            Route("/", status),
        ],
        secret_key="pubsub-test-secret",
        **kw,
    )


app = make_app()
