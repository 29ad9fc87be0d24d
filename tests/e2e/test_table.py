"""The table demo: a click on one of many rows changes exactly that row."""

from __future__ import annotations

import json

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
    expect(page.locator("#summary")).to_have_text("50 rows.")
    touches = page.locator("#rows .touches").all_inner_texts()
    assert [i for i, t in enumerate(touches) if t != "0"] == [7, 49]


def test_default_thousand_rows(page: Page) -> None:
    page.goto("/demos/table")
    connected(page)
    expect(page.locator("#rows tbody tr")).to_have_count(1000)
    page.click("#row-999 button")
    expect(page.locator("#row-999 .touches")).to_have_text("1")
    expect(page.locator("#row-998 .touches")).to_have_text("0")


def test_the_reply_to_a_touch_carries_one_row(page: Page) -> None:
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(str(data))))
    page.goto("/demos/table")
    connected(page)
    page.click("#row-500 button")
    expect(page.locator("#row-500 .touches")).to_have_text("1")
    replies = [json.loads(f) for f in frames if '"phx_reply"' in f and '"diff"' in f]
    diff = replies[-1][4]["response"]["diff"]
    rows = [part for part in diff.values() if isinstance(part, dict) and "k" in part]
    assert len(rows) == 1 and set(rows[0]["k"]) == {"500", "kc"}  # one row of 1,000 changed...
    assert list(rows[0]["k"]["500"].values()) == ["1"]  # ...and in it, one cell
    assert list(diff) == [next(k for k, v in diff.items() if v is rows[0])]  # nothing else
