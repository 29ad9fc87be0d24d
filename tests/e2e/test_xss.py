"""An XSS corpus in Chromium with the official client (``e2e.xss_app``): every payload
rendered as text, attribute values, a link's URL and JS command values, on the HTTP render,
in a diff, and sent back by a JS command, stays inert: no dialog opens, ``window.__xss`` is
never set, every payload reads back as the very text it was, and no link has a script URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from e2e.support import ServerProcess, connected, module_server
from e2e.xss_app import CORPUS

TIMEOUT_MS = 30_000


xss_server = module_server("e2e.xss_app:app")


@pytest.fixture
def corpus(browser: Browser, xss_server: ServerProcess) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(base_url=xss_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto("/")
    connected(tab)
    yield tab, dialogs
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def assert_inert(page: Page, dialogs: list[str], rows: str) -> None:
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    expect(page.locator(f"{rows} .text")).to_have_text(CORPUS)
    found = page.evaluate(
        """(rows) => [...document.querySelectorAll(rows + ' > li')].map((li) => [
            li.querySelector('.attr').title,
            li.querySelector('.attr').dataset.value,
            li.querySelector('.input').value,
            li.querySelector('.area').value,
        ])""",
        rows,
    )
    assert found == [[text] * 4 for text in CORPUS]
    protocols = page.evaluate("[...document.querySelectorAll('a')].map((a) => a.protocol)")
    assert protocols and set(protocols) <= {"http:", "https:"}
    assert page.locator(f"{rows} script, {rows} img, {rows} svg, {rows} iframe").count() == 0


def test_the_corpus_is_inert_in_every_context(corpus: tuple[Page, list[str]]) -> None:
    page, dialogs = corpus
    assert page.title().endswith(CORPUS[9])  # the page title too, as text
    assert_inert(page, dialogs, "#first")
    # every javascript:/vbscript:/data: disguise is refused by link(), as by Phoenix's <.link>
    assert page.locator("#first .refused").count() >= 7
    page.click("#reveal")  # the same rows again, in a diff
    expect(page.locator("#revealed > li")).to_have_count(len(CORPUS))
    assert_inert(page, dialogs, "#revealed")
    for n in (6, 7):  # the breakouts that would add onmouseover and onfocus handlers
        page.hover(f"#first .attr >> nth={n}")
        page.focus(f"#first .input >> nth={n}")
        page.hover(f"#revealed .attr >> nth={n}")
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


def test_js_command_values_are_inert(corpus: tuple[Page, list[str]]) -> None:
    page, dialogs = corpus
    for n, text in enumerate(CORPUS):
        page.click(f"#cmd-{n}")
        expect(page.locator("#echoes")).to_have_text(f"echoes: {n + 1}")
        expect(page.locator("#echoed")).to_have_text(text)
        assert page.locator(f"#cmd-target-{n}").get_attribute("title") == text
        assert page.locator("#echoed").get_attribute("title") == text
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
