"""Phoenix's secure browser headers in Chromium (the gallery, under the strict policy): the page
carries them, pylive's scripts are served ``nosniff`` with their own type, so the browser uses
them (the gallery writes its stylesheets into the page), and the page connects and
round-trips a click."""

from __future__ import annotations

from playwright.sync_api import Page, Response, expect

from e2e.support import connected
from pylive.browser_headers import SECURE_BROWSER_HEADERS


def test_a_page_carries_the_headers_and_still_connects(page: Page) -> None:
    assets: list[Response] = []  # pylive's: the client bundle, the toolkit's script
    page.on("response", lambda r: assets.append(r) if "/live/assets/" in r.url else None)
    response = page.goto("/demos/counter")
    assert response is not None and response.status == 200
    headers = response.headers
    for name, value in SECURE_BROWSER_HEADERS.items():
        assert headers[name] == value
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    connected(page)
    assert len(assets) >= 2, [asset.url for asset in assets]
    for asset in assets:
        assert asset.headers["x-content-type-options"] == "nosniff", asset.url
        assert asset.headers["content-type"].startswith("text/javascript")
    for expected in ("1", "2"):
        page.click("#inc")
        expect(page.locator("#count")).to_have_text(expected)
