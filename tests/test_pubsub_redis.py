"""Pub/sub and presence across processes: two ``pylive serve --pubsub redis://...`` servers on
different ports share a real ``redis-server`` (tests/redis_support.py). A broadcast in one
reaches views in the other; presence is the same on both; when Redis is killed and started again
local delivery never stops, the other process's presences expire after the TTL, delivery
between the processes resumes within 2 s and presence heals (one entry per view); when one server
is killed its presences expire on the other."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from e2e.support import ServerProcess
from redis_support import RedisServer, redis_server
from served import WAIT, Server, free_port, join

__all__ = ["redis_server"]  # the fixture, imported for this module

pytestmark = pytest.mark.anyio

RESUME = 2.0
"""Seconds within which messages between processes flow again once Redis is back."""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the websockets client needs asyncio; the servers run in subprocesses


class PubSubServer(ServerProcess):
    def __init__(self, port: int, log: Path, redis_url: str) -> None:
        args = ["-m", "pylive.cli", "serve", "pubsub_apps:app", "--port", str(port)]
        super().__init__(port, log, [*args, "--pubsub", redis_url])

    def kill(self) -> None:
        """SIGKILL: no goodbye to the others, its presences must expire."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()

    @property
    def served(self) -> Server:
        assert self._process is not None
        return Server(self._process, self.port, self.log)  # type: ignore[arg-type]


@pytest.fixture
def servers(redis_server: RedisServer, tmp_path: Path) -> Iterator[list[PubSubServer]]:
    pair = [
        PubSubServer(free_port(), tmp_path / f"server{n}.log", redis_server.url) for n in (1, 2)
    ]
    try:
        for server in pair:
            server.start()
        yield pair
    finally:
        for server in pair:
            server.kill()


async def _get(server: ServerProcess, path: str) -> Any:
    async with httpx.AsyncClient() as client:
        response = await client.get(server.url + path, timeout=WAIT)
        response.raise_for_status()
        return response.json()


async def _announce(server: ServerProcess, text: str) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{server.url}/announce/lobby?text={text}", timeout=WAIT)
        response.raise_for_status()


async def _until(check: Callable[[], Awaitable[Any]], what: str, timeout: float = WAIT) -> None:
    with anyio.fail_after(timeout):
        while not await check():
            await anyio.sleep(0.05)


async def _connected(server: ServerProcess) -> bool:
    return bool((await _get(server, "/"))["connected"])


async def _online(server: ServerProcess) -> dict[str, int]:
    """Who is online in the lobby, and with how many entries each."""
    return {k: len(v["metas"]) for k, v in (await _get(server, "/online/lobby")).items()}


class Frames:
    """Every frame a joined view received so far, as text."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.seen: list[str] = []

    async def wait_for(self, text: str, timeout: float = WAIT) -> None:
        with anyio.fail_after(timeout):
            while not any(text in frame for frame in self.seen):
                self.seen.append(str(await self.ws.recv()))


async def test_broadcast_and_presence_across_processes_survive_a_redis_restart(
    servers: list[PubSubServer], redis_server: RedisServer
) -> None:
    one, two = servers
    for server in servers:
        await _until(partial(_connected, server), "connected to Redis")
    ws1, _ = await join(one.served, "/room/lobby?user=ada")
    ws2, _ = await join(two.served, "/room/lobby?user=bob")
    ada, bob = Frames(ws1), Frames(ws2)
    try:
        # a broadcast in one process reaches views in both
        await _announce(one, "hello-from-one")
        await bob.wait_for("server: hello-from-one")
        await ada.wait_for("server: hello-from-one")
        await _announce(two, "hello-from-two")
        await ada.wait_for("server: hello-from-two")

        # presence: the same on both, one entry per view
        for server in servers:
            await _until(
                partial(_online_is, server, {"ada": 1, "bob": 1}), "both online everywhere"
            )

        # Redis dies: each process still delivers to its own views
        redis_server.kill()
        await _announce(one, "local-during-outage")
        await ada.wait_for("server: local-during-outage", timeout=10)
        for server in servers:
            await _until(partial(_disconnected, server), "noticed the outage")
        # unheard of for the TTL, the other process's presences expire; one's own stay
        await _until(partial(_online_is, one, {"ada": 1}), "bob expired on one")
        await _until(partial(_online_is, two, {"bob": 1}), "ada expired on two")
        await _announce(two, "still-local-on-two")
        await bob.wait_for("server: still-local-on-two", timeout=10)

        # Redis is back: delivery between processes resumes within RESUME seconds
        redis_server.start()
        back = time.monotonic()
        n = 0

        async def crossed() -> bool:
            nonlocal n
            n += 1
            await _announce(one, f"after-restart-{n}")
            try:
                await bob.wait_for("server: after-restart-", timeout=0.1)
            except TimeoutError:
                return False
            return True

        await _until(crossed, "delivery resumed", timeout=WAIT)
        resumed = time.monotonic() - back
        assert resumed < RESUME, f"delivery between processes resumed after {resumed:.2f}s"
        print(f"delivery between processes resumed {resumed:.2f}s after Redis was back")

        # presence heals from the snapshots: one entry each again, on both processes
        for server in servers:
            await _until(partial(_online_is, server, {"ada": 1, "bob": 1}), "presence healed")

        # a server killed: its views' presences expire on the other
        two.kill()
        await _until(partial(_online_is, one, {"ada": 1}), "bob expired")
    finally:
        await ws1.close()
        await ws2.close()


async def _online_is(server: ServerProcess, want: dict[str, int]) -> bool:
    return await _online(server) == want


async def _disconnected(server: ServerProcess) -> bool:
    return not await _connected(server)


def test_serve_refuses_redis_on_trio() -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pylive.cli", "serve", "pubsub_apps:app"),
            *("--worker-class", "trio", "--pubsub", "redis://127.0.0.1:1/0"),
        ],
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert result.returncode != 0
    assert "needs asyncio" in result.stderr
