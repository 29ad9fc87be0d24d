"""The sign-up form of the gallery in Chromium, driven by the official client: validation as the
user types (errors only on used fields, linked with ``aria-describedby``), rows added and removed
through the form's change event, and form recovery after the server restarts."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.support import MAIN, GalleryServer, connected, mark_document, same_document


def test_validation_as_the_user_types_shows_errors_of_used_fields_only(page: Page) -> None:
    page.goto("/demos/form")
    connected(page)
    name = page.locator("#sign_up_name")
    name.press_sequentially("J")
    error = page.locator("#sign_up_name-error")
    expect(error).to_have_text("String should have at least 2 characters")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", "sign_up_name-error")
    expect(page.locator("#sign_up_email-error")).to_have_count(0)  # not used yet
    name.press_sequentially("o")
    expect(error).to_have_count(0)
    expect(name).not_to_have_attribute("aria-invalid", "true")
    email = page.locator("#sign_up_email")
    email.press_sequentially("jo@")  # phx-debounce="300": one event once typing pauses
    expect(page.locator("#sign_up_email-error")).to_contain_text("name@example.com")
    email.press_sequentially("example.com")
    expect(page.locator("#sign_up_email-error")).to_have_count(0)


def test_rows_are_added_and_removed_and_a_submit_saves(page: Page) -> None:
    page.goto("/demos/form")
    connected(page)
    page.click("#add-address")
    expect(page.locator(".address-row")).to_have_count(2)
    expect(page.locator("#sign_up_addresses_1_city-error")).to_have_count(0)
    page.locator("#address-1 button", has_text="Remove").click()
    expect(page.locator(".address-row")).to_have_count(1)
    page.fill("#sign_up_name", "Jo")
    page.fill("#sign_up_email", "jo@example.com")
    page.fill("#sign_up_age", "30")
    page.fill("#sign_up_addresses_0_street", "1 Main St")
    page.fill("#sign_up_addresses_0_city", "Oslo")
    page.fill("#sign_up_addresses_0_postcode", "12345")
    page.click("#sign-up")
    expect(page.locator("#sign_up_terms-error")).to_have_text("please accept the terms")
    page.check("#sign_up_terms")
    page.click("#sign-up")
    expect(page.locator("#saved h2")).to_have_text("Welcome, Jo")


def test_the_form_is_recovered_after_the_server_restarts(page: Page, server: GalleryServer) -> None:
    page.goto("/demos/form")
    connected(page)
    mark_document(page)
    page.fill("#sign_up_name", "J")
    expect(page.locator("#sign_up_name-error")).to_be_visible()
    page.click("#add-address")
    page.fill("#sign_up_addresses_1_city", "Rome")
    expect(page.locator(".address-row")).to_have_count(2)

    server.stop()
    expect(page.locator(MAIN)).to_contain_class("phx-error")
    server.start()
    connected(page)
    # a fresh mount has one address row and no errors; the client's recovery event (the
    # form's phx-change with what the page holds) brought back both rows and the error
    expect(page.locator(".address-row")).to_have_count(2)
    expect(page.locator("#sign_up_addresses_1_city")).to_have_value("Rome")
    expect(page.locator("#sign_up_name")).to_have_value("J")
    expect(page.locator("#sign_up_name-error")).to_be_visible()
    page.fill("#sign_up_name", "Jo")
    expect(page.locator("#sign_up_name-error")).to_have_count(0)
    assert same_document(page)
