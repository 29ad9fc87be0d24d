"""LiveComponent edge cases in Chromium, on ``component_apps:app`` (real hypercorn): a component
nested in a component, a component moved between parents, rows moved in a keyed list, an event
for a component destroyed while it was in flight, a component removed and shown again."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from playwright.sync_api import Page, WebSocket, expect

from e2e.support import (
    connected,
    mark_document,
    module_server,
    same_document,
)

server = module_server("component_apps:app")


def frames(page: Page) -> list[Any]:
    """Every frame the page's live socket exchanges from now on, decoded."""
    seen: list[Any] = []

    def on_socket(ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: seen.append(json.loads(payload)))
        ws.on("framesent", lambda payload: seen.append(json.loads(payload)))

    page.on("websocket", on_socket)
    return seen


def wait_for_frame(page: Page, seen: list[Any], event: str) -> None:
    deadline = time.monotonic() + 30
    while not any(f[3] == event for f in seen) and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # frames are recorded while Playwright waits
    assert any(f[3] == event for f in seen), [f[3] for f in seen]


def counter(page: Page, id: str) -> Any:
    return page.locator(f"#counter-{id} output")


def test_nested_and_moved_components_keep_their_state(page: Page) -> None:
    page.goto("/")
    connected(page)
    mark_document(page)
    page.click("#counter-inner-o .inc")  # a component rendered by a component
    expect(counter(page, "inner-o")).to_have_text("1")
    page.click("#counter-mover .inc")
    expect(counter(page, "mover")).to_have_text("1")
    page.click("#counter-mover .inc")
    page.click("#move")  # from #left to #right: the same component, moved
    expect(page.locator("#right #counter-mover output")).to_have_text("2")
    expect(page.locator("#left #counter-mover")).to_have_count(0)
    page.click("#counter-a .inc")
    page.click("#rotate")  # keyed rows: moved, not re-created
    expect(page.locator("#rows > li").first).to_have_id("row-b")
    expect(counter(page, "a")).to_have_text("1")
    page.click("#update-a")  # send_update from the view
    expect(page.locator("#counter-a .label")).to_have_text("from parent")
    expect(counter(page, "a")).to_have_text("1")
    assert same_document(page)


def test_an_event_for_a_destroyed_component_leaves_the_page_working(page: Page) -> None:
    seen = frames(page)
    page.goto("/")
    connected(page)
    mark_document(page)
    cid = page.get_attribute("#counter-a", "data-phx-component")
    page.click("#toggle")  # the rows go: the client destroys their components
    wait_for_frame(page, seen, "cids_destroyed")
    # an event that was on its way to that component (the client itself no longer sends one
    # to a cid missing from the page, so it goes straight to the view's channel)
    page.evaluate(
        """cid => window.liveSocket.main.channel.push("event",
                 {type: "click", event: "inc", value: {value: ""}, cid: Number(cid)})""",
        cid,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        f[3] == "phx_reply" and f[4].get("status") == "error" for f in seen
    ):
        page.wait_for_timeout(50)
    errors = [f[4] for f in seen if f[3] == "phx_reply" and f[4].get("status") == "error"]
    assert errors == [{"status": "error", "response": {"reason": "unknown component"}}]
    page.click("#toggle")  # the rows come back: new components, all working
    expect(counter(page, "a")).to_have_text("0")
    page.click("#counter-a .inc")
    expect(counter(page, "a")).to_have_text("1")
    assert same_document(page)
    assert not any(f[3] == "phx_error" for f in seen)


def test_a_component_shown_again_renders_whole(page: Page) -> None:
    page.goto("/")
    connected(page)
    page.click("#counter-b .inc")
    expect(counter(page, "b")).to_have_text("1")
    # hide and show at once: the component comes back before (revived, with its state) or
    # after (a new one) the destroy handshake ends; either way it renders in full and works
    page.evaluate(
        "document.querySelector('#toggle').click(); document.querySelector('#toggle-2').click()"
    )
    expect(page.locator("#counter-b")).to_have_count(1)
    expect(counter(page, "b")).to_have_text(re.compile(r"^[01]$"))
    before = counter(page, "b").inner_text()
    page.click("#counter-b .inc")
    expect(counter(page, "b")).to_have_text(str(int(before) + 1))
    expect(page.locator("#counter-b .label")).to_have_text("L")
