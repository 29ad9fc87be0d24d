"""Nested and sticky LiveViews in Chromium: the official client joins a ``live_render`` child
over the page's socket, updates it on its own, rejoins only the child after it crashes, keeps a
sticky LiveView joined (and its state) across live navigation, and parent and child talk.

The app is ``tests/nested_apps.py`` (``nested_apps:app``) on hypercorn.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.support import (
    connected,
    mark_document,
    module_server,
    same_document,
)

server = module_server("nested_apps:app")


def joined(page: Page, view_id: str) -> None:
    """Wait until the LiveView ``view_id`` has joined."""
    page.wait_for_selector(f"#{view_id}.phx-connected", state="attached")


def open_parent(page: Page) -> None:
    page.goto("/")
    connected(page)
    joined(page, "kid")
    mark_document(page)


def test_the_child_joins_and_updates_on_its_own(page: Page) -> None:
    open_parent(page)
    expect(page.locator("#kid")).to_have_attribute("data-phx-parent-id", re.compile("^phx-"))
    expect(page.locator("#child-n")).to_have_text("Child: 3")
    page.click("#child-inc")
    expect(page.locator("#child-n")).to_have_text("Child: 4")
    page.click("#parent-inc")
    expect(page.locator("#parent-count")).to_have_text("Parent: 1")
    expect(page.locator("#child-n")).to_have_text("Child: 4")
    assert same_document(page)


def test_a_child_crash_rejoins_only_the_child(page: Page) -> None:
    open_parent(page)
    page.click("#parent-inc")
    page.click("#child-inc")
    expect(page.locator("#child-n")).to_have_text("Child: 4")
    page.click("#child-crash")
    expect(page.locator("#child-n")).to_have_text("Child: 3")  # mounted afresh
    joined(page, "kid")
    expect(page.locator("#parent-count")).to_have_text("Parent: 1")  # untouched
    page.click("#child-inc")
    expect(page.locator("#child-n")).to_have_text("Child: 4")
    assert same_document(page)


def test_a_parent_crash_remounts_parent_and_child(page: Page) -> None:
    open_parent(page)
    page.click("#parent-inc")
    page.click("#child-inc")
    expect(page.locator("#child-n")).to_have_text("Child: 4")
    page.click("#parent-crash")
    expect(page.locator("#parent-count")).to_have_text("Parent: 0")
    expect(page.locator("#child-n")).to_have_text("Child: 3")
    joined(page, "kid")
    page.click("#child-inc")
    expect(page.locator("#child-n")).to_have_text("Child: 4")
    assert same_document(page)


def test_parent_and_child_send_each_other_messages(page: Page) -> None:
    open_parent(page)
    page.click("#child-tell")
    expect(page.locator("#parent-heard")).to_have_text("Parent heard: ('child_says', 3)")
    page.click("#parent-inc")
    page.click("#parent-ping")
    expect(page.locator("#child-heard")).to_have_text("Heard: ping 1")


def test_removing_the_container_leaves_the_child_and_adding_it_joins_again(page: Page) -> None:
    open_parent(page)
    page.click("#child-inc")
    page.click("#parent-toggle")
    expect(page.locator("#kid")).to_have_count(0)
    page.click("#parent-toggle")
    joined(page, "kid")
    expect(page.locator("#child-n")).to_have_text("Child: 3")
    page.click("#child-inc")
    expect(page.locator("#child-n")).to_have_text("Child: 4")
    assert same_document(page)


def test_a_sticky_view_keeps_its_state_across_live_navigation(page: Page) -> None:
    page.goto("/sticky/a")
    connected(page)
    joined(page, "cart")
    mark_document(page)
    page.click("#cart #cart-add")
    expect(page.locator("#cart #cart-items")).to_have_text("Cart: 1")
    page.click("#cart #cart-add")
    expect(page.locator("#cart #cart-items")).to_have_text("Cart: 2")
    page.click("#to-b")
    expect(page.locator("#where")).to_have_text("Page: StickyB")
    expect(page.locator("#cart #cart-items")).to_have_text("Cart: 2")
    page.click("#cart #cart-add")
    expect(page.locator("#cart #cart-items")).to_have_text("Cart: 3")
    page.click("#to-a")
    expect(page.locator("#where")).to_have_text("Page: StickyA")
    page.click("#cart #cart-add")
    expect(page.locator("#cart #cart-items")).to_have_text("Cart: 4")
    assert same_document(page)


def test_a_sticky_view_in_the_root_layout(page: Page) -> None:
    """It joins and lives on its own, but on live navigation the official client moves every
    sticky element into the new main container and removes those the new view does not
    render: this one survives only navigation to a view that renders it too."""
    page.goto("/sticky/a")
    connected(page)
    joined(page, "layout-cart")
    mark_document(page)
    page.click("#layout-cart #cart-add")
    expect(page.locator("#layout-cart #cart-items")).to_have_text("Cart: 1")
    page.click("#to-b")
    expect(page.locator("#where")).to_have_text("Page: StickyB")
    expect(page.locator("#layout-cart")).to_have_count(0)
    expect(page.locator("#cart #cart-items")).to_have_text("Cart: 0")
    assert same_document(page)
