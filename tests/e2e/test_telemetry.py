"""The gallery's live telemetry page (``pylive.telemetry.Dashboard``) in a real browser: it
follows what happens on another page, in another browser context, within a few readings."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from e2e.support import ServerProcess, connected

COUNTER = "gallery.counter.Counter"


def test_the_dashboard_follows_events_on_another_page(
    page: Page, browser: Browser, server: ServerProcess
) -> None:
    page.goto("/demos/telemetry")
    connected(page)
    counters = page.locator("#telemetry-by-class td", has_text=COUNTER)
    expect(counters).to_have_count(0)

    other = browser.new_context(base_url=server.url)
    try:
        tab = other.new_page()
        tab.goto("/demos/counter")
        connected(tab)
        expect(counters).to_have_count(1)  # a Counter is live now
        for expected in ("1", "2", "3"):
            tab.click("#inc")
            expect(tab.locator("#count")).to_have_text(expected)
        expect(page.locator("#telemetry-events")).not_to_have_text("0.0")
        expect(page.locator("#telemetry-p50")).to_have_text(re.compile(r"^\d+\.\d\d ms$"))
    finally:
        other.close()
    expect(counters).to_have_count(0)  # its socket closed: the view is gone
