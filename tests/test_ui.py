"""``pylive.ui``: the components' markup and ARIA attributes, their declared attributes and
slots (errors name the component and the attribute), rendering inside compiled LiveViews
(change-tracked, and every live diff checked by ``pylive.testing`` against a fresh render),
the stylesheet and script served by ``LiveApp``, and the gallery's component pages.

The browser side (keyboard use, focus, axe-core) is in ``tests/e2e/test_ui.py`` and
``tests/e2e/test_accessibility.py``.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any, get_args

import brotli
import httpx
import pytest
from htpy import Element, main, p
from markup import attrs, one, parse
from selectolax.lexbor import LexborHTMLParser as HTMLParser

import pylive
import pylive.ui as ui
from gallery.app import create_app
from gallery.components import PAGES, ComponentPage, path_of
from gallery.components.page import attribute_docs, attributes, source_of
from pylive import JS, Assigns, AsyncResult, LiveApp, LiveRoute, LiveView, Slot, Socket
from pylive.assets import IMMUTABLE, asset_url
from pylive.diff import SentTree
from pylive.rendered import to_html
from pylive.testing import live
from pylive.ui import (
    AccordionItem,
    Crumb,
    MenuItem,
    Tab,
    accordion,
    alert,
    async_result,
    badge,
    bar_chart,
    breadcrumb,
    button,
    card,
    drawer,
    dropdown_menu,
    icon,
    line_chart,
    modal,
    page_window,
    pagination,
    progress_bar,
    skeleton,
    spinner,
    tabs,
    theme_switch,
    toast_group,
    tooltip,
)
from pylive.ui.files import FILES, SCRIPT, STYLESHEET, UI_DIR

pytestmark = pytest.mark.anyio


# --------------------------------------------------------------------------- markup


def test_button_variants_sizes_loading_and_rest_attributes() -> None:
    tree = parse(button(variant="primary", size="lg", phx_click="save", id="b")["Save"])
    assert attrs(tree, "button") == {
        "type": "button",
        "class": "ui-btn ui-btn-primary ui-btn-lg",
        "phx-click": "save",
        "id": "b",
    }
    assert one(tree, "button").text() == "Save"
    busy = attrs(parse(button(loading=True)["Saving"]), "button")
    assert "disabled" in busy and busy["aria-busy"] == "true"
    assert "disabled" in attrs(parse(button(disabled=True)["x"]), "button")
    assert attrs(parse(button(type="submit", class_="wide")), "button")["class"] == (
        "ui-btn ui-btn-secondary ui-btn-md wide"
    )


def test_icon_is_hidden_unless_labelled() -> None:
    plain = attrs(parse(icon("check")), "svg")
    assert plain["aria-hidden"] == "true" and "role" not in plain
    labelled = parse(icon("info", label="About"))
    assert attrs(labelled, "svg")["role"] == "img"
    assert attrs(labelled, "svg")["aria-label"] == "About"
    assert "aria-hidden" not in attrs(labelled, "svg")
    assert one(labelled, "title").text() == "About"
    assert set(ui.ICONS) == set(get_args(ui.IconName))


def test_modal_is_a_labelled_dialog_with_focus_wrap_escape_and_click_away() -> None:
    tree = parse(modal(id="m", title="Sure?", footer=[Slot()[button["OK"]]])[p["Body"]])
    root = attrs(tree, "#m")
    assert root["style"] == "display: none"
    dialog = attrs(tree, "[role=dialog]")
    assert dialog["aria-modal"] == "true"
    assert dialog["aria-labelledby"] == "m-title"
    assert dialog["phx-hook"] == "Phoenix.FocusWrap" and dialog["id"] == "m-container"
    assert dialog["phx-key"] == "Escape"
    cancel = str(JS().exec("data-cancel", to="#m"))
    assert dialog["phx-window-keydown"] == cancel and dialog["phx-click-away"] == cancel
    assert one(tree, "#m-title").text() == "Sure?"
    assert attrs(tree, ".ui-dialog-close")["aria-label"] == "Close"
    # the focus wrap's sentinels are its first and last children
    children = [c.attributes.get("id") for c in one(tree, "#m-container").iter()]
    assert children[0] == "m-container-start" and children[-1] == "m-container-end"
    assert one(tree, ".ui-modal-footer").text() == "OK"
    shown = attrs(parse(modal(id="m", title="t", show=True)), "#m")
    assert "style" not in shown and shown["phx-mounted"] == str(ui.show_modal("m"))
    assert "phx-mounted" not in root


def test_show_and_hide_modal_move_focus() -> None:
    kinds = [op[0] for op in ui.show_modal("m").ops]
    assert kinds == ["push_focus", "show", "add_class", "focus_first"]
    assert ui.show_modal("m").ops[-1][1] == {"to": "#m-content"}
    assert [op[0] for op in ui.hide_modal("m").ops] == ["remove_class", "hide", "pop_focus"]
    on_cancel = JS().push("cancelled")
    data = attrs(parse(modal(id="m", title="t", on_cancel=on_cancel)), "#m")["data-cancel"]
    assert data == str(ui.hide_modal("m", on_cancel))
    assert data is not None and data.startswith('[["push"')


def test_drawer_is_a_dialog_on_a_side() -> None:
    tree = parse(drawer(id="d", title="Filters", side="left")["x"])
    assert "ui-drawer-left" in (attrs(tree, "#d")["class"] or "")
    assert attrs(tree, "[role=dialog]")["aria-labelledby"] == "d-title"


def test_tabs_follow_the_apg_pattern() -> None:
    tree = parse(
        tabs(id="t", label="Sections", selected=1, tab=[Tab(label="A")["a"], Tab(label="B")["b"]])
    )
    assert attrs(tree, "[role=tablist]")["aria-label"] == "Sections"
    assert attrs(tree, "[role=tablist]")["phx-hook"] == "UiTabs"
    first, second = attrs(tree, "#t-tab-0"), attrs(tree, "#t-tab-1")
    assert (first["aria-selected"], first["tabindex"]) == ("false", "-1")
    assert (second["aria-selected"], second["tabindex"]) == ("true", "0")
    assert first["aria-controls"] == "t-panel-0"
    panel = attrs(tree, "#t-panel-0")
    assert panel["role"] == "tabpanel" and panel["aria-labelledby"] == "t-tab-0"
    assert "hidden" in panel and "hidden" not in attrs(tree, "#t-panel-1")
    assert one(tree, "#t-panel-1").text() == "b"
    assert first["phx-click"] == str(ui.select_tab("t", 0))


def test_tab_on_select_pushes_an_event() -> None:
    js = ui.select_tab("t", 2, "opened")
    assert js.ops[-1] == ["push", {"event": "opened", "value": {"tab": 2}}]
    assert ui.select_tab("t", 0, JS().push("x")).ops[-1] == ["push", {"event": "x"}]


def test_dropdown_menu_is_an_apg_menu_button() -> None:
    tree = parse(
        dropdown_menu(
            id="d",
            label="Actions",
            item=[
                MenuItem(on_click="archive")["Archive"],
                MenuItem(navigate="/home")["Home"],
                MenuItem(disabled=True)["Nope"],
            ],
        )
    )
    trigger = attrs(tree, "#d-button")
    assert trigger["aria-haspopup"] == "menu" and trigger["aria-expanded"] == "false"
    assert trigger["aria-controls"] == "d-menu"
    menu = attrs(tree, "#d-menu")
    assert menu["role"] == "menu" and menu["aria-labelledby"] == "d-button"
    assert "hidden" in menu
    items = tree.css("[role=menuitem]")
    assert [i.attributes["tabindex"] for i in items] == ["-1"] * 3
    assert all(li.attributes["role"] == "none" for li in tree.css("#d-menu > li"))
    archive = items[0].attributes["phx-click"] or ""
    assert '["push",{"event":"archive"}]' in archive
    assert '["set_attr",{"attr":["hidden",""],"to":"#d-menu"}]' in archive
    assert items[1].attributes["href"] == "/home"
    assert items[1].attributes["data-phx-link"] == "redirect"
    assert items[2].attributes["aria-disabled"] == "true" and "phx-click" not in items[2].attributes
    assert attrs(tree, "#d")["phx-hook"] == "UiMenu"
    assert attrs(tree, "#d")["phx-click-away"] == str(ui.close_menu("d"))


def test_accordion_buttons_control_regions() -> None:
    tree = parse(
        accordion(
            id="a",
            heading_level=2,
            item=[AccordionItem(title="One", open=True)["1"], AccordionItem(title="Two")["2"]],
        )
    )
    assert [h.text() for h in tree.css("h2")] == ["One", "Two"]
    first, second = attrs(tree, "#a-button-0"), attrs(tree, "#a-button-1")
    assert first["aria-expanded"] == "true" and second["aria-expanded"] == "false"
    assert second["aria-controls"] == "a-panel-1"
    region = attrs(tree, "#a-panel-1")
    assert region["role"] == "region" and region["aria-labelledby"] == "a-button-1"
    assert "hidden" in region and "hidden" not in attrs(tree, "#a-panel-0")


def test_tooltip_feedback_card_and_navigation_markup() -> None:
    tip = parse(tooltip(id="tip", text="Hello")[button(aria_describedby="tip")["?"]])
    assert attrs(tip, "#tip")["role"] == "tooltip"
    assert attrs(tip, "button")["aria-describedby"] == "tip"

    assert "role" not in attrs(parse(alert["x"]), ".ui-alert")
    assert attrs(parse(alert(tone="danger", live=True)["x"]), ".ui-alert")["role"] == "alert"
    assert one(parse(alert(title="T")["x"]), ".ui-alert-title").text() == "T"
    assert attrs(parse(badge(tone="success")["Paid"]), "span")["class"] == (
        "ui-badge ui-badge-success"
    )
    toasts = parse(toast_group({"info": "Saved"}, position="bottom-left"))
    assert attrs(toasts, ".ui-toasts")["class"] == "ui-toasts ui-toasts-bottom-left"
    assert attrs(toasts, "#flash-info")["role"] == "alert"

    box = parse(card(title="T", heading_level=2, footer=[Slot()["F"]])["B"])
    assert one(box, "h2").text() == "T" and one(box, ".ui-card-footer").text() == "F"

    crumbs = parse(breadcrumb(crumb=[Crumb(navigate="/")["Home"], Crumb()["Here"]]))
    assert attrs(crumbs, "nav")["aria-label"] == "Breadcrumb"
    assert attrs(crumbs, "a")["data-phx-link"] == "redirect"
    assert one(crumbs, "[aria-current=page]").text() == "Here"


def test_pagination_links_patch_and_mark_the_current_page() -> None:
    tree = parse(pagination(page=1, pages=3, href="/list?page={page}"))
    links = tree.css("a[href]")
    assert [a.attributes["href"] for a in links] == [
        "/list?page=1",
        "/list?page=2",
        "/list?page=3",
        "/list?page=2",
    ]
    assert all(a.attributes["data-phx-link"] == "patch" for a in links)
    assert attrs(tree, "a[aria-current]")["href"] == "/list?page=1"
    previous = attrs(tree, ".ui-page-prev")
    assert "href" not in previous and previous["aria-disabled"] == "true"
    assert page_window(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert page_window(1, 1) == [1]
    assert page_window(2, 4, around=2) == [1, 2, 3, 4]


def test_progress_bar_values() -> None:
    tree = parse(progress_bar(value=45, max=90, label="Upload"))
    bar = attrs(tree, "[role=progressbar]")
    assert bar["aria-label"] == "Upload"
    assert (bar["aria-valuemin"], bar["aria-valuemax"], bar["aria-valuenow"]) == ("0", "90", "45")
    assert bar["aria-valuetext"] == "50%"
    assert attrs(tree, ".ui-progress-fill")["style"] == "width: 50%"
    assert attrs(parse(progress_bar(value=150, label="x")), ".ui-progress-fill")["style"] == (
        "width: 100%"
    )


def test_loading_states() -> None:
    status = parse(spinner())
    assert attrs(status, ".ui-spinner")["role"] == "status"
    assert one(status, ".ui-visually-hidden").text() == "Loading…"
    assert attrs(parse(spinner(label=None)), ".ui-spinner")["aria-hidden"] == "true"
    assert len(parse(skeleton(lines=4)).css(".ui-skeleton-line")) == 4
    assert attrs(parse(skeleton()), ".ui-skeleton")["aria-hidden"] == "true"

    loading: AsyncResult[str] = AsyncResult("loading")
    tree = parse(async_result(assign=loading)[lambda name: p[name]])
    assert attrs(tree, ".ui-async")["aria-busy"] == "true"
    assert tree.css_first(".ui-skeleton") is not None
    custom = parse(async_result(assign=loading, loading=[Slot()["Wait"]])[lambda n: n])
    assert one(custom, ".ui-async").text() == "Wait"
    done = parse(async_result(assign=AsyncResult("ok", "Ada"))[lambda name: p[name]])
    assert one(done, "p").text() == "Ada" and attrs(done, ".ui-async")["aria-busy"] == "false"
    reloading = parse(async_result(assign=AsyncResult("loading", "Ada"))[lambda n: p[n]])
    assert one(reloading, "p").text() == "Ada"  # the previous result stays while reloading
    failed: AsyncResult[str] = AsyncResult("failed", reason=ValueError("boom"))
    assert "Could not load" in str(async_result(assign=failed)[lambda n: n])
    shown = async_result(assign=failed, failed=[Slot()[lambda e: p[str(e)]]])[lambda n: n]
    assert one(parse(shown), "p").text() == "boom"


def test_charts_are_named_images_with_a_description() -> None:
    tree = parse(line_chart(values=[1, 4, 2], labels=["a", "b", "c"], title="Load"))
    assert attrs(tree, "svg")["role"] == "img" and attrs(tree, "svg")["aria-label"] == "Load"
    assert one(tree, "desc").text() == "a: 1; b: 4; c: 2"
    points = (attrs(tree, "polyline")["points"] or "").split()
    assert len(points) == 3
    assert float(points[1].split(",")[1]) < float(points[0].split(",")[1])  # 4 is higher
    bars = parse(bar_chart(values=[1, 2], title="Votes", max=4)).css("rect")
    assert [float(r.attributes["height"] or 0) for r in bars] == [32.0, 64.0]
    assert parse(line_chart(values=[], title="Empty")).css_first("polyline") is not None


def test_theme_switch_dispatches_ui_theme() -> None:
    switch = attrs(parse(theme_switch()), "button")
    assert switch["aria-pressed"] == "false" and switch["aria-label"] == "Dark theme"
    assert switch["phx-click"] == str(JS().dispatch("ui:theme"))
    assert switch["id"] == "ui-theme-switch"


# --------------------------------------------------------------------------- declarations


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: button(variant="huge"), r"button\(\): attribute 'variant' must be one of"),
        (lambda: badge(tone="red"), r"badge\(\): attribute 'tone' must be one of"),
        (lambda: modal(title="x"), r"modal\(\): missing required attribute 'id'"),
        (lambda: drawer(id="d", title="t", side="top"), r"drawer\(\): attribute 'side'"),
        (lambda: tabs(id="t", tab=["A"]), r"tabs\(\): slot 'tab' takes a list of Tab entries"),
        (lambda: Tab(), r"Tab: missing required attribute 'label'"),  # type: ignore[call-arg]
        (
            lambda: dropdown_menu(id="d", label="x"),
            r"dropdown_menu\(\): missing required slot 'item'",
        ),
        (lambda: MenuItem(colour="red"), r"MenuItem: unknown attribute"),  # type: ignore[call-arg]
        (lambda: accordion(id="a", item=[], heading_level=7), r"'heading_level' must be one of"),
        (lambda: icon("nope"), r"icon\(\): attribute 'name' must be one of"),
        (lambda: progress_bar(value=1), r"missing required attribute 'label'"),
        (lambda: alert(tone="loud"), r"alert\(\): attribute 'tone' must be one of"),
        (lambda: line_chart(values=[1]), r"line_chart\(\): missing required attribute 'title'"),
        (lambda: pagination(page=1, pages=2), r"missing required attribute 'href'"),
        (lambda: spinner["x"], r"spinner\(\) takes no children"),
    ],
)
def test_declared_attributes_are_checked(call: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()


def test_every_component_is_exported_and_declared() -> None:
    for name in ui.__all__:
        assert hasattr(ui, name), name
    components = [getattr(ui, name) for name in ui.__all__]
    declared = [c for c in components if getattr(c, "is_component", False)]
    assert len(declared) >= 20
    for component in declared:
        assert component.__doc__, component.attr_name
        docs = attribute_docs(component.func)
        for attribute in component.declared.attributes:
            if attribute != "class_":
                assert attribute in docs, f"{component.attr_name}: {attribute} undocumented"
    assert not hasattr(pylive, "modal")  # the toolkit stays out of the top-level namespace


# --------------------------------------------------------------------------- in LiveViews


class Dashboard(LiveView):
    """A view using the toolkit in a compiled render."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(series=[1, 2, 3], done=10, note="Hi")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "step":
            socket.assign(series=[*socket.assigns.series, 5], done=socket.assigns.done + 10)

    def render(self, assigns: Assigns) -> Element:
        return main[
            card(title="Load", id="load")[
                line_chart(id="chart", values=assigns.series, title="Load"),
                progress_bar(id="progress", value=assigns.done, label="Done"),
                p["Note: ", assigns.note],
            ],
            tabs(id="t", tab=[Tab(label="One")[p["1"]], Tab(label="Two")[p[assigns.note]]]),
            button(id="step", variant="primary", phx_click="step")["Step"],
            modal(id="m", title="Hello")[p[assigns.note]],
        ]


