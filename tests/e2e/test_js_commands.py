"""``pylive.JS`` in a real browser: the official client runs the commands pylive renders.

The gallery's JS commands demo (``gallery/js_commands.py``) is clicked and typed at like a user
would; ``liveSocket.execJS`` runs further commands encoded by ``JS`` on the same page, to check
the encodings the demo does not use.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.support import connected, mark_document, same_document, settle
from pylive import JS


def open_demo(page: Page) -> None:
    page.goto("/demos/js")
    connected(page)
    mark_document(page)


def exec_js(page: Page, selector: str, js: JS) -> None:
    """Run ``js`` as the client runs a binding of the element ``selector``."""
    page.evaluate(
        "([selector, encoded]) => window.liveSocket.execJS("
        "document.querySelector(selector), encoded)",
        [selector, str(js)],
    )


def test_toggle_shows_and_hides_and_flips_aria_expanded(page: Page) -> None:
    open_demo(page)
    menu, button = page.locator("#menu"), page.locator("#menu-button")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    button.focus()
    page.keyboard.press("Enter")  # a button: the keyboard works like a click
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Space")
    expect(menu).to_be_visible()
    # a server patch (the total changes) keeps what the client did
    page.click("#add-5")
    expect(page.locator("#total")).to_have_text("5")
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert same_document(page)


def test_add_and_remove_class(page: Page) -> None:
    open_demo(page)
    note = page.locator("#note")
    expect(note).not_to_have_class("highlight")
    page.click("#highlight-on")
    expect(note).to_have_class("highlight")
    page.click("#highlight-off")
    expect(note).not_to_have_class("highlight")


def test_push_with_a_value_and_dispatch_reach_the_server(page: Page) -> None:
    open_demo(page)
    total = page.locator("#total")
    page.click("#add-5")
    expect(total).to_have_text("5")  # value={"by": 5} arrived in handle_event
    page.click("#press-add")  # dispatches a click on #add-5
    expect(total).to_have_text("10")
    page.click("#reset")
    expect(total).to_have_text("0")


def test_focus_and_the_focus_stack(page: Page) -> None:
    open_demo(page)
    page.click("#focus-search")
    expect(page.locator("#search")).to_be_focused()
    settle(page)
    panel = page.locator("#panel")
    expect(panel).to_be_hidden()
    page.locator("#open-panel").focus()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(page.locator("#panel-name")).to_be_focused()  # focus_first
    settle(page)
    page.keyboard.press("Tab")
    expect(page.locator("#close-panel")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(page.locator("#open-panel")).to_be_focused()  # pop_focus gave it back
    settle(page)
    expect(page.locator("#open-panel")).to_be_focused()


def test_more_encodings_run_through_exec_js(page: Page) -> None:
    open_demo(page)
    note = page.locator("#note")

    exec_js(page, "#note", JS().set_attribute("data-state", "on").add_class("a b"))
    expect(note).to_have_attribute("data-state", "on")
    expect(note).to_have_class("a b")
    exec_js(page, "#note", JS().remove_attribute("data-state").toggle_class("b c"))
    expect(note).not_to_have_attribute("data-state", "on")
    expect(note).to_have_class("a c")
    exec_js(page, "#note", JS().toggle_attribute("data-open", "yes"))
    expect(note).to_have_attribute("data-open", "yes")
    exec_js(page, "#note", JS().toggle_attribute("data-open", "yes"))
    expect(note).not_to_have_attribute("data-open", "yes")

    # scoped selectors: ("closest", sel) from the note, ("inner", sel) from the main container
    exec_js(page, "#note", JS().set_attribute("data-scope", "closest", to=("closest", "section")))
    expect(page.locator("section[data-scope=closest] #note")).to_have_count(1)
    exec_js(page, "main", JS().add_class("inner-hit", to=("inner", "#note")))
    expect(note).to_have_class("a c inner-hit")

    # show with a display value and a 3-tuple transition, then hide without blocking
    exec_js(
        page,
        "#note",
        JS().show(
            to="#menu", display="flex", transition=("fade", "from", "to"), time=50, blocking=False
        ),
    )
    expect(page.locator("#menu")).to_have_css("display", "flex")
    exec_js(page, "#note", JS().hide(to="#menu", transition="fade", time=0))
    expect(page.locator("#menu")).to_be_hidden()

    # dispatch: a CustomEvent with the detail and the dispatching element
    page.evaluate(
        """() => {
            window.__got = null;
            document.querySelector("#note").addEventListener("demo:ping", (e) => {
                window.__got = {id: e.detail.id, from: e.detail.dispatcher.id, bubbles: e.bubbles};
            });
        }"""
    )
    exec_js(page, "#total", JS().dispatch("demo:ping", to="#note", detail={"id": 7}, bubbles=False))
    page.wait_for_function("window.__got !== null")
    assert page.evaluate("window.__got") == {"id": 7, "from": "total", "bubbles": False}

    # exec runs the commands held in another attribute
    page.evaluate(
        "([json]) => document.querySelector('#note').setAttribute('data-later', json)",
        [str(JS().add_class("from-exec"))],
    )
    exec_js(page, "#total", JS().exec("data-later", to="#note"))
    expect(note).to_have_class("a c inner-hit from-exec")

    # patch: handle_params runs and the URL changes, on the same document
    exec_js(page, "#note", JS().patch("/demos/js?tab=2"))
    page.wait_for_url("**/demos/js?tab=2")
    assert same_document(page)
