"""The function components demo in Chromium: a card, buttons with rest attributes and a table
with column slots, updated live; a point changes one row's cell and the total, nothing else."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, expect

from e2e.support import connected, mark_document, same_document


def test_rest_attributes_reach_the_root_elements(page: Page) -> None:
    page.goto("/demos/function-components")
    connected(page)
    expect(page.locator("section#scores.card h2")).to_have_text("Scores")
    expect(page.locator("section#total")).to_have_attribute("aria-live", "polite")
    ada = page.get_by_role("button", name="+1 point for Ada")
    expect(ada).to_have_attribute("phx-click", "point")
    expect(ada).to_have_attribute("type", "button")
    headers = page.locator("#scores th").all_inner_texts()
    assert headers == ["Player", "Points", "Give a point"]
    names = page.locator("#scores tbody td:first-child").all_inner_texts()
    assert names == ["Ada", "Alan", "Grace"]


def test_keyboard_points_sort_and_reset(page: Page) -> None:
    page.goto("/demos/function-components")
    connected(page)
    mark_document(page)
    page.get_by_role("button", name="+1 point for Alan").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#points-3")).to_have_text("2")
    expect(page.locator("#total-points")).to_have_text("10")
    page.keyboard.press("Space")
    expect(page.locator("#points-3")).to_have_text("3")
    page.click("#sort")
    expect(page.locator("#sort")).to_have_text("Sort by name")
    expect(page.locator("#scores caption")).to_have_text("Points per player, by points")
    names = page.locator("#scores tbody td:first-child")
    expect(names).to_have_text(["Grace", "Ada", "Alan"])
    page.click("#reset")
    expect(page.locator("#total-points")).to_have_text("9")
    expect(names).to_have_text(["Grace", "Ada", "Alan"])
    assert same_document(page)


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() if k != "p" for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def test_a_point_sends_the_changed_cell_and_the_total_only(page: Page) -> None:
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(str(data))))
    page.goto("/demos/function-components")
    connected(page)
    page.click("#point-2")
    expect(page.locator("#points-2")).to_have_text("6")
    replies = [json.loads(f) for f in frames if '"phx_reply"' in f and '"diff"' in f]
    diff = replies[-1][4]["response"]["diff"]
    assert sorted(_strings(diff)) == ["10", "6"]  # Grace's points and the total; no statics
    assert '"p"' not in json.dumps(diff)  # no template table: no statics were sent
