"""``pylive.ui``'s form inputs and file dropzone in Chromium with the official client, on the
gallery's pages: errors show once a field is used (the client's ``_unused_`` markers), not
before; submit shows them all, then saves; the keyboard works as with native controls (Tab
order, Space toggles a checkbox or a switch, the arrow keys move the choice in a radio group);
the dropzone's file input is reached with Tab and opens the chooser from the keyboard; a
chosen image gets a preview and its progress; cancel removes it; axe-core passes with files
listed, in light and dark.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import FileChooser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from e2e.support import PNG, focused_id, open_page
from e2e.test_accessibility import violations


def test_typing_shows_errors_of_used_fields_only_then_submit_shows_all(page: Page) -> None:
    open_page(page, "/components/inputs")
    name = page.locator("#profile_name")
    name.press_sequentially("J")
    expect(page.locator("#profile_name-error")).to_have_text(
        "String should have at least 2 characters"
    )
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", "profile_name-error")
    # the other fields have errors too (they are empty), not shown: not used yet
    expect(page.locator(".ui-field-errors")).to_have_count(1)
    name.press_sequentially("o")
    expect(page.locator("#profile_name-error")).to_have_count(0)
    expect(name).not_to_have_attribute("aria-invalid", "true")
    page.click("#profile-save")
    for field in ("email", "role", "plan", "terms"):
        expect(page.locator(f"#profile_{field}-error")).to_be_visible()
    expect(page.locator("#profile_plan")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#profile_email")).to_have_attribute(
        "aria-describedby", "profile_email-help profile_email-error"
    )
    page.fill("#profile_email", "jo@example.com")
    page.select_option("#profile_role", "designer")
    page.check("#profile_plan_2")
    page.check("#profile_terms")
    page.click("#profile-save")
    expect(page.locator("#profile-saved")).to_have_text("Saved Jo (team)")
    expect(page.locator(".ui-field-errors")).to_have_count(0)


def test_keyboard_tab_order_radio_arrows_and_space_on_checkbox(page: Page) -> None:
    open_page(page, "/components/inputs")
    page.focus("#profile_name")
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(focused_id(page))
    # the radio group is one Tab stop (its first radio, none being checked)
    assert order == [
        "profile_email",
        "profile_bio",
        "profile_role",
        "profile_plan_0",
        "profile_terms",
    ]
    page.keyboard.press("Shift+Tab")
    assert focused_id(page) == "profile_plan_0"
    page.keyboard.press("ArrowRight")  # the native radios: move and check
    expect(page.locator("#profile_plan_1")).to_be_checked()
    assert focused_id(page) == "profile_plan_1"
    page.keyboard.press("ArrowDown")
    expect(page.locator("#profile_plan_2")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#profile_plan_1")).to_be_checked()
    expect(page.locator("#profile_plan_2")).not_to_be_checked()
    # fields only tabbed through are not used (typed in or changed): no error shown yet
    expect(page.locator(".ui-field-errors")).to_have_count(0)
    page.keyboard.press("Tab")
    assert focused_id(page) == "profile_terms"
    page.keyboard.press("Space")
    expect(page.locator("#profile_terms")).to_be_checked()
    page.keyboard.press("Tab")
    assert focused_id(page) == "profile-save"
    page.keyboard.press("Enter")  # submit: every field's errors, but the plan and terms chosen
    expect(page.locator("#profile_name-error")).to_be_visible()
    expect(page.locator("#profile_plan-error")).to_have_count(0)
    expect(page.locator("#profile_terms-error")).to_have_count(0)
    expect(page.locator("#profile_plan_1")).to_be_checked()


def test_space_toggles_switches_and_the_server_saves_them(page: Page) -> None:
    open_page(page, "/components/inputs")
    summary = page.locator("#settings-summary")
    expect(summary).to_have_text("Email on, push off, digest off")
    email = page.get_by_role("switch", name="By email")
    expect(email).to_be_checked()
    email.focus()
    page.keyboard.press("Space")
    expect(summary).to_have_text("Email off, push off, digest off")
    expect(email).not_to_be_checked()
    page.keyboard.press("Tab")
    assert focused_id(page) == "settings_push_alerts"
    page.keyboard.press("Space")
    expect(summary).to_have_text("Email off, push on, digest off")
    page.keyboard.press("Tab")
    assert focused_id(page) == "settings_digest"
    page.keyboard.press("Space")
    expect(summary).to_have_text("Email off, push on, digest on")
    expect(page.get_by_role("checkbox", name="Weekly digest")).to_be_checked()


def _choose_with_space(page: Page) -> FileChooser:
    """Space on the focused file input opens the file chooser. On a loaded machine Chromium
    now and then lets a key press go by without opening it: press again (the focus stays on
    the file input) rather than fail on the first."""
    for _ in range(3):
        assert page.evaluate("document.activeElement.type") == "file"
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeout:
            continue
        return chooser.value
    pytest.fail("Space on the file input opened no file chooser")


def test_dropzone_keyboard_chooser_preview_progress_cancel_and_save(
    page: Page, tmp_path: Path
) -> None:
    dot = tmp_path / "dot.png"
    dot.write_bytes(PNG)
    open_page(page, "/components/dropzone")
    label = page.locator(".ui-dropzone-label")
    expect(label).to_be_visible()
    expect(label).to_have_text("Choose photos")
    file_input = page.get_by_label("Choose photos")
    expect(file_input).to_have_attribute("type", "file")
    for _ in range(40):  # Tab from the top of the page until the file input has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "file":
            break
    else:
        pytest.fail("the file input is not in the Tab order")
    outline = page.evaluate(
        "getComputedStyle(document.querySelector('.ui-dropzone-label')).outlineStyle"
    )
    assert outline == "solid"  # the visible label shows the focus
    chooser = _choose_with_space(page)
    chooser.set_files(str(dot))
    entry = page.locator(".ui-dropzone-entry")
    expect(entry).to_have_count(1)
    # the client's local preview of the chosen image
    expect(entry.locator("img.ui-dropzone-preview")).to_have_attribute("src", re.compile("^blob:"))
    bar = page.get_by_role("progressbar", name="dot.png")
    expect(bar).to_have_attribute("aria-valuenow", "100")  # auto_upload: sent at once
    page.get_by_role("button", name="Cancel dot.png").click()
    expect(entry).to_have_count(0)
    file_input.set_input_files(str(dot))
    expect(bar).to_have_attribute("aria-valuenow", "100")
    page.click("#photos-save")
    expect(page.locator("#photos-saved li")).to_have_text([f"dot.png ({len(PNG)} bytes)"])
    expect(entry).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dropzone_with_files_and_errors_passes_axe(page: Page, tmp_path: Path, scheme: str) -> None:
    (tmp_path / "dot.png").write_bytes(PNG)
    (tmp_path / "notes.txt").write_text("not an image")
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    open_page(page, "/components/dropzone")
    page.set_input_files(
        ".ui-dropzone-input", [str(tmp_path / "dot.png"), str(tmp_path / "notes.txt")]
    )
    expect(page.locator(".ui-dropzone-entry-invalid .ui-field-errors")).to_have_text(
        "This type of file is not accepted"
    )
    found = violations(page)
    assert not found, found
