"""Clients that vanish leave nothing behind (issue #14, faults).

Two ways to vanish, in-process over ASGI: a client that goes silent with its connection still
open (no heartbeat: the socket's heartbeat timeout closes it with 1001), and a connection dropped
without a close frame (the server sees a disconnect, code 1006). Either way each joined view ends:
after many connect/join/vanish cycles the app's registry of live sockets is empty, the number of
running tasks is back where it was, and neither the objects the garbage collector tracks nor
the memory blocks Python has allocated have grown beyond a small bound. (Those two counts cost
nothing to take, where ``tracemalloc`` would triple the run's time: a view, socket or task left
behind per cycle is dozens of objects and blocks, so it shows after a few hundred cycles.)
(The app's heartbeat timeout is 2 s here instead of 60.)

The suite runs ``CYCLES`` cycles (``PYLIVE_VANISH_CYCLES``, default 500) per backend;
``nox -s vanish`` runs 10,000.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from contextlib import AsyncExitStack
from typing import Any

import anyio
import pytest
from htpy import Element, p

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket
from pylive.testing import LiveClient
from pylive.testing.page import LivePage

pytestmark = pytest.mark.anyio

CYCLES = int(os.environ.get("PYLIVE_VANISH_CYCLES", "500"))
ALIVE = 1000
"""Connections alive at once (most of them silent, waiting for the heartbeat timeout)."""
JOINING = 20
"""Connections being opened and joined at once: few, so that each join reaches the server well
within its heartbeat timeout however busy the machine is."""
HEARTBEAT_TIMEOUT = 2.0
PATIENCE = 60.0
"""Seconds any wait may take (never reached when things work)."""
OBJECTS_BOUND = CYCLES
"""Objects (tracked by the garbage collector) the cycles may add: fewer than one per cycle. A
busy machine changes the path some cycles take (a heartbeat timeout during a join), which can
leave a few hundred objects in bounded caches; anything left per cycle exceeds the bound."""
BLOCKS_BOUND = 2000
"""Memory blocks (``sys.getallocatedblocks``) the cycles may add, whatever their number."""


class Hello(LiveView):
    """As little as a view can be: the cycles measure the connection, not rendering."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(name="world")

    def render(self, assigns: Assigns) -> Element:
        return p[f"Hello, {assigns.name}"]


async def vanish(
    client: LiveClient, page: LivePage, joining: anyio.Semaphore, silent: bool
) -> None:
    """Connect and join, then either send nothing (the server must close the socket with 1001)
    or disconnect without a close frame (the harness waits for the app to end)."""
    async with AsyncExitStack() as stack:
        async with joining:
            conn = await stack.enter_async_context(client.connect(page, timeout=PATIENCE))
            status, _ = await conn.expect_reply(await conn.join(page.topic, page.join_payload()))
            assert status == "ok"
        if silent:
            assert await conn.expect_close(timeout=PATIENCE) == 1001


async def cycles(app: LiveApp, client: LiveClient, page: LivePage, count: int) -> None:
    """``count`` cycles, half silent, half dropped, at most ``ALIVE`` at a time."""
    alive, joining = anyio.Semaphore(ALIVE), anyio.Semaphore(JOINING)

    async def cycle(silent: bool) -> None:
        try:
            await vanish(client, page, joining, silent)
        finally:
            alive.release()

    async with anyio.create_task_group() as tg:
        for i in range(count):
            await alive.acquire()
            tg.start_soon(cycle, i % 2 == 1)
    assert not app.runtime.sockets  # every socket ended and left the app's registry


def counts() -> tuple[int, int]:
    """Objects the garbage collector tracks and memory blocks allocated, after a collection."""
    gc.collect()
    return len(gc.get_objects()), sys.getallocatedblocks()


async def tasks_back_to(baseline: int) -> int:
    """Wait (with a deadline) until no more tasks run than ``baseline``; returns the count."""
    with anyio.move_on_after(PATIENCE):
        while len(anyio.get_running_tasks()) > baseline:
            await anyio.sleep(0.01)
    return len(anyio.get_running_tasks())


async def test_vanished_clients_leave_no_task_socket_or_object_behind() -> None:
    app = LiveApp([LiveRoute("/", Hello)], heartbeat_timeout=HEARTBEAT_TIMEOUT, secret_key="v")
    client = LiveClient(app, timeout=PATIENCE)
    page = client.page_of(await client.get("/"))
    # INFO records of joins and closes would pile up in pytest's log capture (when an earlier
    # test left a pylive logger at INFO) and count as growth: only warnings and errors here
    logging.disable(logging.INFO)
    try:
        await cycles(app, client, page, 200)  # warm caches up before the baseline
        tasks, (objects, blocks) = len(anyio.get_running_tasks()), counts()
        await cycles(app, client, page, CYCLES)
        assert await tasks_back_to(tasks) == tasks
        now_objects, now_blocks = counts()
    finally:
        logging.disable(logging.NOTSET)
    print(f"{CYCLES} cycles: {now_objects - objects:+} objects, {now_blocks - blocks:+} blocks")
    assert now_objects - objects < OBJECTS_BOUND
    assert now_blocks - blocks < BLOCKS_BOUND
