"""docs/deployment.md's recipes, for real: each server runs the page's FastAPI app (pylive
mounted, with the documented lifespan) in a subprocess; a WebSocket client joins the live view;
the server is sent SIGTERM or SIGINT, and the client must see close code 1001 — what pylive
sends when the server's stop hook closes the live sockets. Without the hook hypercorn closes with
1011 after its graceful timeout and uvicorn with 1012, so the code tells whose close it was.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
import websockets
from served import WAIT, free_port, join, serving
from test_docs import ROOT, doc_examples

pytestmark = pytest.mark.anyio

PAGE = ROOT / "docs" / "deployment.md"

SERVERS: dict[str, Callable[[int], list[str]]] = {
    "pylive serve": lambda port: [
        *(sys.executable, "-m", "pylive.cli", "serve", "web:app", "--port", str(port)),
    ],
    "hypercorn shutdown_trigger": lambda port: [sys.executable, "serve_hypercorn.py"],
    "uvicorn Server.shutdown": lambda port: [sys.executable, "serve_uvicorn.py"],
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the websockets client needs asyncio; the servers run in subprocesses


def _write_examples(where: Path, port: int) -> None:
    """The page's files, listening on ``port`` instead of the page's 8000."""
    for example in doc_examples(PAGE):
        if example.file is not None:
            (where / example.file).write_text(example.code.replace("8000", str(port)))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("server_name", list(SERVERS))
async def test_stopping_the_server_closes_live_sockets_with_1001(
    server_name: str, signum: signal.Signals, tmp_path: Path
) -> None:
    port = free_port()
    _write_examples(tmp_path, port)
    with serving(SERVERS[server_name](port), tmp_path, port) as server:
        ws, _ = await join(server, "/app/")
        async with ws:
            server.proc.send_signal(signum)
            with anyio.fail_after(WAIT), pytest.raises(websockets.ConnectionClosed) as closed:
                while True:
                    await ws.recv()
        received = closed.value.rcvd
        assert received is not None and received.code == 1001, f"{closed.value}\n{server.log}"
        await server.wait_for_exit()
        assert "Traceback" not in server.log, server.log


async def test_sigterm_closes_every_live_socket_with_1001_and_exits_0(tmp_path: Path) -> None:
    """``pylive serve`` with several live clients: SIGTERM closes each of them with 1001 and the
    process exits with status 0 (``nox -s shutdown`` runs this on every Python it finds)."""
    port = free_port()
    _write_examples(tmp_path, port)
    with serving(SERVERS["pylive serve"](port), tmp_path, port) as server:
        clients = [(await join(server, "/app/"))[0] for _ in range(3)]
        server.proc.send_signal(signal.SIGTERM)
        codes = []
        for ws in clients:
            async with ws:
                with anyio.fail_after(WAIT), pytest.raises(websockets.ConnectionClosed) as closed:
                    while True:
                        await ws.recv()
            codes.append(None if closed.value.rcvd is None else closed.value.rcvd.code)
        assert codes == [1001, 1001, 1001], server.log
        assert await server.wait_for_exit() == 0, server.log
        assert "Traceback" not in server.log, server.log