def test_components_compile_and_track_changes_in_a_live_view() -> None:
    view, sent = Dashboard(), SentTree()
    template: Any = view.render  # the compiled render (a BoundTemplate)
    assigns = Assigns({"series": [1, 2, 3], "done": 10, "note": "Hi"})
    first = template.render(assigns)
    assert to_html(first) == str(view.render(assigns))
    sent.diff(first)
    assigns = Assigns({**assigns, "note": "Bye"})
    rendered = template.render(assigns, changed={"note"})
    assert to_html(rendered) == str(view.render(assigns))
    diff = str(sent.diff(rendered))
    assert "Bye" in diff and "polyline" not in diff and "progressbar" not in diff


APP = LiveApp([LiveRoute("/dashboard", Dashboard)], secret_key="test-secret")


async def test_components_in_a_live_view_over_the_socket() -> None:
    async with live(APP, "/dashboard") as view:
        points = view.element("#chart polyline").attr("points") or ""
        await view.click("#step")
        assert view.element("#chart polyline").attr("points") != points
        assert view.element("#progress [role=progressbar]").attr("aria-valuenow") == "20"


# --------------------------------------------------------------------------- assets


async def fetch(app: Any, path: str, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path, headers=headers)


@pytest.mark.parametrize("name", FILES)
async def test_stylesheet_and_script_are_served_versioned_and_precompressed(name: str) -> None:
    url = asset_url("/live/assets/ui", name, UI_DIR)
    assert "?v=" in url
    plain = await fetch(APP, url, **{"accept-encoding": "identity"})
    assert plain.status_code == 200
    assert plain.content == (UI_DIR / name).read_bytes()
    assert plain.headers["cache-control"] == IMMUTABLE
    assert plain.headers["content-type"].startswith(
        "text/css" if name.endswith(".css") else "text/javascript"
    )
    br = await fetch(APP, url, **{"accept-encoding": "br"})
    assert br.headers["content-encoding"] == "br"
    assert (await fetch(APP, f"/live/assets/ui/{name}.br")).status_code == 404
    assert (await fetch(APP, "/live/assets/ui/nothing.css")).status_code == 404


