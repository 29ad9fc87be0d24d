"""pylive.ui in Chromium, on the gallery's component pages: every page loads without a console
error, and the keyboard patterns of the WAI-ARIA APG work with the official client: the modal
(focus moves in, Tab stays inside, Esc closes and focus returns), the tabs (arrows, Home,
End), the menu button (Enter, Space, arrows, Home, End, Esc), the accordion; the chart
updates live; the theme switch flips the page's theme; the index's search filters live.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from e2e.support import (
    GalleryServer,
    connected,
    focused_id,
    mark_document,
    open_page,
    record_console,
    same_document,
    settle,
)
from e2e.test_accessibility import violations
from gallery.components import PAGES, path_of
from pylive.ui.theme import THEME_COOKIE


@pytest.mark.parametrize("path", [path_of(p) for p in PAGES])
def test_component_page_loads_without_console_errors(page: Page, path: str) -> None:
    messages = record_console(page)
    open_page(page, path)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".example").first).to_be_visible()
    expect(page.locator("pre.source .k").first).to_be_visible()  # highlighted source
    expect(page.locator("table.attributes").first).to_be_visible()
    errors = [m for m in messages if m.startswith(("error", "warning"))]
    assert errors == []
    if shots := os.environ.get("PYLIVE_E2E_SCREENSHOTS"):  # a directory for CI artifacts
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=Path(shots) / f"{path.strip('/').replace('/', '-')}.png", full_page=True
        )


def choose_theme(page: Page, server: GalleryServer, theme: str) -> None:
    """What the theme switch leaves behind: its cookie."""
    page.context.add_cookies([{"name": THEME_COOKIE, "value": theme, "url": server.url}])


@pytest.mark.parametrize(("system", "chosen"), [("light", "dark"), ("dark", "light")])
@pytest.mark.parametrize("path", ["/", *(path_of(p) for p in PAGES)])
def test_theme_chosen_against_the_system_scheme_keeps_contrast(
    page: Page, server: GalleryServer, path: str, system: str, chosen: str
) -> None:
    """The theme switch's ``data-theme`` wins over ``prefers-color-scheme``, and axe-core finds
    no serious violation (contrast included) in the theme chosen."""
    page.emulate_media(color_scheme=system)  # type: ignore[arg-type]
    choose_theme(page, server, chosen)
    open_page(page, path)
    expect(page.locator("html")).to_have_attribute("data-theme", chosen)
    found = violations(page)
    assert not found, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in found
    )


def test_modal_traps_focus_closes_on_escape_and_restores_focus(page: Page) -> None:
    open_page(page, "/components/modal")
    dialog = page.get_by_role("dialog", name="Delete this project?")
    expect(dialog).to_be_hidden()
    page.click("#open-modal")
    expect(dialog).to_be_visible()
    settle(page)
    assert focused_id(page) == "confirm-name"  # focus_first: the first control of the body
    page.keyboard.press("Tab")
    assert focused_id(page) == "cancel-delete"
    page.keyboard.press("Tab")
    assert focused_id(page) == "confirm-delete"
    page.keyboard.press("Tab")  # wraps round to the first focusable (the close button)
    settle(page)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Close"
    page.keyboard.press("Shift+Tab")
    settle(page)
    assert focused_id(page) == "confirm-delete"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    settle(page)
    assert focused_id(page) == "open-modal"  # pop_focus
    # click-away closes too, and the server hears "Delete"
    page.click("#open-modal")
    expect(dialog).to_be_visible()
    page.mouse.click(5, 5)
    expect(dialog).to_be_hidden()
    page.click("#open-modal")
    page.click("#confirm-delete")
    expect(dialog).to_be_hidden()
    expect(page.locator("#deleted")).to_have_text("Deleted: 1 times")


def test_drawer_opens_and_closes_with_escape(page: Page) -> None:
    open_page(page, "/components/drawer")
    drawer = page.get_by_role("dialog", name="Filters")
    page.click("#open-drawer")
    expect(drawer).to_be_visible()
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    settle(page)
    assert focused_id(page) == "open-drawer"


def test_tabs_arrow_keys_home_and_end(page: Page) -> None:
    open_page(page, "/components/tabs")
    tab = [page.locator(f"#project-tabs-tab-{i}") for i in range(3)]
    panel = [page.locator(f"#project-tabs-panel-{i}") for i in range(3)]
    expect(tab[0]).to_have_attribute("aria-selected", "true")
    expect(panel[1]).to_be_hidden()
    tab[0].focus()
    page.keyboard.press("ArrowRight")
    expect(tab[1]).to_be_focused()
    expect(tab[1]).to_have_attribute("aria-selected", "true")
    expect(tab[1]).to_have_attribute("tabindex", "0")
    expect(tab[0]).to_have_attribute("aria-selected", "false")
    expect(tab[0]).to_have_attribute("tabindex", "-1")
    expect(panel[1]).to_be_visible()
    expect(panel[0]).to_be_hidden()
    expect(page.locator("#activity-count")).to_have_text("Activity opened 1 times")  # server
    page.keyboard.press("End")
    expect(tab[2]).to_be_focused()
    expect(panel[2]).to_be_visible()
    page.keyboard.press("ArrowRight")  # wraps
    expect(tab[0]).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(tab[2]).to_be_focused()
    page.keyboard.press("Home")
    expect(tab[0]).to_be_focused()
    expect(tab[0]).to_have_attribute("aria-selected", "true")
    expect(panel[0]).to_be_visible()
    # Tab leaves the tab list for the panel (roving tabindex: one tab in the Tab order)
    page.keyboard.press("Tab")
    expect(panel[0]).to_be_focused()
    # the server's patches keep the selection made in the browser
    tab[1].click()
    expect(page.locator("#activity-count")).to_have_text("Activity opened 2 times")
    expect(tab[1]).to_have_attribute("aria-selected", "true")
    expect(panel[1]).to_be_visible()


def test_menu_button_keyboard(page: Page) -> None:
    open_page(page, "/components/dropdown")
    button, menu = page.locator("#actions-button"), page.get_by_role("menu")
    items = page.get_by_role("menuitem")
    expect(menu).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("End")
    expect(items.nth(3)).to_be_focused()
    page.keyboard.press("ArrowDown")  # wraps
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(items.nth(3)).to_be_focused()
    page.keyboard.press("Home")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("a")  # type-ahead: "Archive"
    expect(items.nth(2)).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    page.keyboard.press("ArrowUp")  # opens on the last item
    expect(items.nth(3)).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("Space")
    expect(menu).to_be_visible()
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("Enter")  # runs "Rename": an event, and the menu closes
    expect(menu).to_be_hidden()
    expect(page.locator("#chosen")).to_have_text("Actions run: 1")
    expect(button).to_be_focused()
    # a click opens it, a click outside closes it
    button.click()
    expect(menu).to_be_visible()
    page.click("h1")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")


def test_accordion_toggles_with_click_and_keyboard(page: Page) -> None:
    open_page(page, "/components/accordion")
    first, second = page.locator("#faq-button-0"), page.locator("#faq-button-1")
    expect(first).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#faq-panel-0")).to_be_visible()
    expect(page.locator("#faq-panel-1")).to_be_hidden()
    second.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#faq-panel-1")).to_be_visible()
    expect(second).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Space")
    expect(page.locator("#faq-panel-1")).to_be_hidden()
    expect(second).to_have_attribute("aria-expanded", "false")
    first.click()
    expect(page.locator("#faq-panel-0")).to_be_hidden()
    expect(first).to_have_attribute("aria-expanded", "false")


def test_tooltip_shows_on_focus_and_escape_hides_it(page: Page) -> None:
    open_page(page, "/components/tooltip")
    tip = page.locator("#copy-tip")
    expect(tip).to_be_hidden()
    page.get_by_role("button", name="Copy link").focus()
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()


def test_chart_updates_live(page: Page) -> None:
    open_page(page, "/components/chart")
    line = page.locator("#load-chart polyline")
    before = line.get_attribute("points")
    expect(line).not_to_have_attribute("points", before or "")
    bars = page.locator("#votes-chart rect")
    heights = [bars.nth(i).get_attribute("height") for i in range(5)]
    page.click("#vote")
    page.wait_for_function(
        "(old) => [...document.querySelectorAll('#votes-chart rect')]"
        ".map(r => r.getAttribute('height')).join() !== old.join()",
        arg=heights,
    )


def test_button_shows_loading_while_the_server_works(page: Page) -> None:
    open_page(page, "/components/button")
    save = page.locator("#save")
    save.click()
    expect(save).to_have_attribute("aria-busy", "true")
    expect(save).to_be_disabled()
    expect(page.locator("#saved")).to_have_text("Saved 1 times")
    expect(save).to_be_enabled()


def test_async_result_shows_a_skeleton_then_the_result(page: Page) -> None:
    open_page(page, "/components/loading")
    expect(page.locator("#team .ui-skeleton")).to_be_visible()
    expect(page.locator("#team li").first).to_have_text("Ada")
    expect(page.locator("#team")).to_have_attribute("aria-busy", "false")


def test_pagination_patches_the_page(page: Page) -> None:
    open_page(page, "/components/pagination")
    page.get_by_role("link", name="Page 2").click()
    expect(page.locator("#paged-items li").first).to_have_text("Item 6")
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("#paged-items li").first).to_have_text("Item 11")
    assert page.url.endswith("/components/pagination?page=3")
    expect(page.get_by_role("link", name="Page 3")).to_have_attribute("aria-current", "page")
    page.go_back()
    expect(page.locator("#paged-items li").first).to_have_text("Item 6")


def test_toasts_appear_and_dismiss(page: Page) -> None:
    open_page(page, "/components/toast")
    page.click("#toast-error")
    toast = page.locator(".ui-toasts #flash-error")
    expect(toast).to_be_visible()
    toast.get_by_role("button", name="Close").click()
    expect(toast).to_have_count(0)


def test_theme_switch_flips_and_remembers_the_theme(page: Page) -> None:
    page.emulate_media(color_scheme="light")
    open_page(page, "/components/card")
    switch = page.locator("#ui-theme-switch")
    expect(switch).to_have_attribute("aria-pressed", "false")
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    switch.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(background) != "rgb(255, 255, 255)"
    assert {c["name"]: c["value"] for c in page.context.cookies()}[THEME_COOKIE] == "dark"
    page.reload()
    connected(page)
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.locator("#ui-theme-switch")).to_have_attribute("aria-pressed", "true")


# Records data-theme as soon as the parser has put <body> in: before the page's first paint.
_THEME_AT_BODY = """
new MutationObserver((records, observer) => {
  if (!document.body) return;
  window.__themeAtBody = document.documentElement.getAttribute('data-theme');
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


def test_the_remembered_theme_is_on_the_page_before_its_body(
    page: Page, server: GalleryServer
) -> None:
    """The theme chosen earlier applies before the first paint (the server renders it): no
    flash of the system's theme while pylive-ui.js (a ``defer`` script) downloads on a slow
    link."""
    page.emulate_media(color_scheme="light")
    choose_theme(page, server, "dark")
    page.add_init_script(_THEME_AT_BODY)
    open_page(page, "/components/card")
    assert page.evaluate("window.__themeAtBody") == "dark"
    expect(page.locator("#ui-theme-switch")).to_have_attribute("aria-pressed", "true")


def test_a_layout_without_the_theme_gets_it_from_the_script(
    page: Page, server: GalleryServer
) -> None:
    def drop_theme(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace('<html lang="en" data-theme="dark">', '<html lang="en">')
        route.fulfill(response=response, body=body)

    page.emulate_media(color_scheme="light")
    choose_theme(page, server, "dark")
    page.add_init_script(_THEME_AT_BODY)
    page.route("**/components/card", drop_theme)
    open_page(page, "/components/card")
    # served without the theme (so the replacement above took place), then given it by
    # pylive-ui.js from the cookie
    assert page.evaluate("window.__themeAtBody") is None
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.locator("#ui-theme-switch")).to_have_attribute("aria-pressed", "true")


def test_index_search_filters_live_and_pages_navigate_live(page: Page) -> None:
    open_page(page, "/")
    page.fill("#search", "menu")
    expect(page.locator("#components li")).to_have_count(1)
    expect(page.locator("#component-dropdown")).to_be_visible()
    page.fill("#search", "")
    expect(page.locator("#components li")).to_have_count(len(PAGES))
    mark_document(page)
    page.get_by_role("link", name="Tabs", exact=True).click()
    expect(page.locator("h1")).to_have_text("Tabs")
    expect(page).to_have_title("Tabs · pylive gallery")
    connected(page)
    # the breadcrumb goes back with live navigation too, and so does the back button
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Gallery").click()
    expect(page.locator("h1")).to_have_text("Demos")
    page.go_back()
    expect(page.locator("h1")).to_have_text("Tabs")
    assert same_document(page)
