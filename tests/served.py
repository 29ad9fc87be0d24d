"""A real server in a subprocess and a real WebSocket client joined to one of its live views
(tests/test_cli.py, tests/test_shutdown.py); a real hypercorn in the test's own event loop
(``hypercorn_serving``), with the client's address from ``X-Forwarded-For`` (``behind_proxy``)."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import websockets
from hypercorn.config import Config
from hypercorn.middleware import ProxyFixMiddleware
from starlette.types import ASGIApp

from pylive.cli import serve
from pylive.testing.page import parse_page
from pylive.testing.phoenix import Frame

WAIT = 60.0
"""Seconds any condition may take to hold (a loaded CI machine starts Python slowly)."""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int
    log_path: Path

    @property
    def log(self) -> str:
        """Everything the server wrote to stdout and stderr so far."""
        return self.log_path.read_text()

    async def get_when_up(self, path: str) -> httpx.Response:
        """GET ``path`` once the server listens (fails if the server exits first)."""
        with anyio.fail_after(WAIT):
            async with httpx.AsyncClient() as client:
                while True:
                    assert self.proc.poll() is None, f"the server exited:\n{self.log}"
                    try:
                        return await client.get(f"http://127.0.0.1:{self.port}{path}")
                    except httpx.TransportError:
                        await anyio.sleep(0.05)

    async def wait_for_log(self, text: str) -> str:
        """Wait until the server's output contains ``text``; returns the output."""
        with anyio.fail_after(WAIT):
            while text not in self.log:
                assert self.proc.poll() is None, f"the server exited:\n{self.log}"
                await anyio.sleep(0.05)
        return self.log

    async def wait_for_exit(self) -> int:
        with anyio.fail_after(WAIT):
            while self.proc.poll() is None:
                await anyio.sleep(0.05)
        return self.proc.returncode


@contextmanager
def serving(command: Sequence[str], where: Path, port: int) -> Iterator[Server]:
    """Run ``command`` in ``where`` (importable: ``PYTHONPATH``, before this checkout's pylive);
    killed at the end if alive."""
    path = os.pathsep.join([str(where), str(Path(__file__).resolve().parents[1])])
    env = {**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1"}
    log_path = where / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            list(command), cwd=where, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        try:
            yield Server(proc, port, log_path)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


async def join(server: Server, path: str, **options: Any) -> tuple[Any, str]:
    """Load the live page at ``path`` and join its view over a real WebSocket, as the browser
    does: returns the open connection (close it yourself) and the view's topic. ``options``
    go to ``websockets.connect``."""
    response = await server.get_when_up(path)
    assert response.status_code == 200, response.text
    url = f"http://127.0.0.1:{server.port}{path}"
    page = parse_page(response.text, url)
    assert page is not None and page.csrf_token, response.text
    cookie = "; ".join(f"{k}={v}" for k, v in response.cookies.items())
    query = f"_csrf_token={page.csrf_token}&vsn=2.0.0"
    ws_url = f"ws://127.0.0.1:{server.port}{page.socket_path}/websocket?{query}"
    ws = await websockets.connect(ws_url, additional_headers={"Cookie": cookie}, **options)
    await ws.send(Frame("1", "1", page.topic, "phx_join", page.join_payload()).encode())
    with anyio.fail_after(WAIT):
        reply = Frame.decode(await ws.recv())
    assert (reply.event, reply.status) == ("phx_reply", "ok"), reply
    return ws, page.topic


@asynccontextmanager
async def hypercorn_serving(app: Any) -> AsyncIterator[str]:
    """Serve ``app`` on a real hypercorn (``pylive serve``'s) in this event loop for the block;
    yields its ``127.0.0.1:port`` once it answers ``/``."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    base = f"127.0.0.1:{sock.getsockname()[1]}"
    config = Config()
    config.bind = [f"fd://{sock.detach()}"]  # hypercorn owns the fd; connections queue already
    config.graceful_timeout = 2
    stop = anyio.Event()
    async with anyio.create_task_group() as tg:
        tg.start_soon(lambda: serve(app, config, stop=stop.wait))
        async with httpx.AsyncClient(timeout=WAIT) as client:
            await client.get(f"http://{base}/")
        try:
            yield base
        finally:
            stop.set()


def behind_proxy(app: ASGIApp) -> ASGIApp:
    """``app`` taking the client's address from ``X-Forwarded-For`` (one proxy in front), as
    hypercorn's ``ProxyFixMiddleware`` does."""
    # hypercorn's ASGI types differ from starlette's, not the calls
    proxied: ASGIApp = ProxyFixMiddleware(app, mode="legacy", trusted_hops=1)  # type: ignore[arg-type,assignment]
    return proxied
