"""The preconnected WebSocket in Chromium (``pylive/client/src/preconnect.js``, inline in the
page): the page opens its live socket while its head is parsed and the bundle downloads, and the
bundle's bootstrap adopts it as the Phoenix Socket's first transport, so a page opens one
WebSocket, not two. When the socket cannot be used (other connect params, no automatic connect)
it is closed and the page behaves as without it; a tab that remembered the long-poll fallback
opens none."""

from __future__ import annotations

from playwright.sync_api import Page, Route, WebSocket, expect

from e2e.support import connected

PRECONNECTED_OPEN = (
    "() => !!(window.pylive && window.pylive.preconnected"
    " && window.pylive.preconnected.readyState === WebSocket.OPEN)"
)


def record_websockets(page: Page) -> list[WebSocket]:
    """Every live-socket WebSocket the page opens from now on, in order."""
    sockets: list[WebSocket] = []
    page.on("websocket", lambda ws: sockets.append(ws) if "/live/websocket" in ws.url else None)
    return sockets


def wait_closed(ws: WebSocket) -> None:
    """Wait until ``ws`` is closed (events are only delivered during a Playwright call, so none
    is missed between the check and the wait)."""
    if not ws.is_closed():
        ws.wait_for_event("close")


def clicks_work(page: Page) -> None:
    count = page.locator("#count")
    expect(count).to_have_text("0")
    page.click("#inc")
    expect(count).to_have_text("1")


def test_the_page_connects_over_the_preconnected_socket(page: Page) -> None:
    sockets = record_websockets(page)
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto("/demos/counter")
    connected(page)
    clicks_work(page)
    assert not any("preconnect" in url for url in scripts)  # inline: nothing to fetch
    assert len(sockets) == 1 and not sockets[0].is_closed()
    assert "_csrf_token=" in sockets[0].url and "vsn=2.0.0" in sockets[0].url
    assert page.evaluate("window.pylive.preconnected") is None  # taken by the Phoenix Socket
    assert page.evaluate("window.liveSocket.getSocket().conn instanceof WebSocket")


def test_a_socket_already_open_when_the_bundle_runs_is_adopted(page: Page) -> None:
    """The socket's open event has fired before the Phoenix Socket set its handlers: the
    bootstrap replays it, and the views join."""
    held: list[Route] = []
    page.route("**/live/assets/pylive.js*", lambda route: held.append(route))  # until released
    sockets = record_websockets(page)
    page.goto("/demos/counter", wait_until="commit")
    page.wait_for_function(PRECONNECTED_OPEN)
    assert len(held) == 1
    held[0].continue_()
    connected(page)
    clicks_work(page)
    assert len(sockets) == 1 and not sockets[0].is_closed()


def test_other_connect_params_get_a_socket_of_their_own(page: Page) -> None:
    """A page script adding connect params changes the socket's URL: the preconnected socket is
    closed and the Phoenix Socket opens its own, carrying the params."""
    page.add_init_script("window.pylive = { params: { answer: 42 } };")
    sockets = record_websockets(page)
    page.goto("/demos/counter")
    connected(page)
    clicks_work(page)
    assert len(sockets) == 2
    early, used = sockets
    assert "answer=42" not in early.url and "answer=42" in used.url
    wait_closed(early)
    assert not used.is_closed()


def test_without_auto_connect_the_preconnected_socket_is_closed(page: Page) -> None:
    page.add_init_script("window.pylive = { autoConnect: false };")
    sockets = record_websockets(page)
    page.goto("/demos/counter", wait_until="load")
    page.wait_for_function("window.pylive.preconnected === null")
    assert page.evaluate("window.pylive.liveSocket") is None
    assert len(sockets) == 1
    wait_closed(sockets[0])
    page.evaluate("window.pylive.connect()")
    connected(page)
    clicks_work(page)
    assert len(sockets) == 2 and not sockets[1].is_closed()


def test_a_tab_that_remembered_the_long_poll_fallback_preconnects_nothing(page: Page) -> None:
    page.add_init_script("sessionStorage.setItem('phx:fallback:LongPoll', 'true')")
    sockets = record_websockets(page)
    page.goto("/demos/counter")
    connected(page)
    clicks_work(page)
    assert sockets == []  # the Phoenix Socket went straight to long-poll, as it remembered
    assert page.evaluate(
        "() => { const s = window.liveSocket.getSocket();"
        " return s.transport === s.getLongPollTransport(); }"
    )


def test_a_page_without_a_live_view_closes_the_preconnected_socket(page: Page) -> None:
    """The LiveSocket opens no socket when there is no view to join: the preconnected one is
    closed rather than left for the server's heartbeat timeout."""

    # the container stops being a live view before the bootstrap's DOMContentLoaded listener
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " const el = document.querySelector('[data-phx-main]');"
        " el.removeAttribute('data-phx-main'); el.removeAttribute('data-phx-session'); });"
    )
    sockets = record_websockets(page)
    page.goto("/demos/counter")
    page.wait_for_function("window.pylive.liveSocket && window.pylive.preconnected === null")
    assert len(sockets) == 1
    wait_closed(sockets[0])
