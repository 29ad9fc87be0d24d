"""The long-poll fallback in Chromium with the official client: with the WebSocket refused
(Playwright answers the page's WebSocket and closes it), the page connects over
``/live/longpoll`` after ``longPollFallbackMs``; clicks round-trip, an upload's binary chunks
travel as base64 lines, and closing the page frees its session on the server."""

from __future__ import annotations

import hashlib
import os
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from e2e.support import ServerProcess, connected, running_app

WAIT = 60.0
"""Seconds the server may take to notice a closed page (its timeout is 2 s)."""


def refuse_websockets(page: Page) -> list[str]:
    """Make every WebSocket of the page fail as a blocking proxy would; returns the list the
    long-poll requests' URLs are recorded in."""

    def refuse(ws: WebSocketRoute) -> None:
        ws.close(code=1011, reason="blocked")

    page.route_web_socket("**/live/websocket**", refuse)
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/live/longpoll" in r.url else None)
    return polls


def on_long_poll(page: Page) -> bool:
    return bool(
        page.evaluate(
            "() => { const s = window.liveSocket.getSocket();"
            " return s.transport === s.getLongPollTransport() && s.isConnected(); }"
        )
    )


def test_the_counter_connects_over_long_poll_and_clicks_work(page: Page) -> None:
    polls = refuse_websockets(page)
    page.goto("/demos/counter")
    connected(page)
    assert on_long_poll(page)
    assert polls and all("vsn=2.0.0" in url and "_csrf_token=" in url for url in polls)
    # the choice is remembered for the tab, as Phoenix does
    assert page.evaluate("sessionStorage.getItem('phx:fallback:LongPoll')") == "true"
    count = page.locator("#count")
    expect(count).to_have_text("0")
    for expected in ("1", "2", "3"):
        page.click("#inc")
        expect(count).to_have_text(expected)
    page.click("#reset")
    expect(count).to_have_text("0")


def test_without_websockets_blocked_the_page_stays_on_websockets(page: Page) -> None:
    page.goto("/demos/counter")
    connected(page)
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")
    assert page.evaluate(
        "() => { const s = window.liveSocket.getSocket();"
        " return s.transport !== s.getLongPollTransport() && s.conn instanceof WebSocket; }"
    )
    # the fallback delay comes from the page (LiveApp(longpoll=...)): 2.5 s by default
    assert page.evaluate("window.liveSocket.getSocket().longPollFallbackMs") == 2500


def test_the_page_script_may_set_its_own_fallback_delay(page: Page) -> None:
    page.add_init_script("window.pylive = {options: {longPollFallbackMs: 1234}}")
    page.goto("/demos/counter")
    connected(page)
    assert page.evaluate("window.liveSocket.getSocket().longPollFallbackMs") == 1234


def test_an_upload_travels_over_long_poll(page: Page, tmp_path: Path) -> None:
    data = os.urandom(300_000 + 7)  # several 64 kB chunks, as base64 lines
    path = tmp_path / "chunks.bin"
    path.write_bytes(data)
    refuse_websockets(page)
    page.goto("/demos/upload")
    connected(page)
    assert on_long_poll(page)
    page.set_input_files("input[type=file]", str(path))
    expect(page.locator("#entries .entry")).to_have_count(1)
    page.click("#save")
    saved = page.locator("#saved .saved")
    expect(saved).to_have_count(1)
    assert saved.get_attribute("data-sha256") == hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def short_timeout_app(
    client_bundle: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    with running_app("e2e.longpoll_app:app", tmp_path_factory.mktemp("longpoll")) as server:
        yield server


def _sockets(server: ServerProcess) -> int:
    with urllib.request.urlopen(server.url + "/sockets", timeout=10) as response:
        return int(response.read())


def test_closing_the_page_frees_its_session(
    browser: Browser, short_timeout_app: ServerProcess
) -> None:
    context = browser.new_context(base_url=short_timeout_app.url)
    page = context.new_page()
    refuse_websockets(page)
    page.goto("/")
    connected(page)
    assert on_long_poll(page)
    page.click("button")
    expect(page.locator("p")).to_have_text("Count: 1")
    assert _sockets(short_timeout_app) == 1
    context.close()  # polls stop
    deadline = time.monotonic() + WAIT
    while _sockets(short_timeout_app) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _sockets(short_timeout_app) == 0
