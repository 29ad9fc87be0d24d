"""The runtime walker: HTML identical to htpy's own, shapes shared, bad input named."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import htpy as h
import pytest
from components import Live, static_component
from markupsafe import Markup

from pylive.errors import RenderError
from pylive.html.keyed import keyed
from pylive.html.walker import walk
from pylive.rendered import Cid, Comprehension, Rendered, to_html

theme = h.Context("theme", default="light")


@theme.consumer
def themed(value: str, label: str) -> h.Node:
    return h.span(class_=value)[label]


@h.with_children
def card(children: h.Node, title: str = "T") -> h.Element:
    return h.section[h.h2[title], children]


CASES: list[Any] = [
    h.div,
    h.div("#main.a.b", title="\"<>&'")["x < y", 3, None, True, False],
    h.html(lang="en")[h.head[h.title["t"]], h.body[h.p["hi"]]],
    h.ul[[h.li[i] for i in range(3)]],
    h.ul[h.li["a"], [h.li["b"], [h.li["c"], "d"]], ()],
    h.div[h.input(type="text", disabled=True), h.br, h.img(src="a&b")],
    h.fragment["a", h.b["b"], h.fragment[h.i["i"]]],
    h.div[h.comment("a -- b"), Markup("<b>raw</b>"), "<b>escaped</b>"],
    h.div[lambda: h.span["called"], lambda: lambda: "twice"],
    theme.provider("dark", h.div[themed("x"), theme.provider("blue", themed("y"))]),
    h.div[themed("default")],
    h.main[card(title="C")[h.p["body"]], card[h.p["unbound"]], card(title="empty")],
    h.div[[h.span["a"], "text", h.b["mixed"], [1, 2]]],
    h.div[range(3), {"a": 1}.keys()],
    h.ul[keyed([3, 1], key=lambda n: n, render=lambda n: h.li[n])],
    "just text & more",
    42,
    None,
    [h.p["a"], h.p["b"]],
]


@pytest.mark.parametrize("node", CASES, ids=[repr(c)[:40] for c in CASES])
def test_html_is_byte_identical_to_htpy(node: Any) -> None:
    assert to_html(walk(node)) == str(h.fragment[node])


def test_generators_are_materialized_once_and_htpy_refuses_them_after() -> None:
    gen = (h.li[i] for i in range(2))
    tree = h.ul[gen]
    assert to_html(walk(tree)) == "<ul><li>0</li><li>1</li></ul>"
    with pytest.raises(RuntimeError, match="consumed"):
        str(tree)


def test_generator_consumed_elsewhere_is_a_clear_error() -> None:
    def rows() -> Iterator[h.Element]:
        yield h.li["a"]

    gen = rows()
    tree = h.ul[gen]
    str(tree)
    with pytest.raises(RenderError, match="already been consumed"):
        walk(tree)
    exhausted = rows()
    list(exhausted)
    with pytest.raises(RenderError, match="already been consumed"):
        walk(h.ul[exhausted])


@pytest.mark.parametrize(
    ("node", "needle"),
    [
        # deliberately not a Node: the walker must name it
        (h.div["ok", h.p[lambda: 1.5]], r"1\.5 \(float\) in div > p"),  # type: ignore[index, return-value]
        (h.div[lambda: b"bytes"], r"b'bytes' \(bytes\) in div"),
        (lambda: object(), r"object object.* the template root"),
    ],
)
def test_invalid_children_name_the_node(node: Any, needle: str) -> None:
    with pytest.raises(RenderError, match=needle):
        walk(node)


def test_awaitable_child_is_refused() -> None:
    async def later() -> str:
        return "x"

    coro = later()
    with pytest.raises(RenderError, match="awaitable"):
        walk(h.div[lambda: coro])
    coro.close()


def test_htpy_rejects_floats_and_unknown_objects_before_us() -> None:
    with pytest.raises(TypeError):
        h.div(x=1.5)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        h.div[object()]  # type: ignore[index]


def test_statics_and_slots() -> None:
    r = walk(h.div("#a")[h.h1["Count: ", 3], h.button(phx_click="inc")["+"]])
    assert r.template.statics == ("<div", "><h1", ">", "", "</h1><button", ">", "</button></div>")
    assert r.dynamics == [' id="a"', "", "Count: ", "3", ' phx-click="inc"', "+"]
    assert r.template.single_root


def test_same_shape_same_template_object() -> None:
    assert walk(h.p["a"]).template is walk(h.p["b"]).template
    assert walk(h.p["a"]).template is not walk(h.p[h.b["a"]]).template


@pytest.mark.parametrize(
    ("node", "single"),
    [
        (h.div[h.p, "x"], True),
        (h.fragment[h.p, h.p], False),
        (h.fragment["x", h.p], False),
        (h.html, False),
        (h.br, True),
    ],
)
def test_single_root(node: Any, single: bool) -> None:
    assert walk(node).template.single_root is single


def _comprehension(r: Rendered, slot: int) -> Comprehension:
    value = r.dynamics[slot]
    assert isinstance(value, Comprehension)
    return value


def test_rows_share_statics_and_are_keyed_by_id() -> None:
    r = walk(h.ul[[h.li(id=f"r{i}")[i] for i in range(3)]])
    comp = _comprehension(r, 1)
    assert comp.template is not None and comp.template.statics == ("<li", ">", "</li>")
    assert comp.keys == ["r0", "r1", "r2"]
    assert comp.rows[1] == [' id="r1"', "1"]


def test_rows_without_unique_ids_are_keyed_by_index() -> None:
    assert _comprehension(walk(h.ul[[h.li(id="same"), h.li(id="same")]]), 1).keys is None
    assert _comprehension(walk(h.ul[[h.li(id="a"), h.li]]), 1).keys is None


def test_mixed_rows_become_nested_nodes() -> None:
    comp = _comprehension(walk(h.ul[[h.li["a"], h.p["b"]]]), 1)
    assert comp.template is not None and comp.template.statics == ("", "")
    assert all(isinstance(row[0], Rendered) for row in comp.rows)


def test_empty_list_has_no_template() -> None:
    comp = _comprehension(walk(h.ul[[]]), 1)
    assert comp.template is None and comp.rows == []


def test_keyed_helper_keys_and_errors() -> None:
    comp = _comprehension(walk(h.ul[keyed(["x", "y"], key=str.upper, render=lambda s: h.li[s])]), 1)
    assert comp.keys == ["X", "Y"]
    with pytest.raises(RenderError, match="duplicate row key 'A'"):
        keyed(["a", "a"], key=str.upper, render=lambda s: h.li[s])


def test_components_become_cid_slots() -> None:
    live = Live()
    tree = h.main[static_component(1, h.div(".c")["hi", static_component(2, h.b["nested"])])]
    r = live.walk(tree)
    assert r.dynamics[1] == Cid(1)
    assert sorted(live.registry.trees()) == [1, 2]
    assert live.html(r) == '<main><div class="c">hi<b>nested</b></div></main>'


def test_to_html_refuses_unknown_cid() -> None:
    with pytest.raises(RenderError, match="LiveComponent 1, not rendered"):
        to_html(Live().walk(h.main[static_component(9, h.p)]), {})


def test_async_rendering_is_not_involved() -> None:
    # the walker is synchronous and must not need a running loop
    assert asyncio.get_event_loop_policy() is not None
    assert to_html(walk(h.p["sync"])) == "<p>sync</p>"
