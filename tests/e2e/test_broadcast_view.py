"""The shared dashboard (a broadcast view, ``/demos/dashboard/shared``) in Chromium: two pages
follow one shared render; the second, opened later, starts from the dashboard so far. Then two
gallery servers sharing a real Redis: each renders once for its own viewers, and an order on one
reaches the pages of both."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from redis_support import RedisServer, redis_server
from served import free_port

from e2e.support import GalleryServer, ServerProcess, connected

__all__ = ["redis_server"]  # the fixture, imported for this module

SHARED = "/demos/dashboard/shared"


def test_two_pages_share_one_dashboard(page: Page, browser: Browser, server: GalleryServer) -> None:
    page.goto(SHARED)
    connected(page)
    page.get_by_role("button", name="$20 order").click()
    expect(page.locator("#orders")).to_have_text("1")
    other_context = browser.new_context(base_url=server.url)
    late = other_context.new_page()
    try:
        late.goto(SHARED)
        connected(late)
        expect(late.locator("#orders")).to_have_text("1")  # the group's state, not a new window
        expect(late.locator("#revenue")).to_have_text("$20")
        late.get_by_role("button", name="$5 order").click()
        for tab in (page, late):  # the shared diff reaches the early and the late page
            expect(tab.locator("#orders")).to_have_text("2")
            expect(tab.locator("#revenue")).to_have_text("$25")
    finally:
        other_context.close()
    page.get_by_role("button", name="$100 order").click()  # the other page left: this one goes on
    expect(page.locator("#revenue")).to_have_text("$125")


def test_shared_dashboards_on_two_servers_sharing_redis(
    browser: Browser, redis_server: RedisServer, client_bundle: Path, tmp_path: Path
) -> None:
    servers = []
    for n in (1, 2):
        args = ["-m", "gallery", "--port", str(free_port()), "--pubsub", redis_server.url]
        servers.append(ServerProcess(int(args[3]), tmp_path / f"gallery{n}.log", args))
    contexts = []
    try:
        for server in servers:
            server.start()
        pages = []
        for server in servers:
            context = browser.new_context(base_url=server.url)
            contexts.append(context)
            tab = context.new_page()
            tab.goto(SHARED)
            connected(tab)
            pages.append(tab)
        one, two = pages
        # a message crosses once Redis has confirmed the other server's subscription (made
        # when its first viewer joined): order until one has crossed
        clicks = 0
        while clicks < 20:
            one.get_by_role("button", name="$5 order").click()
            clicks += 1
            expect(one.locator("#orders")).to_have_text(str(clicks))
            try:
                expect(two.locator("#orders")).not_to_have_text("0", timeout=1000)
                break
            except AssertionError:
                continue
        expect(two.locator("#orders")).not_to_have_text("0")
        crossed = int(two.locator("#orders").inner_text())
        two.get_by_role("button", name="$100 order").click()  # and back the other way
        expect(one.locator("#orders")).to_have_text(str(clicks + 1))
        expect(two.locator("#orders")).to_have_text(str(crossed + 1))
    finally:
        for context in contexts:
            context.close()
        for server in servers:
            server.stop()
