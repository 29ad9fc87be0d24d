"""The counter demo in a real browser: the page joins, clicks round-trip, the DOM updates."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, Route, expect

from e2e.support import GalleryServer, connected, mark_document, same_document


def test_page_joins_and_clicks_update_the_count(page: Page) -> None:
    page.goto("/demos/counter")
    connected(page)
    mark_document(page)
    count = page.locator("#count")
    expect(count).to_have_text("0")
    for expected in ("1", "2", "3"):
        page.click("#inc")
        expect(count).to_have_text(expected)
    page.click("#dec")
    expect(count).to_have_text("2")
    page.click("#reset")
    expect(count).to_have_text("0")
    assert same_document(page)


def test_bundle_exposes_the_live_socket_and_the_official_client_version(page: Page) -> None:
    page.goto("/demos/counter")
    connected(page)
    assert page.evaluate("window.pylive.liveSocket === window.liveSocket") is True
    assert page.evaluate("window.liveSocket.version()") == "1.2.12"
    assert page.evaluate("window.liveSocket.isConnected()") is True
    # the socket carries the CSRF token from the meta tag, as a params function
    csrf = page.get_attribute('meta[name="csrf-token"]', "content")
    assert page.evaluate("window.liveSocket.socket.params()._csrf_token") == csrf


def test_hooks_registered_by_a_later_defer_script_are_attached(page: Page) -> None:
    page.goto("/demos/hooks")
    connected(page)
    stamp = page.locator("#stamp")
    expect(stamp).to_have_attribute("data-formatted", "true")  # mounted() ran in the browser
    expect(stamp).not_to_have_text("…")
    locale = page.evaluate("navigator.language")
    expect(page.locator("#locale")).to_have_text(locale)  # pushEvent reached the server
    page.click("#highlight")
    expect(stamp).to_have_class("highlight")  # push_event reached handleEvent


def test_a_later_script_may_replace_window_pylive(page: Page) -> None:
    def replace_namespace(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace(
            "window.pylive = window.pylive || {};",
            "window.pylive = { params: { answer: 42 } };",  # replaces instead of extending
        )
        assert "answer: 42" in body
        route.fulfill(response=response, body=body)

    page.route("**/static/hooks.js", replace_namespace)
    page.goto("/demos/hooks")
    connected(page)
    expect(page.locator("#stamp")).to_have_attribute("data-formatted", "true")
    assert page.evaluate("window.pylive.liveSocket === window.liveSocket") is True
    assert page.evaluate("window.liveSocket.socket.params().answer") == 42


def test_shared_counter_updates_every_tab(
    page: Page, browser: Browser, server: GalleryServer
) -> None:
    other = browser.new_context(base_url=server.url).new_page()  # another user
    try:
        page.goto("/demos/shared")
        other.goto("/demos/shared")
        connected(page)
        connected(other)
        start = int(page.inner_text("#count"))
        page.click("#inc")
        expect(page.locator("#count")).to_have_text(str(start + 1))
        expect(other.locator("#count")).to_have_text(str(start + 1))
        other.click("#inc")
        # the official client ignores a click on an element whose last click is unanswered
        expect(other.locator("#count")).to_have_text(str(start + 2))
        other.click("#inc")
        expect(page.locator("#count")).to_have_text(str(start + 3))
        expect(other.locator("#count")).to_have_text(str(start + 3))
    finally:
        other.context.close()


def test_server_push_updates_the_page(page: Page) -> None:
    page.goto("/demos/clock")
    connected(page)
    expect(page.locator("#ticks")).not_to_have_text("0")  # a tick a second
