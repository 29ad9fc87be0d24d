"""``AddressRateLimit(sockets=...)`` in Chromium under ``pylive serve`` (``e2e.rate_app``): a
second page's live socket, over its address's rate, is refused with HTTP 429 (the WebSocket,
then the long-poll try), and the official client, which cannot tell 429 from 503, retries
with its backoff and connects once the window is over, while the first page goes on."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, expect

from e2e.conftest import TIMEOUT_MS
from e2e.support import MAIN, connected, running_app

WAIT = 60.0
"""Seconds to wait for a refusal, then for the next window. The app's window is 20 s long, so
that a slow machine's second page still opens its socket inside the first page's window."""


def test_a_socket_over_the_rate_connects_in_the_next_window(
    browser: Browser, client_bundle: Path, tmp_path: Path
) -> None:
    with running_app("e2e.rate_app:app", tmp_path) as server:
        context = browser.new_context(base_url=server.url)
        context.set_default_timeout(TIMEOUT_MS)
        first, second = context.new_page(), context.new_page()
        first.goto("/")
        connected(first)
        second.goto("/")
        expect(second.locator("#inc")).to_be_visible()  # the HTTP render is not limited
        deadline = time.monotonic() + WAIT
        while _refused(server.url) == 0:
            assert time.monotonic() < deadline, "no socket was refused"
            time.sleep(0.05)
        first.click("#inc")  # the open socket goes on
        expect(first.locator("p")).to_contain_text("count: 1")
        # the next window: up to 20 s after the first socket, plus the client's backoff
        second.wait_for_selector(f"{MAIN}.phx-connected", state="attached", timeout=WAIT * 1000)
        second.click("#inc")
        expect(second.locator("p")).to_contain_text("count: 1")
        context.close()


def _refused(url: str) -> int:
    with urllib.request.urlopen(url + "/refused", timeout=10) as response:
        return int(response.read())
