"""The shared dashboard (a broadcast view, ``/demos/dashboard/shared``) in Chromium: two pages
follow one shared render; the second, opened later, starts from the dashboard so far."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from e2e.support import GalleryServer, connected


def test_two_pages_share_one_dashboard(page: Page, browser: Browser, server: GalleryServer) -> None:
    page.goto("/demos/dashboard/shared")
    connected(page)
    page.get_by_role("button", name="$20 order").click()
    expect(page.locator("#orders")).to_have_text("1")
    other_context = browser.new_context(base_url=server.url)
    late = other_context.new_page()
    try:
        late.goto("/demos/dashboard/shared")
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