@pytest.mark.parametrize("name", FILES)
def test_compressed_copies_are_current(name: str) -> None:
    """After editing pylive-ui.css or .js: python -m pylive.ui.files"""
    data = (UI_DIR / name).read_bytes()
    assert brotli.decompress((UI_DIR / f"{name}.br").read_bytes()) == data
    assert gzip.decompress((UI_DIR / f"{name}.gz").read_bytes()) == data


async def _a_page() -> pylive.Page:
    pages: list[pylive.Page] = []

    def layout(page: pylive.Page) -> Any:
        pages.append(page)
        return pylive.root_layout(page)

    app = LiveApp([LiveRoute("/", Dashboard)], secret_key="s", layout=layout)
    assert (await fetch(app, "/")).status_code == 200
    return pages[0]


async def test_page_stylesheet_links_or_writes_a_file_into_the_page(tmp_path: Path) -> None:
    page = await _a_page()
    css = tmp_path / "app.css"
    css.write_text(".a { color: red; }")
    assert str(page.stylesheet("/static/app.css")) == (
        '<link rel="stylesheet" href="/static/app.css">'
    )
    inlined_css = str(page.stylesheet("/static/app.css", inline=css))
    assert inlined_css == "<style>.a { color: red; }</style>"
    css.write_text(".b { color: blue; }")  # a changed file is read again
    assert ".b { color: blue; }" in str(page.stylesheet("/static/app.css", inline=css))
    inlined = HTMLParser(str(page.ui_head(inline_stylesheet=True)))
    assert not inlined.css("link") and "--ui-bg" in one(inlined, "style").text()
    assert attrs(inlined, "script")["src"] == asset_url("/live/assets/ui", SCRIPT, UI_DIR)


