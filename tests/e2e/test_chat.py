"""The chat demo in a real browser: two pages on one server see each other online, see who is
typing, and see each other's messages; closing one page takes its user offline. Then the same
across two gallery servers sharing a real Redis (``python -m gallery --pubsub redis://...``)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from redis_support import RedisServer, redis_server
from served import free_port

from e2e.support import GalleryServer, ServerProcess, connected

__all__ = ["redis_server"]  # the fixture, imported for this module


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


def test_chat_across_two_servers_sharing_redis(
    browser: Browser, redis_server: RedisServer, client_bundle: Path, tmp_path: Path
) -> None:
    servers = []
    for n in (1, 2):
        port = free_port()
        args = ["-m", "gallery", "--port", str(port), "--pubsub", redis_server.url]
        servers.append(ServerProcess(port, tmp_path / f"gallery{n}.log", args))
    contexts = []
    try:
        for server in servers:
            server.start()
        pages = []
        for server, name in zip(servers, ("Ada", "Bob"), strict=True):
            context = browser.new_context(base_url=server.url)
            contexts.append(context)
            tab = context.new_page()
            tab.goto(f"/demos/chat?name={name}")
            connected(tab)
            pages.append(tab)
        ada, bob = pages
        for tab in pages:  # presence crossed the processes both ways
            expect(tab.locator("#online li")).to_have_text(["Ada", "Bob"])
        ada.get_by_role("textbox", name="Message").fill("hello from server one")
        ada.get_by_role("button", name="Send").click()
        expect(bob.locator("#messages li")).to_have_text(["Ada: hello from server one"])
        bob.get_by_role("textbox", name="Message").fill("hi from server two")
        bob.keyboard.press("Enter")
        expect(ada.locator("#messages li")).to_have_text(
            ["Ada: hello from server one", "Bob: hi from server two"]
        )
        contexts.pop().close()  # Bob closes his tab: Ada's server hears it through Redis
        expect(ada.locator("#online li")).to_have_text(["Ada"])
    finally:
        for context in contexts:
            context.close()
        for server in servers:
            server.stop()
