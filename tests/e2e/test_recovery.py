"""Failures the official client recovers from: a crashing handler, a restarting server.

In both cases the page must come back live *without a page load* (the document mark stays),
with the LiveView mounted afresh.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.support import (
    MAIN,
    GalleryServer,
    connected,
    container_classes_seen,
    mark_document,
    record_container_classes,
    same_document,
)


def test_crash_in_handle_event_rejoins_and_the_page_works_again(page: Page) -> None:
    page.goto("/demos/crash")
    connected(page)
    mark_document(page)
    count = page.locator("#count")
    page.click("#inc")
    # the official client ignores a click on an element whose last click is unanswered
    expect(count).to_have_text("1")
    page.click("#inc")
    expect(count).to_have_text("2")

    record_container_classes(page)
    page.click("#crash")  # the server raises: phx_error (no reply); the client rejoins
    expect(count).to_have_text("0")  # the rejoin mounted a fresh view
    connected(page)
    assert {"phx-error", "phx-connected"} <= container_classes_seen(page)
    page.click("#inc")
    expect(count).to_have_text("1")
    assert same_document(page)


def test_reconnects_after_a_server_restart(page: Page, server: GalleryServer) -> None:
    page.goto("/demos/counter")
    connected(page)
    mark_document(page)
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")

    record_container_classes(page)
    server.stop()  # live sockets are closed with 1001 ("going away")
    expect(page.locator(MAIN)).not_to_contain_class("phx-connected")
    expect(page.locator(MAIN)).to_contain_class("phx-error")
    progress = page.locator("#pylive-progress")  # pylive's page-loading bar
    expect(progress).to_have_css("opacity", "1")
    server.start()  # same port, same secret key: the page's tokens are still valid

    connected(page)  # Phoenix's reconnect backoff found the server again
    expect(page.locator("#count")).to_have_text("0")  # a fresh mount
    expect(progress).to_have_css("opacity", "0")
    # the client may be on long-poll now (its WebSocket failed while the server was down), whose
    # answers come slower, and it ignores a click on an element whose last click is unanswered
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("2")
    assert "phx-error" in container_classes_seen(page)
    assert same_document(page)
