"""``pylive.ui``'s ``avatar`` (picture or initials, text alternatives, status) and
``presence_list`` (the people of ``presence.list``: names, avatars, the announced count), and
the gallery's presence page with two tabs in-process, on asyncio and trio.

In Chromium: ``tests/e2e/test_ui_table.py`` (a second page's user comes and goes).
"""

from __future__ import annotations

import pytest
from markup import one, parse

from gallery.app import create_app
from pylive.testing import View, live
from pylive.ui import avatar, initials, presence_list
from pylive.ui.avatar import TONES

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ada Lovelace", "AL"),
        ("grace brewster murray hopper", "GH"),
        ("Radia", "R"),
        ("  émile   zola ", "ÉZ"),
        ("O'Brien, Pat", "OP"),
        ("", "?"),
        ("-- !!", "?"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def tone_of(name: str) -> str:
    classes = one(parse(avatar(name=name)), ".ui-avatar-initials").attributes["class"]
    found = [c for c in (classes or "").split() if c.startswith("ui-avatar-tone-")]
    assert len(found) == 1
    return found[0].removeprefix("ui-avatar-tone-")


def test_avatar_initials_are_a_named_image_in_a_colour_of_the_name() -> None:
    tree = parse(avatar(name="Ada Lovelace", id="ada"))
    root = one(tree, "#ada")
    assert root.attributes["class"] == "ui-avatar ui-avatar-md"
    shown = one(tree, ".ui-avatar-initials")
    assert (shown.attributes["role"], shown.attributes["aria-label"]) == ("img", "Ada Lovelace")
    assert shown.text() == "AL"
    tones = {tone_of(name) for name in ("Ada", "Alan", "Grace", "Edsger", "Barbara", "Ken")}
    assert tones <= set(TONES) and len(tones) > 1
    again = one(parse(avatar(name="Ada Lovelace")), ".ui-avatar-initials")
    assert again.attributes["class"] == shown.attributes["class"]  # the same every time


def test_avatar_picture_alt_decoration_sizes_and_status() -> None:
    picture = parse(avatar(name="Alan Turing", src="/alan.png", size="lg"))
    img = one(picture, "img").attributes
    assert (img["src"], img["alt"], img["class"]) == ("/alan.png", "Alan Turing", "ui-avatar-img")
    assert "ui-avatar-lg" in (one(picture, ".ui-avatar").attributes["class"] or "")
    assert one(parse(avatar(name="Alan", src="/a.png", alt="")), "img").attributes["alt"] == ""
    decoration = one(parse(avatar(name="Alan", alt="")), ".ui-avatar-initials").attributes
    assert (decoration.get("role"), decoration["aria-hidden"]) == (None, "true")
    other = one(parse(avatar(name="Alan", alt="Our founder")), ".ui-avatar-initials")
    assert other.attributes["aria-label"] == "Our founder"
    away = parse(avatar(name="Barbara", status="away"))
    dot = one(away, ".ui-avatar-status")
    assert "ui-avatar-status-away" in (dot.attributes["class"] or "")
    assert one(dot, ".ui-visually-hidden").text() == " (away)"
    assert parse(avatar(name="Barbara")).css_first(".ui-avatar-status") is None
    with pytest.raises(TypeError, match=r"avatar\(\): attribute 'status' must be one of"):
        avatar(name="x", status="asleep")
    with pytest.raises(TypeError, match=r"avatar\(\): missing required attribute 'name'"):
        avatar()


PRESENCES = {
    "u2": {"metas": [{"name": "bob", "phx_ref": "b"}]},
    "u1": {"metas": [{"name": "Ada", "phx_ref": "a1"}, {"name": "Ada", "phx_ref": "a2"}]},
    "u3": {"metas": [{"phx_ref": "c", "avatar": "/carol.png"}]},
}


def test_presence_list_shows_each_key_once_by_name_with_a_count() -> None:
    tree = parse(presence_list(id="here", presences=PRESENCES, me="u2"))
    section = one(tree, "#here")
    assert (section.tag, section.attributes["aria-label"]) == ("section", "Who is here")
    count = one(tree, "#here-count")
    assert (count.attributes["role"], count.text()) == ("status", "3 people here")
    people = tree.css(".ui-presence-person")
    assert [p.attributes["data-key"] for p in people] == ["u1", "u2", "u3"]
    assert [one(p, ".ui-presence-name").text() for p in people] == ["Ada", "bob", "u3"]
    assert one(people[0], ".ui-presence-tabs").text() == " · 2 tabs"
    assert one(people[1], ".ui-presence-me").text() == " (you)"
    assert one(people[2], "img").attributes == {
        "class": "ui-avatar-img",
        "src": "/carol.png",
        "alt": "",
    }
    hidden = one(people[0], ".ui-avatar-initials").attributes
    assert hidden["aria-hidden"] == "true"  # the name is written next to it


def test_presence_list_limits_nouns_and_bad_entries() -> None:
    tree = parse(presence_list(id="here", presences=PRESENCES, max=2, noun=("editor", "editors")))
    assert one(tree, "#here-count").text() == "3 editors here"
    assert len(tree.css(".ui-presence-person")) == 2
    assert one(tree, ".ui-presence-more").text() == "+1 more"
    with pytest.raises(ValueError, match=r"presence_list\(\): max must be at least 1, got 0"):
        str(presence_list(id="here", presences=PRESENCES, max=0))
    odd = {
        "a": {"metas": []},
        "b": "nonsense",
        "c": {"metas": ["x"]},
        "d": {"metas": [{"name": 3}]},
    }
    names = [p.text() for p in parse(presence_list(id="o", presences=odd)).css(".ui-presence-name")]
    assert names == ["a", "b", "c", "d"]
    alone = parse(presence_list(id="e", presences={"k": {"metas": [{"name": "Kim"}]}}))
    assert one(alone, "#e-count").text() == "1 person here"
    assert one(parse(presence_list(id="e", presences={})), "#e-count").text() == (
        "0 people here"
    )  # fmt: skip


def here(view: View) -> list[str]:
    return [el.text for el in view.elements("#here .ui-presence-name")]


async def test_gallery_presence_page_shows_who_comes_and_goes() -> None:
    app = create_app()
    async with live(app, "/components/presence-list?name=Ada") as ada:
        assert ada.element("#me").text == "Ada"
        assert here(ada) == ["Ada"]
        assert ada.element("#here .ui-presence-me").text == "(you)"
        async with live(app, "/components/presence-list?name=Bob") as bob:
            await ada.wait_for(lambda v: here(v) == ["Ada", "Bob"])
            assert ada.element("#here-count").text == "2 people here"
            assert here(bob) == ["Ada", "Bob"]
        await ada.wait_for(lambda v: here(v) == ["Ada"])  # Bob's tab closed
        assert ada.element("#here-count").text == "1 person here"
