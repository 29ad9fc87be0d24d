"""The gallery over HTTP (no browser): every page renders, with the content its demo needs.

The browser tests in ``tests/e2e/`` drive the same pages live.
"""

from __future__ import annotations

import httpx
import pytest
from markup import attrs, one
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

from gallery.__main__ import main as gallery_main
from gallery.app import create_app
from gallery.catalog import DEMOS, Demo
from gallery.table import DEFAULT_ROWS, MAX_ROWS, row_count
from pylive.assets import asset_url
from pylive.ui.files import SCRIPT as UI_SCRIPT
from pylive.ui.files import UI_DIR

pytestmark = pytest.mark.anyio

APP = create_app()


async def fetch(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://gallery") as client:
        return await client.get(path)


async def get(path: str) -> HTMLParser:
    response = await fetch(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"].startswith("text/html")
    return HTMLParser(response.text)


def text(tree: HTMLParser | LexborNode, selector: str) -> str:
    """Text of the first element matching ``selector`` (which must exist)."""
    return one(tree, selector).text()


async def test_index_lists_every_listed_demo_with_a_live_link() -> None:
    tree = await get("/")
    links = {a.attributes["href"]: a for a in tree.css("#demos a")}
    assert set(links) == {demo.path for demo in DEMOS if demo.listed}
    assert all(a.attributes["data-phx-link"] == "redirect" for a in links.values())
    assert text(tree, "title") == "Demos · pylive gallery"


@pytest.mark.parametrize("demo", DEMOS, ids=lambda demo: demo.path)
async def test_every_demo_renders_as_a_live_page(demo: Demo) -> None:
    tree = await get(demo.path)
    assert attrs(tree, "[data-phx-main]")["data-phx-session"]
    assert attrs(tree, 'meta[name="csrf-token"]')["content"]
    assert attrs(tree, 'meta[name="pylive-socket"]')["content"] == "/live"
    scripts = [s.attributes.get("src") for s in tree.css("script")]
    assert scripts == [
        None,  # the preconnect script, before the stylesheets
        asset_url("/live/assets", "pylive.js"),
        asset_url("/live/assets/ui", UI_SCRIPT, UI_DIR),
        "/static/hooks.js",
    ]
    # both stylesheets written into the page (the first paint waits for no request), after
    # the preconnect script
    assert not tree.css('link[rel="stylesheet"]')
    styles = [style.text() for style in tree.css("style")]
    assert len(styles) == 2 and "--ui-bg" in styles[0] and ".top" in styles[1]
    html = tree.html or ""
    assert html.index("new WebSocket") < html.index("<style")
    assert text(tree, "h1") == demo.title
    assert text(tree, "title").endswith(" · pylive gallery")


async def test_counter() -> None:
    tree = await get("/demos/counter")
    assert text(tree, "#count") == "0"
    assert attrs(tree, "#inc")["phx-click"] == "inc"
    assert text(tree, "title") == "Counter · pylive gallery"


async def test_navigation_reads_the_tab_from_the_query() -> None:
    tree = await get("/demos/navigation?tab=beta")
    assert text(tree, "#current") == "Current tab: beta"
    assert text(tree, "title") == "Tab beta · pylive gallery"
    tabs = tree.css(".tabs a")
    assert [a.attributes["data-phx-link"] for a in tabs] == ["patch"] * 3
    assert attrs(tree, "#tab-beta")["aria-current"] == "page"
    assert text((await get("/demos/navigation?tab=nope")), "#current") == "Current tab: alpha"
    other = attrs(tree, "#other-link")
    assert other["href"] == "/demos/navigation/other"
    assert other["data-phx-link"] == "redirect"


async def test_items_index_and_edit_actions_render_with_their_container() -> None:
    tree = await get("/demos/items")
    assert text(tree, "#live-action") == "index"
    assert tree.css_first("#edit-form") is None
    edit = attrs(tree, "#item-2 a")
    assert edit["href"] == "/demos/items/2/edit"
    assert edit["data-phx-link"] == "patch" and edit["aria-label"] == "Edit Bread"
    assert attrs(tree, "[data-phx-main]")["class"] == "items-view"

    tree = await get("/demos/items/2/edit")
    assert text(tree, "#live-action") == "edit"
    assert attrs(tree, "#item-name")["value"] == "Bread"
    assert text(tree, "label[for=item-name]") == "Name"
    assert attrs(tree, "#cancel")["data-phx-link"] == "patch"
    assert text(tree, "title") == "Edit Bread · pylive gallery"


async def test_live_layout_renders_the_badge_around_the_view() -> None:
    tree = await get("/demos/live-layout")
    container = one(tree, "[data-phx-main]")
    assert text(container, "main.demo .layout-badge #events") == "0"  # the layout
    assert text(container, "main.demo h1") == "Live layout"  # the view inside it
    assert text(container, "#count") == "0"
    assert attrs(container, "#toggle-counting")["phx-click"] == "toggle-counting"


async def test_table_rows_have_ids_and_touch_buttons() -> None:
    tree = await get("/demos/table?rows=5")
    rows = tree.css("#rows tbody tr")
    assert [row.attributes["id"] for row in rows] == [f"row-{i}" for i in range(5)]
    buttons = [attrs(row, "button") for row in rows]
    assert buttons == [{"phx-click": "touch", "phx-value-row": str(i)} for i in range(5)]
    assert len((await get("/demos/table")).css("#rows tbody tr")) == DEFAULT_ROWS


@pytest.mark.parametrize(
    ("given", "rows"),
    [
        ("7", 7),
        ("0", 0),
        ("-3", 0),
        ("abc", DEFAULT_ROWS),
        (None, DEFAULT_ROWS),
        ("10**9", DEFAULT_ROWS),
        (str(MAX_ROWS + 1), MAX_ROWS),
    ],
)
def test_row_count_is_clamped(given: str | None, rows: int) -> None:
    assert row_count(given) == rows


async def test_client_bundle_and_gallery_assets_are_served() -> None:
    bundle = await fetch("/live/assets/pylive.js")
    assert bundle.status_code == 200
    assert "LiveSocket" in bundle.text and "window.pylive" in bundle.text
    assert (await fetch("/static/hooks.js")).status_code == 200
    assert (await fetch("/static/gallery.css")).status_code == 200


def test_main_rejects_a_bad_port() -> None:
    with pytest.raises(SystemExit):
        gallery_main(["--port", "not-a-number"])


async def test_nested_demo_renders_the_child_inline_and_the_sticky_basket() -> None:
    tree = await get("/demos/nested")
    stopwatch = attrs(tree, "#stopwatch")
    assert stopwatch["data-phx-session"] == ""
    assert stopwatch["data-phx-parent-id"] == attrs(tree, "[data-phx-main]")["id"]
    assert text(tree, "#seconds") == "0"
    basket = attrs(tree, "#basket")
    assert basket["data-phx-session"] and "data-phx-sticky" in basket
    other = await get("/demos/nested/other")
    assert text(other, "#basket-items") == "0"


async def test_the_gallery_serves_its_metrics_for_prometheus() -> None:
    await get("/demos/counter")  # an HTTP render: no live connection, nothing counted yet
    response = await fetch("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE pylive_connections gauge" in response.text
    assert "# TYPE pylive_event_duration_seconds histogram" in response.text