async def test_page_stylesheet_refuses_a_missing_file_or_one_that_ends_the_style(
    tmp_path: Path,
) -> None:
    page = await _a_page()
    with pytest.raises(FileNotFoundError, match=r"missing\.css"):
        page.stylesheet("/static/missing.css", inline=tmp_path / "missing.css")
    bad = tmp_path / "bad.css"
    bad.write_text("a::after { content: '</STYLE><script>alert(1)</script>'; }")
    with pytest.raises(ValueError, match="</style"):
        page.stylesheet("/static/bad.css", inline=bad)


async def test_page_ui_head_links_the_stylesheet_and_script() -> None:
    captured: list[str] = []

    def layout(page: pylive.Page) -> Any:
        captured.append(str(page.ui_head()))
        return pylive.root_layout(page)

    app = LiveApp([LiveRoute("/", Dashboard)], secret_key="s", layout=layout)
    assert (await fetch(app, "/")).status_code == 200
    tree = HTMLParser(captured[0])
    assert attrs(tree, "link")["href"] == asset_url("/live/assets/ui", STYLESHEET, UI_DIR)
    assert attrs(tree, "link")["rel"] == "stylesheet"
    script = attrs(tree, "script")
    assert script["src"] == asset_url("/live/assets/ui", SCRIPT, UI_DIR) and "defer" in script


