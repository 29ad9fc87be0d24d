"""LiveComponents in Chromium (the gallery's board of member cards, ``gallery/team.py``):
events targeted at one card patch only that card, cards keep their state when the board
re-renders, reorders or updates them, and removed cards go through the destroy handshake."""

from __future__ import annotations

import json
import time
from typing import Any

from playwright.sync_api import Page, WebSocket, expect

from e2e.support import connected, mark_document, same_document


def record_frames(page: Page) -> tuple[list[Any], list[Any]]:
    """Decoded frames the page's live socket receives and sends, from now on."""
    received: list[Any] = []
    sent: list[Any] = []

    def on_socket(ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: received.append(json.loads(payload)))
        ws.on("framesent", lambda payload: sent.append(json.loads(payload)))

    page.on("websocket", on_socket)
    return received, sent


def test_a_card_event_patches_only_that_card(page: Page) -> None:
    received, _ = record_frames(page)
    page.goto("/demos/components")
    connected(page)
    mark_document(page)
    page.evaluate("document.getElementById('member-0').__mark = 'kept'")
    page.click("#member-1 .kudos")
    expect(page.locator("#kudos-1")).to_have_text("1")
    page.click("#member-1 .kudos")
    expect(page.locator("#kudos-1")).to_have_text("2")
    expect(page.locator("#kudos-0")).to_have_text("0")
    # the replies carry only the component's change (a "component-only" diff)
    diffs = [
        f[4]["response"]["diff"]
        for f in received
        if f[3] == "phx_reply"
        and isinstance(f[4].get("response"), dict)
        and "diff" in f[4]["response"]
    ]
    assert diffs and all(list(d) == ["c"] and len(d["c"]) == 1 for d in diffs[-2:]), diffs
    # the other cards' elements were not replaced
    assert page.evaluate("document.getElementById('member-0').__mark") == "kept"
    assert same_document(page)


def test_rename_goes_through_the_board_and_cards_keep_their_state(page: Page) -> None:
    page.goto("/demos/components")
    connected(page)
    page.click("#member-1 .kudos")
    expect(page.locator("#kudos-1")).to_have_text("1")
    page.click("#member-2 .edit")
    field = page.locator("#name-2")
    expect(field).to_be_visible()
    field.fill("Hedy")
    field.press("Enter")  # phx-submit to the card, which tells the board (handle_info)
    expect(page.locator("#member-2-name")).to_have_text("Hedy")
    expect(page.locator("#name-2")).to_have_count(0)
    page.click("#reverse")  # the same components, moved
    expect(page.locator(".card").first).to_have_id("member-3")
    expect(page.locator("#kudos-1")).to_have_text("1")
    page.click("#reset")  # send_update to every card
    expect(page.locator("#kudos-1")).to_have_text("0")
    expect(page.locator("#flash-info")).to_contain_text("Kudos reset")


def test_cards_are_added_and_removed_with_the_destroy_handshake(page: Page) -> None:
    _, sent = record_frames(page)
    page.goto("/demos/components")
    connected(page)
    page.click("#add")
    expect(page.locator(".card")).to_have_count(5)
    page.click("#member-4 .kudos")
    expect(page.locator("#kudos-4")).to_have_text("1")
    page.click("#member-0 .remove")
    expect(page.locator(".card")).to_have_count(4)
    expect(page.locator("#member-0")).to_have_count(0)

    def handshake() -> bool:
        return {"cids_will_destroy", "cids_destroyed"} <= {f[3] for f in sent}

    deadline = time.monotonic() + 30
    while not handshake() and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # frames are recorded while Playwright waits
    assert handshake(), [f[3] for f in sent]
    page.click("#member-4 .kudos")  # the others work on
    expect(page.locator("#kudos-4")).to_have_text("2")


def test_cards_work_from_the_keyboard(page: Page) -> None:
    page.goto("/demos/components")
    connected(page)
    page.locator("#member-0 .kudos").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#kudos-0")).to_have_text("1")
    page.keyboard.press("Tab")  # to the card's Rename button
    expect(page.locator("#member-0 .edit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#name-0")).to_be_visible()


def test_a_selector_target_sends_the_event_to_each_matching_component(page: Page) -> None:
    page.goto("/demos/components")
    connected(page)
    page.click("#member-2 .kudos")
    page.click("#kudos-all")  # phx-target=".card": one event per card, to its component
    for member, kudos in (("0", "1"), ("1", "1"), ("2", "2"), ("3", "1")):
        expect(page.locator(f"#kudos-{member}")).to_have_text(kudos)
