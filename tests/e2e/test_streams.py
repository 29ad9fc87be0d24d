"""Streams in Chromium with the official client: a chat with a limit (``e2e.stream_app``),
reordering by delete + insert, reset, and the gallery's todo demo (``phx-remove`` on delete,
edit in place, filters by patch, all from the keyboard)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.stream_app import LIMIT
from e2e.support import (
    ServerProcess,
    connected,
    mark_document,
    module_server,
    same_document,
)

TIMEOUT_MS = 30_000


chat_server = module_server("e2e.stream_app:app")


@pytest.fixture
def chat(browser: Browser, chat_server: ServerProcess) -> Iterator[Page]:
    context = browser.new_context(base_url=chat_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto("/")
    connected(tab)
    yield tab
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def texts(page: Page) -> list[str]:
    return [t.removesuffix(" pin") for t in page.locator("#messages > li").all_inner_texts()]


def say(page: Page, text: str, sent: int) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")
    expect(page.locator("#sent")).to_have_text(f"sent: {sent}")


def test_chat_keeps_the_last_messages_up_to_its_limit(chat: Page) -> None:
    mark_document(chat)
    expect(chat.locator("#messages > li")).to_have_count(1)
    for n in range(1, LIMIT + 3):
        say(chat, f"hello {n}", n)
    expect(chat.locator("#messages > li")).to_have_count(LIMIT)
    assert texts(chat) == [f"hello {n}" for n in range(3, LIMIT + 3)]
    chat.click("#burst")  # three inserts in one diff, still trimmed to the limit
    expect(chat.locator("#messages > li").last).to_contain_text("burst 2")
    assert texts(chat) == ["hello 6", "hello 7", "burst 0", "burst 1", "burst 2"]
    # every row is the stream's: the client tags it with the stream's ref
    refs = chat.eval_on_selector_all("#messages > li", "els => els.map(e => e.dataset.phxStream)")
    assert refs == ["0"] * LIMIT
    assert same_document(chat)


def test_chat_reorders_by_delete_and_insert_and_resets(chat: Page) -> None:
    for n in range(1, 4):
        say(chat, f"m{n}", n)
    assert texts(chat) == ["welcome", "m1", "m2", "m3"]
    chat.evaluate("document.querySelector('#messages > li:nth-child(3)').__mark = 'kept'")
    chat.locator("#messages > li", has_text="m3").locator(".pin").click()
    expect(chat.locator("#messages > li").first).to_contain_text("m3")
    assert texts(chat) == ["m3", "welcome", "m1", "m2"]
    # the other rows were not touched
    marked = chat.evaluate("document.querySelector('#messages-3').__mark")
    assert marked == "kept"
    chat.click("#clear")
    expect(chat.locator("#messages > li")).to_have_count(1)
    assert texts(chat) == ["cleared"]
    say(chat, "after", 4)
    assert texts(chat) == ["cleared", "after"]


def test_a_reconnect_shows_what_the_mount_streams(chat: Page) -> None:
    say(chat, "before", 1)
    chat.evaluate("window.liveSocket.disconnect()")
    chat.evaluate("window.liveSocket.connect()")
    expect(chat.locator("#sent")).to_have_text("sent: 0")  # mounted afresh
    expect(chat.locator("#messages > li")).to_have_count(1)
    assert texts(chat) == ["welcome"]


# --------------------------------------------------------------------------- the todo demo


def titles(page: Page) -> list[str]:
    return page.locator("#todos > li .title").all_inner_texts()


def test_todo_demo_from_the_keyboard(page: Page) -> None:
    page.goto("/demos/todo")
    connected(page)
    mark_document(page)
    expect(page.locator("#todos > li")).to_have_count(3)
    page.get_by_label("New todo").fill("Test in Chromium")
    page.get_by_label("New todo").press("Enter")
    expect(page.locator("#todos > li")).to_have_count(4)
    expect(page.locator("#todo-count")).to_have_text("4 of 4 left to do")
    # edit in place: the row becomes a form (labelled), Enter saves
    page.get_by_role("button", name="Edit: Ship it").click()
    field = page.get_by_label("New title of Ship it")
    expect(field).to_be_focused()
    field.fill("Ship it today")
    field.press("Enter")
    expect(page.locator("#todos-3 .title")).to_have_text("Ship it today")
    expect(page.locator("#edit-3")).to_be_focused()  # back on the row's Edit button
    # complete from the keyboard (Space on the checkbox)
    page.locator("#done-1").focus()
    page.keyboard.press("Space")
    expect(page.locator("#todo-count")).to_have_text("3 of 4 left to do")
    expect(page.locator("#todos-1")).to_have_class("done")
    # reorder
    page.get_by_role("button", name="Move up: Test in Chromium").click()
    expect(page.locator("#todos > li").nth(2)).to_have_id("todos-4")
    expect(page.locator("#up-4")).to_be_focused()  # the moved row is new: focus follows it
    page.keyboard.press("Enter")  # and moves it again
    expect(page.locator("#todos > li").nth(1)).to_have_id("todos-4")
    page.locator("#down-4").click()
    expect(page.locator("#todos > li").nth(2)).to_have_id("todos-4")  # wait for the move
    assert titles(page) == [
        "Write the docs",
        "Stream the todos",
        "Test in Chromium",
        "Ship it today",
    ]
    # filters patch the URL; the stream is reset to what the filter shows
    page.get_by_role("link", name="Active", exact=True).click()
    expect(page).to_have_url(re.compile(r"/demos/todo\?filter=active$"))
    expect(page.locator("#todos > li")).to_have_count(3)
    page.get_by_role("link", name="Done", exact=True).click()
    expect(page.locator("#todos > li")).to_have_count(1)
    expect(page.get_by_role("link", name="Done", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.go_back()
    expect(page.locator("#todos > li")).to_have_count(3)
    page.get_by_role("link", name="All", exact=True).click()
    expect(page.locator("#todos > li")).to_have_count(4)
    assert same_document(page)


def test_todo_delete_runs_phx_remove(page: Page) -> None:
    page.goto("/demos/todo")
    connected(page)
    page.evaluate(
        """() => {
            window.__removing = [];
            new MutationObserver(records => {
                for (const r of records) {
                    if (r.target.id && r.target.classList.contains("fade-out")) {
                        window.__removing.push(r.target.id);
                    }
                }
            }).observe(document.getElementById("todos"),
                       {attributes: true, subtree: true, attributeFilter: ["class"]});
        }"""
    )
    page.get_by_role("button", name="Delete: Stream the todos").click()
    expect(page.locator("#todos-2")).to_have_count(0)
    assert "todos-2" in page.evaluate("window.__removing")  # the transition ran first
    assert titles(page) == ["Write the docs", "Ship it"]
