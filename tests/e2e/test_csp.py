"""The gallery under ``pylive.csp.STRICT_POLICY`` in Chromium: every page connects with no
``securitypolicyviolation`` (recorded from an init script, before any of the page's own), a
click round-trips, and the policy is enforced: an inline script runs only with the page's
nonce."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.support import connected
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
