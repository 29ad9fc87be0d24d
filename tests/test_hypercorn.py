"""The real thing: hypercorn on 127.0.0.1, a real WebSocket client, graceful shutdown (1001)."""

from __future__ import annotations

import re
import socket
from typing import Any

import anyio
import httpx
import orjson
import pytest
from diff_values import diff_reply, to_html
from hypercorn.config import Config
from live_apps import make_app

from pylive.cli import serve

websockets = pytest.importorskip("websockets")

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the websockets client is asyncio-only


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
        async with httpx.AsyncClient() as client:
            page = await client.get(f"http://{base}/")
        html = page.text
        csrf = _find(r'name="csrf-token" content="([^"]+)"', html)
        view_id = _find(r'<div id="([^"]+)" data-phx-main', html)
        session = _find(r'data-phx-session="([^"]+)"', html)
        static = _find(r'data-phx-static="([^"]+)"', html)
        cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
        url = f"ws://{base}/live/websocket?_csrf_token={csrf}&vsn=2.0.0"
        async with websockets.connect(url, additional_headers={"Cookie": cookie}) as ws:
            topic = f"lv:{view_id}"
            join = {
                "url": f"http://{base}/",
                "params": {"_mounts": 0},
                "session": session,
                "static": static,
            }
            await ws.send(orjson.dumps(["1", "1", topic, "phx_join", join]).decode())
            reply = await _recv(ws)
            assert reply[4]["status"] == "ok"
            assert "<p>Count: 0</p>" in to_html(reply[4]["response"]["rendered"])
            click = {"type": "click", "event": "inc", "value": {"value": ""}}
            await ws.send(orjson.dumps(["1", "2", topic, "event", click]).decode())
            *head, payload = await _recv(ws)
            assert head == ["1", "2", topic, "phx_reply"] and set(payload) == {"status", "response"}
            assert diff_reply((payload["status"], payload["response"])) == ("ok", ["1"])
            stop.set()
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await _recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001


async def _recv(ws: Any) -> Any:
    with anyio.fail_after(5):
        return orjson.loads(await ws.recv())


def _find(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, pattern
    return found.group(1)
