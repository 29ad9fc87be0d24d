"""The gallery's nested LiveViews demo in a real browser, driven from the keyboard: the
stopwatch child ticks on its own, reports to the page, crashes alone; the sticky basket keeps
its items across live navigation."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.support import connected, mark_document, same_document


def press(page: Page, selector: str) -> None:
    """Focus ``selector`` and press Enter (what a keyboard user does)."""
    page.focus(selector)
    page.keyboard.press("Enter")


def test_the_nested_demo_works_from_the_keyboard(page: Page) -> None:
    page.goto("/demos/nested")
    connected(page)
    page.wait_for_selector("#stopwatch.phx-connected", state="attached")
    page.wait_for_selector("#basket.phx-connected", state="attached")
    mark_document(page)
    press(page, "#toggle")
    expect(page.locator("#toggle")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#seconds")).not_to_have_text("0", timeout=5_000)
    press(page, "#toggle")
    expect(page.locator("#toggle")).to_have_attribute("aria-pressed", "false")
    seconds = page.locator("#seconds").inner_text()
    press(page, "#report")
    expect(page.locator("#last-report")).to_have_text(f"{seconds} s")
    press(page, "#reset-child")
    expect(page.locator("#seconds")).to_have_text("0")
    expect(page.locator("#stopwatch-note")).to_have_text("Reset by the page.")
    press(page, "#crash-child")
    expect(page.locator("#stopwatch-note")).to_have_text("")  # mounted afresh
    expect(page.locator("#last-report")).to_have_text(f"{seconds} s")  # the page is untouched
    press(page, "#basket-add")
    expect(page.locator("#basket-items")).to_have_text("1")  # each press waits for its reply
    press(page, "#basket-add")
    expect(page.locator("#basket-items")).to_have_text("2")
    press(page, "#to-other")
    expect(page.locator("h1")).to_have_text("Sticky basket")
    expect(page.locator("#basket-items")).to_have_text("2")
    press(page, "#basket-add")
    expect(page.locator("#basket-items")).to_have_text("3")
    press(page, "#to-nested")
    expect(page.locator("h1")).to_have_text("Nested LiveViews")
    expect(page.locator("#basket-items")).to_have_text("3")
    page.wait_for_selector("#stopwatch.phx-connected", state="attached")
    assert same_document(page)
