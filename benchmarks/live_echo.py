"""The floor of ``benchmarks/live.py``: a raw ASGI WebSocket echo served by hypercorn.

``ws://HOST/echo?reply=N``: every text frame received is answered with one text frame of N
bytes (precomputed; no parsing, no JSON, no framework), so a round trip costs the client, the
loopback and hypercorn's WebSocket handling and nothing else. The client sends frames the size
of a LiveView event push and asks for replies the size of the LiveView's reply.
Run with ``hypercorn benchmarks.live_echo:app``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

__all__ = ["app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


async def app(
    scope: Scope,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "http":
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"echo"})
        return
    if scope["type"] != "websocket":
        return
    query = parse_qs(scope.get("query_string", b"").decode())
    size = int(query.get("reply", ["64"])[0])
    reply = "x" * size
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif kind == "websocket.receive":
            await send({"type": "websocket.send", "text": reply})
        else:  # websocket.disconnect
            return
