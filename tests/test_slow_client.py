"""A client that sends events but never reads what the server answers, against a real
``pylive serve`` (hypercorn) in a subprocess (issue #14, faults).

Once the client's TCP window is full, the server's writes wait: its views wait with them (each
holds at most one answer; the socket's outbox holds at most 256 frames), their mailboxes fill, and
the socket stops reading from the client. So the server's memory stays bounded: each answer here
is ~50 kB and the clients ask for 200 MB of them. The socket, reading nothing more, ends the views
once its heartbeat timeout has passed; the kernel drops the connection once the server's data has
waited ``--send-timeout`` for the client (without it hypercorn would keep the connection forever),
and whichever comes first ends the other.
"""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest
import websockets
from served import WAIT, Server, free_port, join, serving

from pylive.testing.phoenix import Frame

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(sys.platform != "linux", reason="reads the server's /proc entries"),
]

HEARTBEAT_TIMEOUT = 1.0
SEND_TIMEOUT = 3.0
ANSWER_BYTES = 50_000
EVENTS = 4_000
"""Events each client sends (if the server reads them all): 200 MB of answers per client."""
CLIENTS = 2
MEMORY_BOUND = 150 * 1024 * 1024
"""How much the server's RSS may grow while the clients stall it: generous for the bounded
buffers (outbox, mailbox, the TCP buffers) of ``CLIENTS`` connections, far below what holding
every answer would take."""

APP = f"""
import logging
import os

from htpy import button, div, p

from pylive import LiveApp, LiveRoute, LiveView


class Big(LiveView):
    async def mount(self, socket, params, session):
        socket.assign(blob="")

    async def handle_event(self, socket, event, params):
        socket.assign(blob=os.urandom({ANSWER_BYTES // 2}).hex())  # a new 50 kB answer

    def render(self, assigns):
        return div[p[assigns.blob], button(phx_click="grow")["grow"]]


app = LiveApp([LiveRoute("/", Big)], secret_key="slow", heartbeat_timeout={HEARTBEAT_TIMEOUT})
logging.getLogger("pylive.phoenix_socket").setLevel(logging.INFO)  # the watchdog's closes
"""

ESTABLISHED = "01"  # the TCP state in /proc/net/tcp


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the websockets client needs asyncio; the server runs in a subprocess


def rss(pid: int) -> int:
    """The resident memory of process ``pid``, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for {pid}")


def established(server_port: int, client_port: int) -> bool:
    """Whether the server still has its end of the connection from ``client_port`` open."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, remote, state = line.split()[1:4]
        if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == (
            client_port
        ):
            return state == ESTABLISHED
    return False


async def flood(ws: websockets.ClientConnection, topic: str) -> None:
    """Send ``EVENTS`` events as fast as the server takes them; never read."""
    event = {"type": "click", "event": "grow", "value": {}}
    try:
        for ref in range(2, EVENTS + 2):
            await ws.send(Frame("1", str(ref), topic, "event", event).encode())
    except websockets.ConnectionClosed:
        pass


async def test_a_client_that_never_reads_is_closed_and_memory_stays_bounded(
    tmp_path: Path,
) -> None:
    (tmp_path / "slow_app.py").write_text(APP)
    port = free_port()
    command = [
        *(sys.executable, "-m", "pylive.cli", "serve", "slow_app:app", "--port", str(port)),
        *("--send-timeout", str(SEND_TIMEOUT)),
    ]
    with serving(command, tmp_path, port) as server:
        await stall_the_server(server)


async def stall_the_server(server: Server) -> None:
    # max_queue=1: the client library stops reading from its TCP socket after one frame;
    # ping_interval=None: nor does it ever close the connection by itself
    options = {"max_queue": 1, "ping_interval": None}
    joined = [await join(server, "/", **options) for _ in range(CLIENTS)]
    ports = [ws.local_address[1] for ws, _ in joined]
    before = peak = rss(server.proc.pid)
    async with anyio.create_task_group() as tg:
        for ws, topic in joined:
            tg.start_soon(flood, ws, topic)
        with anyio.fail_after(WAIT):
            while any(established(server.port, p) for p in ports):
                peak = max(peak, rss(server.proc.pid))
                await anyio.sleep(0.05)
        tg.cancel_scope.cancel()
    for ws, _ in joined:
        ws.transport.abort()
    print(f"server RSS {before / 2**20:.0f} MiB before, {peak / 2**20:.0f} MiB at the peak")
    assert peak - before < MEMORY_BOUND, f"{before=} {peak=}"
    assert "Traceback" not in server.log, server.log
    assert server.proc.poll() is None  # the server goes on
    ws, _ = await join(server, "/")  # and serves live views
    await ws.close()
