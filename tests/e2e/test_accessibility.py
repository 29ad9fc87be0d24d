"""Every gallery page, checked by axe-core in Chromium, in the light and in the dark colour
scheme: no serious or critical WCAG 2.1 A/AA violation, once the page is live.

axe-core comes from npm (``tests/conformance/package.json``, installed by ``npm ci``); it runs
inside the page, on the DOM the official client produced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from e2e.support import connected
from gallery.catalog import DEMOS
from gallery.components import PAGES as COMPONENT_PAGES
from gallery.components import path_of

AXE = (
    Path(__file__).resolve().parents[1] / "conformance" / "node_modules" / "axe-core" / "axe.min.js"
)
PAGES = [
    "/",
    *(demo.path for demo in DEMOS),
    *(path_of(component) for component in COMPONENT_PAGES),
]
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG A/AA violations on the page as it is now."""
    # evaluated over the DevTools protocol, which the gallery's strict Content-Security-Policy
    # (docs/security.md) does not restrict, unlike an inline <script> (add_script_tag)
    page.evaluate(AXE.read_text())
    found: list[dict[str, Any]] = page.evaluate(
        """async rules => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: rules}});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
                }));
        }""",
        RULES,
    )
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_gallery_page_has_no_serious_accessibility_violation(
    page: Page, path: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(path)
    connected(page)
    found = violations(page)
    assert not found, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in found
    )
