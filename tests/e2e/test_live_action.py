"""Route actions, link helpers, per-route containers and the flash close button, in Chromium
(the gallery's items demo, ``gallery/live_action.py``)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.support import MAIN, connected, mark_document, same_document


def test_patching_between_actions_updates_the_page_and_the_url(page: Page) -> None:
    page.goto("/demos/items")
    connected(page)
    mark_document(page)
    expect(page.locator("#live-action")).to_have_text("index")
    expect(page.locator("h1")).to_have_text("Items")

    page.click("#item-2 a")  # link(patch=...) to the edit action
    expect(page).to_have_url(re.compile(r"/demos/items/2/edit$"))
    expect(page.locator("#live-action")).to_have_text("edit")
    expect(page.locator("h1")).to_have_text("Edit item")
    expect(page).to_have_title("Edit Bread · pylive gallery")
    expect(page.locator("#item-name")).to_be_focused()  # phx-mounted focus: type at once

    page.keyboard.press("Control+A")
    page.keyboard.type("Brioche")
    page.keyboard.press("Enter")  # submit, then push_patch back to the index
    expect(page).to_have_url(re.compile(r"/demos/items$"))
    expect(page.locator("#live-action")).to_have_text("index")
    expect(page.locator("#item-2 .item-name")).to_have_text("Brioche")
    expect(page.locator("#flash-info")).to_have_text("Saved “Brioche”.")

    page.go_back()  # the edit URL again: handle_params sees the edit action
    expect(page).to_have_url(re.compile(r"/demos/items/2/edit$"))
    expect(page.locator("#live-action")).to_have_text("edit")
    page.click("#cancel")  # link(patch=...) back
    expect(page).to_have_url(re.compile(r"/demos/items$"))
    expect(page.locator("#edit-form")).to_have_count(0)
    assert same_document(page)


def test_flash_close_button_clears_the_flash_from_the_keyboard(page: Page) -> None:
    page.goto("/demos/items/1/edit")
    connected(page)
    page.locator("#item-name").fill("Pears")
    page.click("#save")
    flash = page.locator("#flash-info")
    expect(flash).to_have_text("Saved “Pears”.")
    expect(flash).to_have_attribute("role", "alert")
    close = page.get_by_role("button", name="Close")
    close.focus()
    page.keyboard.press("Enter")
    expect(flash).to_have_count(0)


def test_navigate_links_and_the_route_container(page: Page) -> None:
    page.goto("/")
    connected(page)
    mark_document(page)
    expect(page.locator(MAIN)).not_to_have_class(re.compile("items-view"))
    page.click("#demo-items a")  # link(navigate=...): live navigation, container from the join
    expect(page).to_have_url(re.compile(r"/demos/items$"))
    expect(page.locator(MAIN)).to_have_class(re.compile(r"\bitems-view\b"))
    expect(page.locator("#live-action")).to_have_text("index")
    page.click("header.top a")  # back to the index over link(navigate="/")
    expect(page.locator("#demos")).to_be_visible()
    expect(page.locator(MAIN)).not_to_have_class(re.compile("items-view"))
    assert same_document(page)

    page.goto("/demos/items")  # the dead render has the container's class too
    expect(page.locator(MAIN)).to_have_class(re.compile(r"\bitems-view\b"))
