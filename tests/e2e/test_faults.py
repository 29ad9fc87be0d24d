"""A crash in one tab's view does not disturb another tab (issue #14, faults), in Chromium with
the official client: tab A's view crashes (``phx_error``), rejoins and mounts afresh without a
page load; tab B, on its own socket, never leaves ``phx-connected`` and keeps counting.

The app is ``tests/fault_apps.py`` on hypercorn; its ``#arm-*`` buttons make one callback raise
on its next call. ``tests/test_faults.py`` checks every callback, and views sharing a socket,
in-process.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.support import (
    connected,
    container_classes_seen,
    mark_document,
    module_server,
    record_container_classes,
    same_document,
)

server = module_server("fault_apps:app")


def count_to(tab: Page, n: int) -> None:
    for i in range(1, n + 1):
        tab.click("#inc")
        expect(tab.locator("#count")).to_have_text(str(i))  # each click answered first


@pytest.mark.parametrize(
    ("callback", "trigger"),
    [("handle_event", "#poke"), ("component.render", "#inc")],
)
def test_a_crash_in_one_tab_leaves_the_other_tab_working(
    page: Page, callback: str, trigger: str
) -> None:
    crashing, other = page, page.context.new_page()
    for tab in (crashing, other):
        tab.goto("/")
        connected(tab)
        mark_document(tab)
        count_to(tab, 2)
        record_container_classes(tab)

    crashing.click(f"#arm-{callback.replace('.', '-')}")
    crashing.click(trigger)
    expect(crashing.locator("#count")).to_have_text("0")  # the rejoin mounted a fresh view
    connected(crashing)
    assert "phx-error" in container_classes_seen(crashing)
    count_to(crashing, 1)

    other.click("#inc")
    expect(other.locator("#count")).to_have_text("3")  # its view kept its state
    assert "phx-error" not in container_classes_seen(other)
    assert same_document(crashing) and same_document(other)
    other.close()
