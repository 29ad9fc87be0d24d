"""A small load run against a real server: 300 LiveViews connected at once to one
``python -m gallery`` (hypercorn, asyncio worker) from the load generator of
``benchmarks/load.py`` (``nox -s load`` runs the full-size figures); every view joins and every
event is answered. No timing is asserted."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from benchmarks.live import COUNTER_PATH, Server, gallery_server
from benchmarks.load import LoadClient, raise_open_files

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
