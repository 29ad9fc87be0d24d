"""The table demo: a click on one of many rows changes exactly that row."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.support import connected


def test_touch_changes_only_its_row(page: Page) -> None:
    page.goto("/demos/table?rows=50")
    connected(page)
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(50)
    page.click("#row-7 button")
    expect(page.locator("#row-7 .touches")).to_have_text("1")
    page.click("#row-7 button")
    page.click("#row-49 button")
    expect(page.locator("#row-7 .touches")).to_have_text("2")
    expect(page.locator("#row-49 .touches")).to_have_text("1")
    expect(page.locator("#summary")).to_have_text("50 rows. Last touched: row 49.")
    touches = page.locator("#rows .touches").all_inner_texts()
    assert [i for i, t in enumerate(touches) if t != "0"] == [7, 49]


def test_default_thousand_rows(page: Page) -> None:
    page.goto("/demos/table")
    connected(page)
    expect(page.locator("#rows tbody tr")).to_have_count(1000)
    page.click("#row-999 button")
    expect(page.locator("#row-999 .touches")).to_have_text("1")
    expect(page.locator("#row-998 .touches")).to_have_text("0")
