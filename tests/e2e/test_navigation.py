"""Live patch, live navigation, the back button, flash messages and page titles."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.support import connected, mark_document, same_document
from gallery.catalog import DEMOS


def test_patch_link_changes_the_query_and_runs_handle_params(page: Page) -> None:
    page.goto("/demos/navigation")
    connected(page)
    mark_document(page)
    expect(page.locator("#current")).to_have_text("Current tab: alpha")
    expect(page).to_have_title("Tab alpha · pylive gallery")

    page.click("#tab-beta")
    expect(page).to_have_url(re.compile(r"/demos/navigation\?tab=beta$"))
    expect(page.locator("#current")).to_have_text("Current tab: beta")
    expect(page).to_have_title("Tab beta · pylive gallery")
    expect(page.locator("#tab-beta")).to_have_attribute("aria-current", "page")

    page.click("#next")  # push_patch from the server
    expect(page).to_have_url(re.compile(r"\?tab=gamma$"))
    expect(page.locator("#current")).to_have_text("Current tab: gamma")
    assert same_document(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?tab=beta$"))
    expect(page.locator("#current")).to_have_text("Current tab: beta")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/demos/navigation$"))
    expect(page.locator("#current")).to_have_text("Current tab: alpha")
    page.go_forward()
    expect(page.locator("#current")).to_have_text("Current tab: beta")
    assert same_document(page)


def test_navigate_to_another_view_carries_the_flash_and_back_returns(page: Page) -> None:
    page.goto("/demos/navigation?tab=beta")
    connected(page)
    mark_document(page)

    page.click("#leave")  # put_flash + push_navigate
    expect(page).to_have_url(re.compile(r"/demos/navigation/other$"))
    expect(page.locator("#other")).to_be_visible()
    expect(page.locator("#flash-info")).to_have_text("You left tab beta")
    expect(page).to_have_title("Other page · pylive gallery")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?tab=beta$"))
    expect(page.locator("#current")).to_have_text("Current tab: beta")
    expect(page).to_have_title("Tab beta · pylive gallery")
    expect(page.locator("#flash-info")).to_have_count(0)

    page.click("#other-link")  # data-phx-link="redirect"
    expect(page.locator("#other")).to_be_visible()
    page.click("#back-link")
    expect(page.locator("#current")).to_have_text("Current tab: gamma")

    page.click("header.top a")  # back to the index, still without a page load
    expect(page.locator("#demos li")).to_have_count(sum(demo.listed for demo in DEMOS))
    expect(page).to_have_title("Demos · pylive gallery")
    assert same_document(page)


def test_flash_shows_and_clears(page: Page) -> None:
    page.goto("/demos/navigation?tab=gamma")
    connected(page)
    flash = page.locator("#flash-info")
    expect(flash).to_have_count(0)
    page.click("#flash-me")
    expect(flash).to_have_text("Hello from tab gamma")
    flash.click()  # lv:clear-flash
    expect(flash).to_have_count(0)


def test_index_links_navigate_live_to_each_demo(page: Page) -> None:
    page.goto("/")
    connected(page)
    mark_document(page)
    page.click("#demo-counter a")
    expect(page).to_have_url(re.compile(r"/demos/counter$"))
    expect(page).to_have_title("Counter · pylive gallery")
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")
    page.go_back()
    expect(page.locator("#demos")).to_be_visible()
    assert same_document(page)
