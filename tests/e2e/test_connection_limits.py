"""``LiveApp(max_connections=1)`` in Chromium under ``pylive serve`` (``e2e.limits_app``): a
second page's live socket is refused (HTTP 503) while the first is open, and that page
connects on its own, through the official client's reconnect backoff, once the first closes.
With the long-poll fallback (the default) the client tries long-poll after the refused
WebSocket, is refused there too, and connects over long-poll; without it, over the
WebSocket."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from e2e.conftest import TIMEOUT_MS
from e2e.support import MAIN, connected, running_app

WAIT = 60.0


@pytest.mark.parametrize(("app", "long_poll"), [("app", True), ("websocket_only", False)])
def test_a_page_over_the_cap_connects_once_a_slot_frees(
    browser: Browser, client_bundle: Path, tmp_path: Path, app: str, long_poll: bool
) -> None:
    with running_app(f"e2e.limits_app:{app}", tmp_path) as server:
        first_context = browser.new_context(base_url=server.url)
        first = first_context.new_page()
        first.goto("/")
        connected(first)
        second_context = browser.new_context(base_url=server.url)
        second_context.set_default_timeout(TIMEOUT_MS)
        second = second_context.new_page()
        second.goto("/")
        expect(second.locator("#inc")).to_be_visible()  # the HTTP render is not capped
        _wait_for(lambda: "refusing live sockets (HTTP 503)" in server.log.read_text())
        assert second.locator(f"{MAIN}.phx-connected").count() == 0
        assert _open(server.url) == 1
        first.click("#inc")  # the open socket goes on
        expect(first.locator("p")).to_contain_text("count: 1")
        first_context.close()  # frees the slot
        connected(second)
        second.click("#inc")
        expect(second.locator("p")).to_contain_text("count: 1")
        transport = "window.liveSocket.socket.transport === window.Phoenix.LongPoll"
        assert second.evaluate(transport) is long_poll
        second_context.close()


def _open(url: str) -> int:
    with urllib.request.urlopen(url + "/open", timeout=10) as response:
        return int(response.read())


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        time.sleep(0.05)
