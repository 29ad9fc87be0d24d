"""A small load run against a real server: 300 LiveViews connected at once to one
``python -m gallery`` (hypercorn, asyncio worker) from the load generator of
``benchmarks/load.py`` (``nox -s load`` runs the full-size figures); every view joins and every
event is answered. And the closed loop of ``benchmarks/live.py`` at 50 connections counts each
reply once. No timing is asserted."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator

import pytest

from benchmarks.live import (
    CONNECTIONS,
    COUNTER_PATH,
    LiveClient,
    Load,
    Server,
    closed_loop,
    gallery_server,
)
from benchmarks.load import LoadClient, raise_open_files
from benchmarks.wire import LeanWebSocket

VIEWS = 300


@pytest.fixture(scope="module")
def gallery() -> Iterator[Server]:
    server = gallery_server("asyncio")
    server.start(None)
    try:
        server.wait_ready(COUNTER_PATH)
        yield server
    finally:
        server.stop()


def test_300_connected_views_all_join_and_all_events_are_answered(gallery: Server) -> None:
    raise_open_files(VIEWS + 200)
    client = LoadClient.for_live(gallery.port)  # offers permessage-deflate, as browsers do

    async def run() -> list[float]:
        try:
            await client.open(VIEWS)
            assert len(client.views) == VIEWS  # each one joined (a refused join raises)
            replied = await client.steady(rate=VIEWS, seconds=1)  # raises unless each is "ok"
            for view in client.views:  # and every view still answers its own click
                await client.event(view)
            return replied
        finally:
            await client.close()

    replied = asyncio.run(asyncio.wait_for(run(), 240))
    assert len(replied) == VIEWS
    assert client.extensions == {"none"}  # python -m gallery declines permessage-deflate


def test_the_closed_loop_counts_each_counter_reply_once(gallery: Server) -> None:
    async def run() -> tuple[Load, list[int]]:
        clients = [LiveClient(gallery.port, COUNTER_PATH, "lean") for _ in range(CONNECTIONS)]
        try:
            for client in clients:
                await client.open()
            pairs = []
            for client in clients:
                assert isinstance(client.ws, LeanWebSocket)
                pairs.append((client.ws, functools.partial(client.next_event, "inc", {})))
            load = Load()
            closed_loop(pairs, 0.5, load)
            counts = []
            for client in clients:  # each view's count is the clicks the loop counted for it
                (count,) = (await client.push("inc", {})).diff.values()  # the one changed slot
                counts.append(int(count) - 1)
            return load, counts
        finally:
            for client in clients:
                await client.close()

    load, counts = asyncio.run(asyncio.wait_for(run(), 120))
    assert load.events == len(load.rtt_ns) == sum(counts)
    assert min(counts) > 0  # every connection had its turn
