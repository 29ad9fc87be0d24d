"""``phx-trigger-action`` in Chromium: the form is validated over the socket, then the browser
posts it natively to a plain HTTP route, whose CSRF check (``pylive.csrf.csrf_protect``) passes
with the ``_csrf_token`` field of ``csrf_input``. Also a LiveComponent's form recovered after
its view crashes. The app is ``tests/form_apps.py``."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.support import ServerProcess, connected, module_server

server = module_server("form_apps:app")


def test_trigger_action_posts_the_valid_form_with_its_csrf_token(page: Page) -> None:
    page.goto("/signin")
    connected(page)
    page.fill("#login_name", "ann")
    page.fill("#login_password", "short")
    page.click("button[type=submit]")
    expect(page.locator("#login_password-error")).to_be_visible()  # invalid: no post
    assert page.url.endswith("/signin")
    page.fill("#login_password", "long enough")
    page.click("button[type=submit]")
    expect(page.locator("body")).to_have_text("signed in as ann via button")


def test_a_post_without_the_csrf_token_is_refused(page: Page, server: ServerProcess) -> None:
    response = page.request.post(server.url + "/session", form={"login[name]": "eve"})
    assert response.status == 403


def test_a_live_component_form_is_recovered_after_a_crash(page: Page) -> None:
    page.goto("/boxes")
    connected(page)
    page.fill("#login-two_name", "ann")
    expect(page.locator("#login-two_password-error")).to_have_count(0)
    page.fill("#login-one_name", "bob")
    page.fill("#login-one_password", "long enough")
    expect(page.locator("#box-one .status")).to_have_text("valid")
    page.click("#crash")  # the view crashes and rejoins: components mount afresh
    connected(page)
    expect(page.locator("#box-one .status")).to_have_text("valid")  # recovered to its cid
    expect(page.locator("#login-two_name")).to_have_value("ann")
