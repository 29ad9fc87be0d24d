"""The live layout demo in a real browser: the layout's badge follows the view's assigns (fed by
a lifecycle hook), a click sends only the changed numbers, it works from the keyboard, and it
comes back after live navigation."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, expect

from e2e.support import connected, mark_document, same_document


def _has_statics(part: Any) -> bool:
    if isinstance(part, dict):
        return "s" in part or "p" in part or any(_has_statics(v) for v in part.values())
    return False


def test_the_layout_badge_counts_events_and_a_click_sends_only_numbers(page: Page) -> None:
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(str(data))))
    page.goto("/demos/live-layout")
    connected(page)
    expect(page.locator(".layout-badge #events")).to_have_text("0")
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")
    expect(page.locator(".layout-badge #events")).to_have_text("1")
    replies = [json.loads(f) for f in frames if '"phx_reply"' in f and '"diff"' in f]
    diff = replies[-1][4]["response"]["diff"]
    assert not _has_statics(diff)  # no markup: neither the layout's nor the view's
    leaves: list[str] = []

    def collect(part: Any) -> None:
        for value in part.values():
            if isinstance(value, dict):
                collect(value)
            else:
                leaves.append(value)

    collect(diff)
    assert sorted(leaves) == ["1", "1"]  # the view's count and the layout's badge


def test_keyboard_only_and_detaching_the_hook(page: Page) -> None:
    page.goto("/demos/live-layout")
    connected(page)
    page.locator("#inc").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#count")).to_have_text("1")
    page.keyboard.press("Tab")  # to "Stop counting"
    expect(page.locator("#toggle-counting")).to_be_focused()
    page.keyboard.press("Space")  # counted, then the hook is detached
    expect(page.locator("#toggle-counting")).to_have_text("Count again")
    expect(page.locator("#events")).to_have_text("2")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#count")).to_have_text("2")
    expect(page.locator("#events")).to_have_text("2")  # no hook: not counted


def test_the_layout_comes_back_after_live_navigation(page: Page) -> None:
    page.goto("/demos/live-layout")
    connected(page)
    mark_document(page)
    page.click("#inc")
    expect(page.locator("#events")).to_have_text("1")
    page.click("header.top a")  # the gallery index (live navigation, no layout there)
    expect(page.locator("h1")).to_have_text("Demos")
    expect(page.locator(".layout-badge")).to_have_count(0)
    page.click('#demos a[href="/demos/live-layout"]')
    expect(page.locator("h1")).to_have_text("Live layout")
    expect(page.locator(".layout-badge #events")).to_have_text("0")  # a fresh mount
    page.click("#inc")
    expect(page.locator(".layout-badge #events")).to_have_text("1")
    assert same_document(page)
