"""The gallery under ``pylive.csp.STRICT_POLICY`` in Chromium: every page connects with no
``securitypolicyviolation`` (recorded from an init script, before any of the page's own), a
click round-trips, and the policy is enforced: an inline script runs only with the page's
nonce. pylive's own inline script (the preconnect) carries it and opens the page's one socket,
and the stylesheets the gallery writes into the page carry it; under a policy without a
nonce, pylive loads that script as a file instead, and links the stylesheets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.support import connected, running_app
from gallery.catalog import DEMOS
from gallery.components import PAGES as COMPONENT_PAGES
from gallery.components import path_of

PAGES = ["/", *(demo.path for demo in DEMOS), *(path_of(page) for page in COMPONENT_PAGES)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
        ` at ${event.sourceFile}:${event.lineNumber}`
    );
});
"""

TOP_DISPLAY = "getComputedStyle(document.querySelector('.top')).display"
"""The gallery header's layout, which ``gallery.css`` sets (a sign the stylesheet applied)."""


@pytest.fixture
def strict(page: Page) -> Page:
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.__cspViolations")
    return found


def test_a_page_connects_and_clicks_under_the_strict_policy(strict: Page) -> None:
    response = strict.goto("/demos/counter")
    assert response is not None
    policy = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None and "script-src 'self' 'nonce-" in policy
    connected(strict)
    count = strict.locator("#count")
    for expected in ("1", "2"):
        strict.click("#inc")
        expect(count).to_have_text(expected)
    # the nonce attribute is hidden from the DOM, its IDL property is not
    nonces = strict.evaluate("[...document.scripts].map((s) => s.nonce)")
    assert set(nonces) == {nonce.group(1)}
    # pylive's inline preconnect script ran: its socket is the one the client took over
    assert strict.evaluate("document.scripts[0].src") == ""
    assert strict.evaluate("window.pylive.preconnected") is None
    # the gallery's stylesheets are written into the page with the nonce, and they apply
    sheets = strict.evaluate("[...document.styleSheets].map((s) => [s.href, s.ownerNode.nonce])")
    assert sheets == [[None, nonce.group(1)]] * 2
    assert strict.evaluate(TOP_DISPLAY) == "flex"
    assert violations(strict) == []


def test_the_policy_is_enforced_and_seen(strict: Page) -> None:
    strict.goto("/demos/counter")
    connected(strict)
    strict.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__ranWithout = true";
            document.head.append(script);
        }"""
    )
    strict.wait_for_function("window.__cspViolations.length > 0")
    assert strict.evaluate("window.__ranWithout") is None
    assert violations(strict)[0].startswith("script-src-elem blocked inline")
    strict.evaluate(
        """() => {
            const script = document.createElement("script");
            script.nonce = document.querySelector("script[src]").nonce;
            script.textContent = "window.__ranWith = true";
            document.head.append(script);
        }"""
    )
    assert strict.evaluate("window.__ranWith") is True
    assert len(violations(strict)) == 1


@pytest.mark.parametrize("path", PAGES)
def test_every_gallery_page_runs_without_a_violation(strict: Page, path: str) -> None:
    strict.goto(path)
    connected(strict)
    assert violations(strict) == []


def test_a_policy_without_a_nonce_gets_the_preconnect_script_as_a_file(
    browser: Browser, client_bundle: Path, tmp_path: Path
) -> None:
    with running_app("e2e.csp_app:app", tmp_path) as server:
        page = browser.new_page(base_url=server.url)
        try:
            page.add_init_script(RECORD_VIOLATIONS)
            sockets: list[str] = []
            page.on("websocket", lambda ws: sockets.append(ws.url))
            with page.expect_request(re.compile(r"/pylive-preconnect\.js\?v=")):
                response = page.goto("/")
            assert response is not None
            assert "'nonce-" not in response.headers["content-security-policy"]
            connected(page)
            page.click("#inc")
            expect(page.locator("#count")).to_have_text("1")
            assert page.evaluate("[...document.scripts].every((s) => s.src)")
            assert len(sockets) == 1  # the preconnected one, taken over by the client
            # no <style> under this policy: the gallery's stylesheets are linked instead
            assert page.evaluate("[...document.styleSheets].every((s) => s.href)")
            assert page.evaluate(TOP_DISPLAY) == "flex"
            assert violations(page) == []
        finally:
            page.close()
