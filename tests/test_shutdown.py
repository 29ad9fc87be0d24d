"""docs/deployment.md's recipes, for real: each server runs the page's FastAPI app (pylive
mounted, with the documented lifespan) in a subprocess; a WebSocket client joins the live view;
the server is sent SIGTERM or SIGINT, and the client must see close code 1001 — what pylive
sends when the server's stop hook closes the live sockets. Without the hook hypercorn closes with
1011 after its graceful timeout and uvicorn with 1012, so the code tells whose close it was.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import websockets
from test_docs import ROOT, doc_examples

from pylive.testing.page import parse_page
from pylive.testing.phoenix import Frame

pytestmark = pytest.mark.anyio

PAGE = ROOT / "docs" / "deployment.md"
WAIT = 60.0
"""Seconds any condition may take to hold (a loaded CI machine starts Python slowly)."""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the websockets client needs asyncio; the servers run in subprocesses


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _write_examples(where: Path, port: int) -> None:
    """The page's files, listening on ``port`` instead of the page's 8000."""
    for example in doc_examples(PAGE):
        if example.file is not None:
            (where / example.file).write_text(example.code.replace("8000", str(port)))


SERVERS = {
    "pylive serve": lambda port: [
        *(sys.executable, "-m", "pylive.cli", "serve", "web:app", "--port", str(port)),
    ],
    "hypercorn shutdown_trigger": lambda port: [sys.executable, "serve_hypercorn.py"],
    "uvicorn Server.shutdown": lambda port: [sys.executable, "serve_uvicorn.py"],
}


@pytest.fixture(params=list(SERVERS))
def server(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = _free_port()
    _write_examples(tmp_path, port)
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "server.log").open("w+")
    proc = subprocess.Popen(
        SERVERS[request.param](port),
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_stopping_the_server_closes_live_sockets_with_1001(
    server: tuple[subprocess.Popen[str], int], signum: signal.Signals, tmp_path: Path
) -> None:
    proc, port = server
    base = f"http://127.0.0.1:{port}"
    response = await _get_when_up(proc, f"{base}/app/", tmp_path)
    page = parse_page(response.text, f"{base}/app/")
    assert page is not None and page.csrf_token, response.text
    cookie = "; ".join(f"{k}={v}" for k, v in response.cookies.items())
    url = (
        f"ws://127.0.0.1:{port}{page.socket_path}/websocket?_csrf_token={page.csrf_token}&vsn=2.0.0"
    )
    async with websockets.connect(url, additional_headers={"Cookie": cookie}) as ws:
        await ws.send(Frame("1", "1", page.topic, "phx_join", page.join_payload()).encode())
        with anyio.fail_after(WAIT):
            reply = Frame.decode(await ws.recv())
        assert (reply.event, reply.status) == ("phx_reply", "ok"), reply

        proc.send_signal(signum)
        with anyio.fail_after(WAIT), pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await ws.recv()
    received = closed.value.rcvd
    log = _log(tmp_path)
    assert received is not None and received.code == 1001, f"{closed.value}\n{log}"

    with anyio.fail_after(WAIT):
        while proc.poll() is None:
            await anyio.sleep(0.05)
    assert "Traceback" not in _log(tmp_path), _log(tmp_path)


async def _get_when_up(proc: subprocess.Popen[str], url: str, log_dir: Path) -> Any:
    """GET ``url`` once the server listens (it fails the test if the server exits first)."""
    with anyio.fail_after(WAIT):
        async with httpx.AsyncClient() as client:
            while True:
                assert proc.poll() is None, f"the server exited:\n{_log(log_dir)}"
                try:
                    response = await client.get(url)
                except httpx.TransportError:
                    await anyio.sleep(0.05)
                    continue
                assert response.status_code == 200, response.text
                return response


def _log(where: Path) -> str:
    return (where / "server.log").read_text()
