"""The chat demo in a real browser: two pages on one server see each other online, see who is
typing, and see each other's messages; closing one page takes its user offline."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from e2e.support import GalleryServer, connected


def test_two_pages_chat_and_see_each_other(
    page: Page, browser: Browser, server: GalleryServer
) -> None:
    page.goto("/demos/chat?name=Ada")
    connected(page)
    expect(page.locator("#online li")).to_have_text(["Ada"])
    other_context = browser.new_context(base_url=server.url)
    bob = other_context.new_page()
    try:
        bob.goto("/demos/chat?name=Bob")
        connected(bob)
        expect(page.locator("#online li")).to_have_text(["Ada", "Bob"])
        expect(bob.locator("#online li")).to_have_text(["Ada", "Bob"])

        # keyboard only: the label names the field, Enter sends
        field = page.get_by_role("textbox", name="Message")
        field.focus()
        page.keyboard.type("hello Bob")
        expect(bob.locator("#typing")).to_contain_text("Ada is typing")
        page.keyboard.press("Enter")
        expect(bob.locator("#messages li")).to_have_text(["Ada: hello Bob"])
        expect(page.locator("#messages li")).to_have_text(["Ada: hello Bob"])
        expect(field).to_have_value("")
        expect(bob.locator("#typing")).not_to_contain_text("typing")

        bob.get_by_role("textbox", name="Message").fill("hi Ada")
        bob.get_by_role("button", name="Send").click()
        expect(page.locator("#messages li")).to_have_text(["Ada: hello Bob", "Bob: hi Ada"])
        expect(page.locator("#messages")).to_have_attribute("aria-live", "polite")
    finally:
        other_context.close()
    expect(page.locator("#online li")).to_have_text(["Ada"])  # Bob's page is gone
