"""The data table and the presence list in Chromium, on the gallery's component pages: a
header button sorts and the URL says how (a live patch: no page load), the back button
restores the previous order, the pagination keeps the sort, rows are selected with their
checkboxes and the page with the select-all box, the header buttons work from the keyboard
(Tab, Enter, Space), and the presence list shows a second page's user until that page
closes.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from e2e.support import connected, mark_document, same_document
from gallery.components.tables import PEOPLE, Person

TABLE = "/components/data-table"
BY_NAME = sorted(PEOPLE, key=lambda person: person.name)
BY_TEAM = sorted(PEOPLE, key=lambda person: person.team)


def open_table(page: Page, query: str = "") -> None:
    page.goto(TABLE + query)
    connected(page)
    mark_document(page)


def names(people: list[Person]) -> list[str]:
    return [person.name for person in people]


def name_cells(page: Page) -> Locator:
    return page.locator("#people-body tr td:nth-child(2)")


def header(page: Page, label: str) -> Locator:
    return page.locator("#people thead th", has=page.get_by_role("button", name=label))


def url_ends(query: str) -> re.Pattern[str]:
    return re.compile(re.escape(TABLE + query) + "$")


def test_a_header_click_sorts_the_url_says_how_and_back_restores(page: Page) -> None:
    open_table(page)
    expect(name_cells(page)).to_have_text(names(PEOPLE[:10]))
    expect(page.locator("#people thead th[aria-sort]")).to_have_count(0)
    page.get_by_role("button", name="Name").click()
    expect(page).to_have_url(url_ends("?sort=name&dir=asc"))
    expect(header(page, "Name")).to_have_attribute("aria-sort", "ascending")
    expect(name_cells(page)).to_have_text(names(BY_NAME[:10]))
    page.get_by_role("button", name="Name").click()
    expect(page).to_have_url(url_ends("?sort=name&dir=desc"))
    expect(header(page, "Name")).to_have_attribute("aria-sort", "descending")
    expect(name_cells(page)).to_have_text(names(BY_NAME[::-1][:10]))
    page.go_back()
    expect(page).to_have_url(url_ends("?sort=name&dir=asc"))
    expect(header(page, "Name")).to_have_attribute("aria-sort", "ascending")
    expect(name_cells(page)).to_have_text(names(BY_NAME[:10]))
    page.go_back()
    expect(page).to_have_url(url_ends(""))
    expect(name_cells(page)).to_have_text(names(PEOPLE[:10]))
    expect(page.locator("#people thead th[aria-sort]")).to_have_count(0)
    page.go_forward()
    expect(name_cells(page)).to_have_text(names(BY_NAME[:10]))
    assert same_document(page)  # live patches: the page never reloaded


def test_page_two_keeps_the_sort(page: Page) -> None:
    open_table(page, "?sort=team&dir=asc")
    expect(name_cells(page)).to_have_text(names(BY_TEAM[:10]))
    pages = page.get_by_role("navigation", name="Pages of Contributors")
    pages.get_by_role("link", name="Page 2", exact=True).click()
    expect(page).to_have_url(url_ends("?sort=team&dir=asc&page=2"))
    expect(name_cells(page)).to_have_text(names(BY_TEAM[10:20]))
    expect(pages.get_by_role("link", name="Page 2", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("#people-body tr")).to_have_count(10)  # the stream was reset
    page.go_back()
    expect(name_cells(page)).to_have_text(names(BY_TEAM[:10]))
    assert same_document(page)


def test_selecting_rows_and_the_page(page: Page) -> None:
    open_table(page)
    status = page.locator("#people-status")
    everything = page.get_by_role("checkbox", name="Select all rows on this page")
    first = page.get_by_role("checkbox", name=f"Select {PEOPLE[0].name}", exact=True)
    expect(status).to_have_text("No rows selected")
    expect(everything).to_have_attribute("aria-checked", "false")
    first.click()
    expect(status).to_have_text("1 row selected")
    expect(first).to_be_checked()
    expect(everything).to_have_attribute("aria-checked", "mixed")
    everything.click()
    expect(status).to_have_text("10 rows selected")
    expect(everything).to_have_attribute("aria-checked", "true")
    for box in page.locator("#people-body input[type=checkbox]").all():
        expect(box).to_be_checked()
    # another page: nothing selected there, the count is still 10; back: still selected
    page.get_by_role("link", name="Page 2", exact=True).click()
    expect(name_cells(page).first).to_have_text(PEOPLE[10].name)
    expect(everything).to_have_attribute("aria-checked", "false")
    expect(page.locator("#people-body input:checked")).to_have_count(0)
    expect(status).to_have_text("10 rows selected")
    page.go_back()
    expect(name_cells(page).first).to_have_text(PEOPLE[0].name)
    expect(page.locator("#people-body input:checked")).to_have_count(10)
    everything.click()  # all → none
    expect(status).to_have_text("No rows selected")
    expect(page.locator("#people-body input:checked")).to_have_count(0)
    expect(first).not_to_be_checked()


def test_headers_are_reached_with_tab_and_sort_with_enter_and_space(page: Page) -> None:
    open_table(page)
    everything = page.get_by_role("checkbox", name="Select all rows on this page")
    everything.focus()
    page.keyboard.press("Space")  # the select-all box is a button: Space toggles it
    expect(everything).to_have_attribute("aria-checked", "true")
    page.keyboard.press("Tab")
    name = page.get_by_role("button", name="Name")
    expect(name).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_ends("?sort=name&dir=asc"))
    expect(name_cells(page)).to_have_text(names(BY_NAME[:10]))
    expect(name).to_be_focused()  # the patch keeps focus where it was
    page.keyboard.press("Space")
    expect(page).to_have_url(url_ends("?sort=name&dir=desc"))
    expect(header(page, "Name")).to_have_attribute("aria-sort", "descending")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Team")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_ends("?sort=team&dir=asc"))
    expect(name_cells(page)).to_have_text(names(BY_TEAM[:10]))
    expect(header(page, "Team")).to_have_attribute("aria-sort", "ascending")
    expect(header(page, "Name")).not_to_have_attribute("aria-sort", re.compile(".*"))


def test_presence_list_shows_a_second_page_and_drops_it_when_it_closes(page: Page) -> None:
    page.goto("/components/presence-list?name=Ada")
    connected(page)
    present = page.locator("#here .ui-presence-name")
    expect(present).to_have_text(["Ada"])
    other = page.context.new_page()
    other.goto("/components/presence-list?name=Bob")
    connected(other)
    expect(other.locator("#here .ui-presence-name")).to_have_text(["Ada", "Bob"])
    expect(present).to_have_text(["Ada", "Bob"])
    expect(page.locator("#here-count")).to_have_text("2 people here")
    expect(page.get_by_role("status").filter(has_text="people here")).to_be_attached()
    other.close()
    expect(present).to_have_text(["Ada"])
    expect(page.locator("#here-count")).to_have_text("1 person here")
