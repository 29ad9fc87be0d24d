"""Crashes in Chromium: the official client meets a crashed pylive view as it meets a crashed
Phoenix one.

pylive answers the message whose handling crashed with ``phx_error`` only, no reply, like a
Phoenix channel process that died (``tests/test_crash_fidelity.py`` checks the frames). So the
client takes Phoenix's paths:

* a crashed click: no "Failed to push event", the view rejoins without a page load; 30 s later
  the unanswered push times out, which does not reload a view that has rejoined;
* a click whose ``handle_params`` patches 21 times: the same, at the old URL;
* a crashed patch *link*: the client completes the navigation with a page load of the link's
  URL (``View.onClose`` with a pending link) — an error reply used to make it reload the old
  URL at once instead;
* 20 patches in a row are fine.

The app is ``e2e/crash_app.py`` on hypercorn. The client's debug log is on, so the console shows
what it did ("view crashed"...). Fake timers (``page.clock``) stand in for the client's 30 s push
timeout.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from e2e.crash_app import MAX_PATCHES, loop_url
from e2e.support import (
    ServerProcess,
    connected,
    container_classes_seen,
    enable_client_debug,
    mark_document,
    module_server,
    record_console,
    record_container_classes,
    same_document,
)

PUSH_TIMEOUT_MS = 30_000
"""The client's timeout for a pushed event (``PUSH_TIMEOUT`` in phoenix_live_view)."""
RELOAD_JITTER_MAX_MS = 10_000
"""The longest delay the client waits before a page load it decided on (``RELOAD_JITTER_MAX``)."""
FAILED_PUSH = "Failed to push"
"""What the client logs (console.error) when a push gets an error reply or times out."""


server = module_server("e2e.crash_app:app")


@pytest.fixture
def console(page: Page) -> list[str]:
    """The page's console messages, with the client's debug log on; fake timers installed."""
    enable_client_debug(page)
    page.clock.install()  # time flows as usual until a test fast-forwards it
    return record_console(page)


def open_counted(page: Page) -> None:
    """Load ``/``, mark the document and count to 1 (a fresh mount shows 0 again)."""
    page.goto("/")
    connected(page)
    mark_document(page)
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")


def url_ending(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path) + "$")


def failed_pushes(console: list[str]) -> list[str]:
    return [message for message in console if FAILED_PUSH in message]


def test_a_crashing_click_rejoins_without_a_failed_push(page: Page, console: list[str]) -> None:
    open_counted(page)
    record_container_classes(page)
    page.click("#crash")  # handle_event raises: phx_error, no reply
    expect(page.locator("#count")).to_have_text("0")  # rejoined: a fresh mount
    connected(page)
    assert {"phx-error", "phx-connected"} <= container_classes_seen(page)
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")

    assert same_document(page)
    assert any("view crashed" in message for message in console), console
    assert not failed_pushes(console)  # an error reply would have logged one


def test_the_push_timeout_of_a_crashed_click_does_not_reload_the_rejoined_view(
    page: Page, console: list[str]
) -> None:
    open_counted(page)
    page.click("#crash")
    expect(page.locator("#count")).to_have_text("0")
    connected(page)
    assert not failed_pushes(console)

    # The crashed push was never answered: its timeout fires (as it would with Phoenix)...
    with page.expect_console_message(lambda message: FAILED_PUSH in message.text) as timed_out:
        page.clock.fast_forward(PUSH_TIMEOUT_MS + 1_000)
    assert "push timeout" in timed_out.value.text
    # ...and a reload it started would run within the jitter: none does, the view lives on.
    page.clock.fast_forward(RELOAD_JITTER_MAX_MS + 1_000)
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")
    assert same_document(page)
    assert not [message for message in console if "consecutive reloads" in message]


def test_a_click_that_patches_forever_crashes_and_rejoins_at_the_same_url(
    page: Page, console: list[str], server: ServerProcess
) -> None:
    open_counted(page)
    record_container_classes(page)
    page.click(f"#patch-{MAX_PATCHES + 1}")  # the 21st push_patch in a row crashes the view
    expect(page.locator("#count")).to_have_text("0")  # rejoined: a fresh mount
    connected(page)
    expect(page.locator("#position")).to_have_text("n=0 until=0")
    expect(page.locator("#armed")).to_have_text("idle")
    assert page.url == server.url + "/"  # no patch reached the client
    assert "phx-error" in container_classes_seen(page)
    page.click("#inc")
    expect(page.locator("#count")).to_have_text("1")

    assert same_document(page)
    assert any("view crashed" in message for message in console), console
    assert not failed_pushes(console)


def test_a_patch_link_that_patches_forever_loads_the_link_as_with_phoenix(
    page: Page, console: list[str]
) -> None:
    open_counted(page)
    page.click("#arm")
    expect(page.locator("#armed")).to_have_text("armed")
    link = loop_url(0, MAX_PATCHES + 1)

    loads: list[str] = []

    def on_request(request: Request) -> None:
        # document loads only: framenavigated also fires for the new page's history.replaceState
        if request.is_navigation_request() and request.frame == page.main_frame:
            loads.append(request.url)

    page.on("request", on_request)
    page.click(f"#link-{MAX_PATCHES + 1}")  # live_patch; handle_params patches 21 times
    # The crash arrives while the link is pending: the client shows the error, then loads the
    # link after a random delay (with an error reply it reloaded the old URL at once instead).
    page.wait_for_url(url_ending(link), timeout=RELOAD_JITTER_MAX_MS + 20_000)
    assert [urlsplit(url).path + "?" + urlsplit(url).query for url in loads] == [link]
    connected(page)
    expect(page.locator("#position")).to_have_text(f"n=0 until={MAX_PATCHES + 1}")
    expect(page.locator("#count")).to_have_text("0")
    expect(page.locator("#armed")).to_have_text("idle")  # a fresh mount does not loop
    assert not same_document(page)
    # the client's own account: it reloads because of the crash (it logs no "view crashed":
    # it disconnects the socket first, for the page load)
    assert any("consecutive reloads" in message for message in console), console
    assert not failed_pushes(console)


@pytest.mark.parametrize("trigger", [f"#link-{MAX_PATCHES}", f"#patch-{MAX_PATCHES}"])
def test_twenty_patches_in_a_row_end_at_the_last_url(
    page: Page, console: list[str], trigger: str
) -> None:
    open_counted(page)
    page.click("#arm")
    expect(page.locator("#armed")).to_have_text("armed")
    record_container_classes(page)

    page.click(trigger)
    last = loop_url(MAX_PATCHES, MAX_PATCHES)
    expect(page).to_have_url(url_ending(last))
    expect(page.locator("#position")).to_have_text(f"n={MAX_PATCHES} until={MAX_PATCHES}")
    expect(page.locator("#count")).to_have_text("1")  # the same mount
    assert "phx-error" not in container_classes_seen(page)
    assert same_document(page)
    assert not [message for message in console if "view crashed" in message]