@pytest.mark.parametrize(
    ("cookie", "theme"),
    [
        (None, None),
        ("pylive-ui-theme=dark", "dark"),
        ("a=1; pylive-ui-theme=light", "light"),
        ("pylive-ui-theme=blue", None),
        ('pylive-ui-theme="dark"><script>', None),
    ],
)
async def test_page_ui_theme_is_the_theme_chosen_with_the_switch(
    cookie: str | None, theme: str | None
) -> None:
    themes: list[str | None] = []

    def layout(page: pylive.Page) -> Any:
        themes.append(page.ui_theme)
        return pylive.root_layout(page)

    app = LiveApp([LiveRoute("/", Dashboard)], secret_key="s", layout=layout)
    headers = {} if cookie is None else {"cookie": cookie}
    assert (await fetch(app, "/", **headers)).status_code == 200
    assert themes == [theme]


async def test_the_gallery_renders_the_theme_chosen() -> None:
    app = create_app()
    chosen = await fetch(app, "/components/card", cookie="pylive-ui-theme=dark")
    assert '<html lang="en" data-theme="dark">' in chosen.text
    assert '<html lang="en">' in (await fetch(app, "/components/card")).text


def test_the_stylesheet_only_styles_its_own_classes() -> None:
    css = (UI_DIR / STYLESHEET).read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors = re.findall(r"([^{}]+)\{", css)
    for group in selectors:
        for selector in group.split(","):
            selector = selector.strip()
            if selector.startswith(("@", "from", "to", ":root")) or not selector:
                continue
            assert re.search(r"\.(ui-|flash)|\[class", selector), selector


