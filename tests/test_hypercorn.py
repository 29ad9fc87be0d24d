"""The real thing: hypercorn on 127.0.0.1, a real WebSocket client, graceful shutdown (1001)."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import httpx
import pytest
import websockets
from diff_values import client_html, diff_reply
from hypercorn.config import Config
from live_apps import make_app
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from pylive.cli import serve
from pylive.testing.page import parse_page
from pylive.testing.phoenix import Frame

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["asyncio", "uvloop"])
def anyio_backend(request: pytest.FixtureRequest) -> Any:
    """asyncio only (the websockets client needs it), on its own loop and on uvloop's
    (``pylive serve --worker-class uvloop``)."""
    if request.param == "uvloop":
        import uvloop

        return ("asyncio", {"loop_factory": uvloop.new_event_loop})
    return "asyncio"


def _listening_config() -> tuple[Config, int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    port = sock.getsockname()[1]
    config = Config()
    config.bind = [f"fd://{sock.detach()}"]  # hypercorn owns the fd; connections queue already
    config.graceful_timeout = 2
    return config, port


async def test_counter_over_hypercorn_then_shutdown_closes_with_1001() -> None:
    config, port = _listening_config()
    stop = anyio.Event()
    base = f"127.0.0.1:{port}"
    async with anyio.create_task_group() as tg:
        tg.start_soon(lambda: serve(make_app(), config, stop=stop.wait))
        async with httpx.AsyncClient(timeout=30) as client:  # bounds a failure only
            response = await client.get(f"http://{base}/")
        page = parse_page(response.text, f"http://{base}/")
        assert page is not None and page.csrf_token and page.static
        cookie = "; ".join(f"{k}={v}" for k, v in response.cookies.items())
        url = f"ws://{base}{page.socket_path}/websocket?_csrf_token={page.csrf_token}&vsn=2.0.0"
        async with websockets.connect(url, additional_headers={"Cookie": cookie}) as ws:
            join = Frame("1", "1", page.topic, "phx_join", page.join_payload())
            await ws.send(join.encode())
            reply = await _recv(ws)
            assert (reply.ref, reply.event, reply.status) == ("1", "phx_reply", "ok")
            rendered = reply.response["rendered"]
            assert "<p>Count: 0</p>" in client_html(page.view_id, rendered)
            click = {"type": "click", "event": "inc", "value": {"value": ""}}
            await ws.send(Frame("1", "2", page.topic, "event", click).encode())
            frame = await _recv(ws)
            assert frame == Frame("1", "2", page.topic, "phx_reply", frame.payload)
            assert set(frame.payload) == {"status", "response"}
            assert diff_reply((frame.status, frame.response)) == ("ok", ["1"])
            stop.set()
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await _recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001


async def _recv(ws: Any) -> Frame:
    with anyio.fail_after(30):
        return Frame.decode(await ws.recv())


async def _echo(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())


@pytest.mark.parametrize("compression", [False, True])
async def test_permessage_deflate_only_when_the_app_allows_it(compression: bool) -> None:
    """The client offers permessage-deflate, as every browser does: the live socket declines it
    unless ``websocket_compression=True``; the app's other WebSocket routes keep hypercorn's
    default (accept)."""
    config, port = _listening_config()
    stop = anyio.Event()
    base = f"127.0.0.1:{port}"
    app = make_app(websocket_compression=compression)
    app.router.routes.append(WebSocketRoute("/echo", _echo))
    async with anyio.create_task_group() as tg:
        tg.start_soon(lambda: serve(app, config, stop=stop.wait))
        async with httpx.AsyncClient(timeout=30) as client:  # bounds a failure only
            response = await client.get(f"http://{base}/")
        page = parse_page(response.text, f"http://{base}/")
        assert page is not None
        cookie = "; ".join(f"{k}={v}" for k, v in response.cookies.items())
        url = f"ws://{base}{page.socket_path}/websocket?_csrf_token={page.csrf_token}&vsn=2.0.0"
        async with websockets.connect(
            url, additional_headers={"Cookie": cookie}, compression="deflate"
        ) as ws:
            assert ws.request is not None and ws.response is not None
            assert "permessage-deflate" in ws.request.headers["Sec-WebSocket-Extensions"]
            accepted = ws.response.headers.get("Sec-WebSocket-Extensions")
            if compression:
                assert accepted is not None and accepted.startswith("permessage-deflate")
            else:
                assert accepted is None
            await ws.send(Frame("1", "1", page.topic, "phx_join", page.join_payload()).encode())
            reply = await _recv(ws)
            assert (reply.ref, reply.status) == ("1", "ok")
            assert "<p>Count: 0</p>" in client_html(page.view_id, reply.response["rendered"])
        async with websockets.connect(f"ws://{base}/echo", compression="deflate") as ws:
            assert ws.response is not None
            assert "permessage-deflate" in ws.response.headers["Sec-WebSocket-Extensions"]
            await ws.send("hello")
            assert await ws.recv() == "hello"
        stop.set()
