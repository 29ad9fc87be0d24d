"""``link`` and ``flash_group``: the HTML Phoenix's ``<.link>`` and core components' flash emit,
and how they behave in a live page."""

from __future__ import annotations

from typing import Any

import htpy as h
import pytest

from pylive import Assigns, LiveApp, LiveRoute, LiveSession, LiveView, Socket, flash_group, link
from pylive.testing import live

pytestmark = pytest.mark.anyio


def test_patch_link() -> None:
    assert str(link(patch="/items?page=2")["Next"]) == (
        '<a href="/items?page=2" data-phx-link="patch" data-phx-link-state="push">Next</a>'
    )


def test_navigate_link_with_replace() -> None:
    assert str(link(navigate="/other", replace=True)["Other"]) == (
        '<a href="/other" data-phx-link="redirect" data-phx-link-state="replace">Other</a>'
    )


def test_href_link_is_a_plain_link() -> None:
    assert str(link(href="/logout")["Log out"]) == '<a href="/logout">Log out</a>'
    assert str(link(href="mailto:a@b.c")["Mail"]) == '<a href="mailto:a@b.c">Mail</a>'
    assert str(link()["Nowhere"]) == '<a href="#">Nowhere</a>'


def test_attributes_and_children_pass_through() -> None:
    element = link(
        "#tab", patch="/t?x=1&y=2", class_="tab active", aria_current="page", target="_self"
    )[h.strong["A"], " <b>"]
    assert str(element) == (
        '<a id="tab" href="/t?x=1&amp;y=2" data-phx-link="patch" data-phx-link-state="push" '
        'class="tab active" aria-current="page" target="_self"><strong>A</strong>'
        " &lt;b&gt;</a>"
    )


def test_absolute_http_urls_are_live_destinations() -> None:
    assert 'href="https://example.com/x"' in str(link(navigate="https://example.com/x"))


@pytest.mark.parametrize("to", ["mailto:a@b.c", "javascript:alert(1)", "tel:123"])
def test_live_links_refuse_other_schemes(to: str) -> None:
    with pytest.raises(ValueError, match="use href="):
        link(patch=to)
    with pytest.raises(ValueError, match="use href="):
        link(navigate=to)


def test_href_refuses_unsafe_schemes_but_not_colons_in_paths() -> None:
    with pytest.raises(ValueError, match="unsafe scheme 'javascript'"):
        link(href="JavaScript:alert(1)")
    assert str(link(href="/a:b?c=d:e")) == '<a href="/a:b?c=d:e"></a>'


def test_only_one_destination() -> None:
    with pytest.raises(TypeError, match="patch and href"):
        link(patch="/a", href="/b")
    with pytest.raises(TypeError, match="navigate and href"):
        link(navigate="", href="")


def test_flash_group_markup() -> None:
    html = str(flash_group({"info": "Saved <ok>", "error": "Oops"}))
    assert html.startswith('<section id="flash-group" aria-live="polite">')
    assert (
        '<div id="flash-info" class="flash flash-info" role="alert" phx-click="lv:clear-flash"'
        ' phx-value-key="info"><p class="flash-message">Saved &lt;ok&gt;</p>'
        '<button class="flash-close" type="button" aria-label="Close"'
        ' phx-click="lv:clear-flash" phx-value-key="info"><svg'
    ) in html
    assert 'id="flash-error"' in html and 'aria-hidden="true"' in html
    assert str(flash_group({})) == '<section id="flash-group" aria-live="polite"></section>'
    assert 'aria-label="Fermer"' in str(flash_group({"info": "x"}, close_label="Fermer"))


# --------------------------------------------------------------------------- in a live page


class Home(LiveView):
    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(page=params.get("page", "1"))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.put_flash("info", "Hello")
        socket.put_flash("error", "Careful")

    def render(self, assigns: Assigns) -> h.Element:
        return h.main[
            flash_group(assigns.flash),
            h.p("#page")[assigns.page],
            link("#next", patch="/?page=2")["Next"],
            link("#away", navigate="/away")["Away"],
            link("#plain", href="/plain")["Plain"],
            h.button("#hello", phx_click="hello")["Hello"],
        ]


class Away(LiveView):
    def render(self, assigns: Assigns) -> h.Element:
        return h.p("#away-page")["away"]


def make_app() -> LiveApp:
    return LiveApp(
        [LiveSession("s", [LiveRoute("/", Home), LiveRoute("/away", Away)])],
        secret_key="test-secret",
    )


async def test_links_patch_navigate_and_load() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#next")
        assert view.path == "/?page=2" and view.element("#page").text == "2"
        await view.click("#away")
        view.assert_redirect("/away", kind="live_redirect")
        await view.follow_redirect()
        assert view.has_element("#away-page")
    async with live(make_app(), "/") as view:
        await view.click("#plain")
        view.assert_redirect("/plain", kind="redirect")


async def test_flash_close_buttons_clear_their_kind() -> None:
    async with live(make_app(), "/") as view:
        await view.click("#hello")
        assert view.element("#flash-info").text == "Hello"
        assert view.element("#flash-info").attr("role") == "alert"
        await view.click("#flash-info button")
        assert not view.has_element("#flash-info")
        assert view.flash == {"error": "Careful"}
        await view.click("#flash-error")  # the message itself is clickable too
        assert view.flash == {} and not view.has_element("[role=alert]")
