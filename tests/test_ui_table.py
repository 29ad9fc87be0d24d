"""``pylive.ui``'s data table: ``TableParams`` (the URL's sort and page; bad values fall back
to defaults), ``Selection``, the markup of ``data_table`` (APG sortable table: caption,
header buttons, ``aria-sort``; selection checkboxes and the select-all box; pagination), and
the table in LiveViews over the socket, with a stream (the gallery's page) and with a list.

The browser side (clicks, keyboard, back and forward) is in ``tests/e2e/test_ui_table.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from htpy import Element, main
from live_socket import join, open_page
from markup import one
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gallery.app import create_app
from gallery.components.tables import PEOPLE
from pylive import JS, Assigns, LiveApp, LiveRoute, LiveView, Slot, Socket
from pylive.testing import View, live
from pylive.ui import Column, Selection, TableParams, data_table

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class User:
    id: int
    name: str
    age: int


USERS = [User(n, name, age) for n, (name, age) in enumerate(
    [("Grace", 85), ("Ada", 36), ("Alan", 41), ("Edsger", 72), ("Barbara", 50)], start=1
)]  # fmt: skip
KEYS = {"name": lambda user: user.name, "age": lambda user: user.age}


def parse(params: dict[str, Any], uri: str = "http://test/users", **options: Any) -> TableParams:
    options = {"total": 45, "sortable": KEYS, **options}
    return TableParams.parse(params, uri, **options)


# --------------------------------------------------------------------------- TableParams


def test_params_read_sort_direction_and_page() -> None:
    table = parse({"sort": "age", "dir": "desc", "page": "2"})
    assert (table.sort, table.direction, table.page, table.pages) == ("age", "desc", 2, 3)
    assert (table.path, table.offset, table.descending) == ("/users", 20, True)
    assert parse({}) == TableParams("/users", None, "asc", 1, 20, 45)
    assert parse({}, sort="name", direction="desc").href() == "/users?sort=name&dir=desc"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sort": "password"}, ("name", "asc", 1)),  # not a sortable column
        ({"sort": ["age"]}, ("name", "asc", 1)),  # ?sort[]=age
        ({"dir": "sideways"}, ("name", "asc", 1)),
        ({"dir": {"a": "b"}}, ("name", "asc", 1)),
        ({"page": "abc"}, ("name", "asc", 1)),
        ({"page": "-2"}, ("name", "asc", 1)),
        ({"page": "0"}, ("name", "asc", 1)),
        ({"page": "1e3"}, ("name", "asc", 1)),
        ({"page": "²"}, ("name", "asc", 1)),  # a digit to str.isdigit, not to int()
        ({"page": "99"}, ("name", "asc", 3)),  # past the end: the last page
        ({"page": "9" * 400}, ("name", "asc", 1)),  # no huge int parsing
        ({"page": ["2"]}, ("name", "asc", 1)),
        ({"sort": "age", "dir": "desc", "page": "3"}, ("age", "desc", 3)),
    ],
)
def test_bad_params_fall_back_to_the_defaults(
    params: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    table = parse(params, sort="name")
    assert (table.sort, table.direction, table.page) == expected


def test_no_rows_is_one_empty_page() -> None:
    table = parse({"page": "4"}, total=0)
    assert (table.page, table.pages, table.rows([], KEYS)) == (1, 1, [])


def test_bad_configuration_is_an_error() -> None:
    with pytest.raises(ValueError, match="per_page must be at least 1"):
        parse({}, per_page=0)
    with pytest.raises(ValueError, match="the default sort 'email' is not one of sortable"):
        parse({}, sort="email")
    with pytest.raises(ValueError, match="total must not be negative"):
        parse({}, total=-1)


def test_links_toggle_the_direction_go_to_page_one_and_keep_other_params() -> None:
    table = parse({"sort": "name", "page": "2"}, "http://test/users?q=ada+l&sort=name&page=2")
    assert table.keep == (("q", "ada l"),)
    assert table.sort_href("name") == "/users?q=ada+l&sort=name&dir=desc"
    assert table.sort_href("age") == "/users?q=ada+l&sort=age&dir=asc"
    assert parse({"sort": "name", "dir": "desc"}).sort_href("name") == "/users?sort=name&dir=asc"
    assert table.href(page=3) == "/users?q=ada+l&sort=name&dir=asc&page=3"
    assert table.page_href().format(page=2) == "/users?q=ada+l&sort=name&dir=asc&page=2"
    assert parse({}).page_href() == "/users?page={page}"
    assert parse({}).href() == "/users"
    assert (table.aria_sort("name"), table.aria_sort("age")) == ("ascending", None)


def test_rows_sorts_and_slices_a_list() -> None:
    table = parse({"sort": "age", "dir": "desc"}, total=len(USERS), per_page=2)
    assert [u.name for u in table.rows(USERS, KEYS)] == ["Grace", "Edsger"]
    table = parse({"sort": "name", "page": "3"}, total=len(USERS), per_page=2)
    assert [u.name for u in table.rows(USERS, KEYS)] == ["Grace"]
    unsorted = parse({}, total=len(USERS), per_page=2)
    assert unsorted.rows(USERS, KEYS) == USERS[:2]


# --------------------------------------------------------------------------- Selection


def test_selection_toggles_rows_and_the_page() -> None:
    selection = Selection().showing([1, 2, 3])
    assert (selection.shown, selection.state, selection.count) == (("1", "2", "3"), "false", 0)
    selection = selection.toggle({"key": "2"})
    assert (selection.state, 2 in selection, "2" in selection) == ("mixed", True, True)
    selection = selection.toggle({"all": "page", "value": ""})  # some → all
    assert (selection.state, selection.count) == ("true", 3)
    selection = selection.toggle({"key": "2"}).toggle({"key": "2"})
    assert selection.state == "true"
    later = selection.showing([4, 5])  # another page: the selection stays
    assert (later.state, later.count) == ("false", 3)
    later = later.toggle({"all": "page"})
    assert (later.selected, later.state) == (frozenset("12345"), "true")
    assert later.toggle({"all": "page"}).selected == frozenset("123")  # all → none (the page)
    assert later.clear().count == 0


@pytest.mark.parametrize(
    "params", [{}, {"key": "9"}, {"key": 2}, {"key": ["2"]}, {"value": "on"}, {"keys": "2"}]
)
def test_selection_ignores_what_it_does_not_understand(params: dict[str, Any]) -> None:
    selection = Selection().showing([1, 2])
    assert selection.toggle(params) == selection


# --------------------------------------------------------------------------- markup


def html_of(node: Any) -> HTMLParser:
    return HTMLParser(str(node))


def table_of(**options: Any) -> HTMLParser:
    arguments: dict[str, Any] = {
        "id": "users",
        "caption": "Users",
        "rows": USERS[:2],
        "column": [
            Column(label="Name", key="name", sortable=True)[lambda user: user.name],
            Column(label="Age", key="age", sortable=True, align="end")[lambda user: user.age],
            Column(label="Id")[lambda user: user.id],
        ],
        **options,
    }
    return html_of(data_table(**arguments))


def test_sortable_headers_are_buttons_and_the_sorted_one_has_aria_sort() -> None:
    params = parse({"sort": "age", "dir": "desc"}, total=100)
    tree = table_of(params=params)
    caption = one(tree, "caption")
    assert caption.attributes["id"] == "users-caption"
    assert caption.text() == "Users, column headers with buttons are sortable"
    region = one(tree, ".ui-table-scroll").attributes
    assert (region["role"], region["aria-labelledby"], region["tabindex"]) == (
        "region",
        "users-caption",
        "0",
    )
    headers = tree.css("thead th")
    assert [h.attributes.get("aria-sort") for h in headers] == [None, "descending", None]
    assert [h.attributes["scope"] for h in headers] == ["col", "col", "col"]
    name, age = (one(h, "button") for h in headers[:2])
    assert headers[2].css_first("button") is None  # not sortable: a plain header
    assert name.attributes["type"] == "button"
    assert name.attributes["phx-click"] == str(JS().patch("/users?sort=name&dir=asc"))
    assert age.attributes["phx-click"] == str(JS().patch("/users?sort=age&dir=asc"))
    assert age.css_first(".ui-icon-chevron-down") is not None
    assert name.css_first(".ui-table-unsorted") is not None
    assert "ui-table-end" in (headers[1].attributes["class"] or "")
    nav = one(tree, "nav.ui-pagination")
    assert nav.attributes["aria-label"] == "Pages of Users"
    pages = [a.attributes.get("href") for a in nav.css("a.ui-page")]
    assert pages[1] == "/users?sort=age&dir=desc&page=2"
    assert [tr.attributes["id"] for tr in tree.css("tbody tr")] == ["users-row-1", "users-row-2"]


def test_one_page_no_pagination_no_selection_no_checkboxes() -> None:
    tree = table_of(params=parse({}, total=2))
    assert tree.css_first("nav") is None
    assert tree.css_first("input, [role=checkbox], [role=status]") is None
    assert table_of(column=[Column(label="Name")["x"]]).css_first("caption span") is None


def test_selection_checkboxes_select_all_and_the_announced_count() -> None:
    selection = Selection().showing([1, 2]).toggle({"key": "2"})
    one_page = parse({}, total=2)
    tree = table_of(
        params=one_page, selection=selection, row_label=lambda user: f"Select {user.name}"
    )
    status = one(tree, "#users-status").attributes
    assert (status["role"], one(tree, "#users-status").text()) == ("status", "1 row selected")
    everything = one(tree, "thead .ui-table-check-all").attributes
    assert (everything["role"], everything["aria-checked"]) == ("checkbox", "mixed")
    assert everything["aria-label"] == "Select all rows on this page"
    assert (everything["phx-click"], everything["phx-value-all"]) == ("select", "page")
    boxes = [box.attributes for box in tree.css("tbody input")]
    assert [b["aria-label"] for b in boxes] == ["Select Grace", "Select Ada"]
    assert [b["phx-value-key"] for b in boxes] == ["1", "2"]
    assert ["checked" in b for b in boxes] == [False, True]
    assert [b["type"] for b in boxes] == ["checkbox", "checkbox"]
    assert one(tree, "#users-status").text() == "1 row selected"
    none = table_of(params=one_page, selection=Selection().showing([1, 2]), on_select="pick")
    assert one(none, "#users-status").text() == "No rows selected"
    assert one(none, "tbody input").attributes["aria-label"] == "Select row 1"
    assert one(none, "tbody input").attributes["phx-click"] == "pick"
    assert one(none, ".ui-table-check-all").attributes["aria-checked"] == "false"


def test_actions_keys_and_mappings() -> None:
    tree = html_of(
        data_table(
            id="t",
            caption="Teams",
            rows=[{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Beta"}],
            column=[Column(label="Team")[lambda team: team["name"]]],
            action=[Slot()[lambda team: f"Open {team['name']}"]],
            action_label="What to do",
        )
    )
    assert [th.text() for th in tree.css("thead th")] == ["Team", "What to do"]
    assert one(tree, "thead th .ui-visually-hidden").text() == "What to do"
    assert [td.text() for td in tree.css("tbody .ui-table-actions")] == ["Open Alpha", "Open Beta"]
    assert [tr.attributes["id"] for tr in tree.css("tbody tr")] == ["t-row-a", "t-row-b"]
    keyed = html_of(
        data_table(
            id="t",
            caption="Words",
            rows=["x", "y"],
            row_key=str.upper,
            column=[Column(label="Word")[lambda word: word]],
        )
    )
    assert [tr.attributes["id"] for tr in keyed.css("tbody tr")] == ["t-row-X", "t-row-Y"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Column(label="Name", sortable=True), "Column 'Name': a sortable column needs key"),
        (
            lambda: Column(label="Name", align="middle"),  # type: ignore[arg-type]
            "attribute 'align' must be one of",
        ),
        (
            lambda: str(data_table(id="t", caption="c", rows=[], column=[
                Column(label="Name", key="name", sortable=True)
            ])),
            r"data_table\(\): column 'Name' is sortable; give params=",
        ),
        (
            lambda: str(data_table(id="t", caption="c", rows=["x"], column=[Column(label="W")])),
            r"data_table\(\): row 'x' has no id; give the table row_key=",
        ),
        (lambda: data_table(id="t", rows=[], column=[]), "missing required attribute 'caption'"),
        (
            lambda: data_table(id="t", caption="c", rows=[], column=["Name"]),
            "slot 'column' takes a list of Column entries",
        ),
    ],
)  # fmt: skip
def test_mistakes_are_clear_errors(call: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()


# --------------------------------------------------------------------------- in LiveViews


def first_names(view: View) -> list[str]:
    return [row.find_all("td")[1].text for row in view.elements("#people-body tr")]


async def test_the_gallery_table_sorts_pages_and_selects_over_a_stream() -> None:
    by_name = sorted(PEOPLE, key=lambda person: person.name)
    async with live(create_app(), "/components/data-table") as view:
        assert view.element("#people-body").attr("phx-update") == "stream"
        assert first_names(view) == [person.name for person in PEOPLE[:10]]
        await view.click("#people thead th:nth-child(2) button")  # Name
        assert view.assert_patch() == "/components/data-table?sort=name&dir=asc"
        assert first_names(view) == [person.name for person in by_name[:10]]
        name = view.element("#people thead th:nth-child(2)")
        assert name.attr("aria-sort") == "ascending"
        await view.click("#people thead th:nth-child(2) button")
        assert view.assert_patch() == "/components/data-table?sort=name&dir=desc"
        assert first_names(view)[0] == by_name[-1].name
        assert view.element("#people thead th:nth-child(2)").attr("aria-sort") == "descending"
        # select a row, then the page
        first = by_name[-1]
        await view.click(f"#people-{first.id} input")
        assert view.element("#people-status").text == "1 row selected"
        assert view.element(".ui-table-check-all").attr("aria-checked") == "mixed"
        await view.click(".ui-table-check-all")
        assert view.element("#people-status").text == "10 rows selected"
        assert all(box.has_attr("checked") for box in view.elements("#people-body input"))
        assert view.element(".ui-table-check-all").attr("aria-checked") == "true"
        # page 2 (the pagination keeps the sort): nothing selected there, 10 elsewhere
        await view.click("nav.ui-pagination a[aria-label='Page 2']")
        assert view.assert_patch() == "/components/data-table?sort=name&dir=desc&page=2"
        assert first_names(view) == [person.name for person in by_name[-11:-21:-1]]
        assert len(view.elements("#people-body tr")) == 10  # the stream was reset
        assert not any(box.has_attr("checked") for box in view.elements("#people-body input"))
        assert view.element(".ui-table-check-all").attr("aria-checked") == "false"
        assert view.element("#people-status").text == "10 rows selected"
        # back to page 1 (what the back button does): its rows are still selected
        await view.patch("/components/data-table?sort=name&dir=desc")
        assert all(box.has_attr("checked") for box in view.elements("#people-body input"))
        await view.click(".ui-table-check-all")  # all → none
        assert view.element("#people-status").text == "No rows selected"
        # a hand-written URL with nonsense in it is the default table
        await view.patch("/components/data-table?sort=salary&dir=up&page=x")
        assert first_names(view) == [person.name for person in PEOPLE[:10]]
        await view.patch("/components/data-table?page=400")
        assert first_names(view) == [person.name for person in PEOPLE[190:]]
        # a forged event changes nothing and crashes nothing
        await view.push("select", {"key": "no-such-row"})
        await view.push("select", {"nothing": 1})
        assert view.element("#people-status").text == "No rows selected"


class Team(LiveView):
    """The table over a plain list: the checkboxes follow the assigns."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(selection=Selection().showing(user.id for user in USERS))

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(table=TableParams.parse(params, uri, total=len(USERS), sortable=KEYS))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(selection=socket.assigns.selection.toggle(params))

    def render(self, assigns: Assigns) -> Element:
        return main[
            data_table(
                id="team",
                caption="Team",
                rows=assigns.table.rows(USERS, KEYS),
                params=assigns.table,
                selection=assigns.selection,
                column=[
                    Column(label="Name", key="name", sortable=True)[lambda user: user.name],
                    Column(label="Age", key="age", sortable=True)[lambda user: user.age],
                ],
            )
        ]