# --------------------------------------------------------------------------- gallery

GALLERY = create_app()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
async def test_component_page_shows_examples_sources_and_attribute_tables(
    page: type[ComponentPage],
) -> None:
    response = await fetch(GALLERY, path_of(page))
    assert response.status_code == 200
    tree = HTMLParser(response.text)
    assert one(tree, "h1").text() == page.title
    assert one(tree, "title").text() == f"{page.title} · pylive gallery"
    examples = tree.css(".example")
    assert len(examples) == len(page.examples)
    for node, example in zip(examples, page.examples, strict=True):
        source = one(node, "pre.source code").text()
        assert source.startswith(f"def {example.__name__}(")
        assert one(node, ".example-live").child is not None
    for component in page.components:
        table = one(tree, f"#attributes-{component.attr_name}")
        names = [one(row, "td code").text() for row in table.css("tbody tr")]
        assert names == [a.name for a in attributes(component)]
        assert set(component.declared.attributes) <= set(names)


def test_sources_are_highlighted_from_the_file() -> None:
    example = PAGES[0].examples[0]
    html = str(source_of(example))
    assert '<span class="k">def</span>' in html
    assert example.__name__ in html


async def test_index_lists_components_and_filters_them_live() -> None:
    async with live(GALLERY, "/") as view:
        listed = [a.attr("href") for a in view.elements("#components a")]
        assert listed == [path_of(page) for page in PAGES]
        await view.change("#search-form", {"q": "menu"})
        assert [a.text for a in view.elements("#components a")] == ["Dropdown menu"]
        assert view.elements("#demos a") == []
        await view.change("#search-form", {"q": "counter"})
        assert view.elements("#components a") == []
        assert [a.text for a in view.elements("#demos a")] == ["Counter", "Shared counter"]


async def test_component_pages_run_live() -> None:
    async with live(GALLERY, "/components/progress") as view:
        await view.click("#step")
        bar = view.element("#upload-progress [role=progressbar]")
        assert bar.attr("aria-valuenow") == "40"
    async with live(GALLERY, "/components/tabs") as view:
        await view.click("#project-tabs-tab-1")
        assert view.element("#activity-count").text == "Activity opened 1 times"
    async with live(GALLERY, "/components/modal") as view:
        await view.click("#confirm-delete")
        assert view.element("#deleted").text == "Deleted: 1 times"
    async with live(GALLERY, "/components/pagination") as view:
        await view.patch("/components/pagination?page=3")
        assert view.elements("#paged-items li")[0].text == "Item 11"
    async with live(GALLERY, "/components/toast") as view:
        await view.click("#toast-error")
        assert view.element(".ui-toasts #flash-error").text == "Something went wrong."
