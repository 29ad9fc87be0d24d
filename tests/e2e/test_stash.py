"""Stashed assigns across a real server restart (docs/stash.md), in Chromium with the official
client and pylive's bundle: ``pylive serve stash_apps:app`` is stopped and started again on the
same port; the page reconnects by itself and shows the stashed count, not a fresh mount. Once
with the signed client token (``ClientStash``), once with a real ``redis-server``
(``RedisStash``). A reload is a new page: it mounts afresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from redis_support import RedisServer, redis_server
from served import free_port

from e2e.support import MAIN, ServerProcess, app_server, connected, mark_document, same_document

__all__ = ["redis_server"]  # the fixture the redis case asks for


@pytest.fixture(params=["client", "redis"])
def server(
    request: pytest.FixtureRequest,
    client_bundle: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[ServerProcess]:
    """``stash_apps:app`` served by a real hypercorn, its stash in the client or in Redis."""
    if request.param == "redis":
        redis: RedisServer = request.getfixturevalue("redis_server")
        monkeypatch.setenv("STASH_REDIS", redis.url)
    process = app_server("stash_apps:app", free_port(), tmp_path / "server.log")
    process.start()
    try:
        yield process
    finally:
        process.stop()


def test_the_count_survives_a_server_restart(page: Page, server: ServerProcess) -> None:
    page.goto("/")
    connected(page)
    mark_document(page)
    count = page.locator("#count")
    for n in (1, 2, 3):
        page.click("#inc")
        expect(count).to_have_text(f"Count: {n}")
    page.click("#click")
    expect(page.locator("#clicks")).to_have_text("Clicks: 1")

    server.stop()  # a deploy: live sockets close with 1001, the client reconnects
    expect(page.locator(MAIN)).not_to_contain_class("phx-connected")
    server.start()  # a new process on the same port, with the same secret key

    connected(page)
    expect(page.locator("#restored")).to_have_text("restored")
    expect(count).to_have_text("Count: 3")  # stashed
    expect(page.locator("#steps")).to_have_text("1, 2, 3")
    expect(page.locator("#clicks")).to_have_text("Clicks: 0")  # not stashed: mount's value
    assert same_document(page)  # no page load: the same page rejoined
    # the token rides in the view's join params only, never in the socket's URL
    assert "_stash" not in page.evaluate("liveSocket.socket.endPointURL()")
    page.click("#inc")
    expect(count).to_have_text("Count: 4")

    page.reload()  # a new page (new view ids): a fresh mount
    connected(page)
    expect(count).to_have_text("Count: 0")
    expect(page.locator("#restored")).to_have_text("fresh")