async def test_a_list_table_in_a_compiled_render() -> None:
    app = LiveApp([LiveRoute("/team", Team)], secret_key="test-secret")
    async with live(app, "/team?sort=age&dir=desc") as view:
        ages = [row.find_all("td")[2].text for row in view.elements("#team-body tr")]
        assert ages == ["85", "72", "50", "41", "36"]
        await view.click(".ui-table-check-all")
        assert all(box.has_attr("checked") for box in view.elements("#team-body input"))
        await view.click("#team-row-3 input")
        assert not view.element("#team-row-3 input").has_attr("checked")
        assert view.element("#team-status").text == "4 rows selected"
        await view.click("#team thead th:nth-child(2) button")
        assert view.assert_patch() == "/team?sort=name&dir=asc"
        assert view.elements("#team-body tr")[0].find_all("td")[1].text == "Ada"


async def test_selecting_a_row_of_a_stream_sends_no_row() -> None:
    """The browser ticks the box itself: the reply updates the count and the select-all box,
    and carries no row of the stream (the server does not hold them)."""
    async with open_page(create_app(), "/components/data-table") as (conn, page):
        status, joined = await join(conn, page)
        assert status == "ok" and PEOPLE[0].name in json.dumps(joined["rendered"])
        payload = {"type": "click", "event": "select", "value": {"key": str(PEOPLE[0].id)}}
        status, reply = await conn.call(page.topic, "event", payload)
        assert status == "ok"
        sent = json.dumps(reply["diff"])
        assert "1 row selected" in sent and "mixed" in sent
        assert not any(person.name in sent for person in PEOPLE)
        assert len(sent) < 400, sent  # the count and the select-all box, nothing else
