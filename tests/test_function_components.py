"""Function components with declared attributes and slots: checks, children, slot entries,
and change tracking through all of them (only what reads a changed input is evaluated)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import htpy as h
import pytest
from htpy import Node, button, div, h2, li, p, span, table, tbody, td, th, thead, tr, ul
from markupsafe import Markup

from pylive import Slot, component, render_slot
from pylive.diff import SentTree
from pylive.html.compiler import CompiledTemplate, ComponentCall, Memo, compiled
from pylive.html.walker import walk
from pylive.rendered import Rendered, to_html


class A:
    """An assigns object: ``a.name``."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __getitem__(self, name: str) -> Any:
        return self.__dict__[name]

    def __getattr__(self, name: str) -> Any:  # only reached for missing names
        raise AttributeError(name)


calls: list[str] = []


def seen(tag: str, value: Any) -> Any:
    """Record that an expression was evaluated (to observe change tracking)."""
    calls.append(tag)
    return value


def check(ct: CompiledTemplate[Any], assigns: A) -> Rendered:
    """A full render whose HTML equals htpy's and the walker's."""
    rendered = ct.render(assigns)
    expected = str(ct.func(assigns))
    assert to_html(rendered) == expected
    assert to_html(walk(ct.func(assigns))) == expected
    return rendered


class Steps:
    """Renders of one template with one memo, each diffed and checked against htpy."""

    def __init__(self, ct: CompiledTemplate[Any]) -> None:
        self.ct, self.memo, self.tree = ct, Memo(), SentTree()

    def __call__(self, changed: set[str] | None, **values: Any) -> Any:
        assigns = A(**values)
        calls.clear()
        rendered = self.ct.render(assigns, changed, memo=self.memo)
        evaluated = list(calls)
        assert to_html(rendered) == str(self.ct.func(assigns))
        calls[:] = evaluated  # what the render evaluated, not the check
        return self.tree.diff(rendered)


# -- components used below ---------------------------------------------------------------------


@component
def card(
    *,
    title: str,
    tone: Literal["info", "warning"] = "info",
    children: Node = None,
    **attrs: Any,
) -> h.Element:
    return div(class_=f"card card-{tone}", **attrs)[h2[seen("title", title)], children]


@component
def pill(label: str, /, *, count: int = 0) -> h.Element:
    return span(".pill")[seen("pill", label), ": ", count]


class Col(Slot):
    label: str
    align: Literal["left", "right"] = "left"


@component
def grid(*, rows: Sequence[Any], col: list[Col], empty: str = "Nothing") -> h.Element:
    return table[
        thead[tr[[th(class_=c.align)[c.label] for c in col]]],
        tbody[
            [tr(id=f"r-{r['id']}")[[td[render_slot(c, r)] for c in col]] for r in rows]
            if rows
            else tr[td[empty]]
        ],
    ]


class Action(Slot):
    pass


@component
def toolbar(*, action: list[Action] | None = None, children: Node = None) -> h.Element:
    return div(".toolbar")[children, [render_slot(a) for a in action or ()]]


# -- declared attributes -----------------------------------------------------------------------


def test_attributes_defaults_and_rest_attributes_reach_the_root_element() -> None:
    html = str(card(title="Hi", id="c", data_role="main", aria_label="A card", phx_click="go"))
    assert html == (
        '<div class="card card-info" id="c" data-role="main" aria-label="A card" phx-click="go">'
        "<h2>Hi</h2></div>"
    )
    assert str(card(title="Hi", tone="warning", data_x="1")) == (
        '<div class="card card-warning" data-x="1"><h2>Hi</h2></div>'
    )


def test_missing_unknown_and_wrong_literal_attributes_name_component_and_attribute() -> None:
    with pytest.raises(TypeError, match=r"^card\(\): missing required attribute 'title'$"):
        card()
    with pytest.raises(TypeError, match=r"card\(\): attribute 'tone' must be one of 'info', "):
        card(title="x", tone="red")
    with pytest.raises(TypeError, match=r"^grid\(\): unknown attribute 'colour' \(its attributes"):
        grid(rows=[], col=[], colour="red")
    with pytest.raises(TypeError, match=r"^grid\(\): missing required slot 'col'$"):
        grid(rows=[])
    with pytest.raises(TypeError, match=r"grid\(\): slot 'col' takes a list of Col entries"):
        grid(rows=[], col=[Action()])
    with pytest.raises(TypeError, match=r"Col: attribute 'align' must be one of"):
        Col(label="x", align="middle")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Col: missing required attribute 'label'$"):
        Col()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Col: unknown attribute 'width' \(its attributes"):
        Col(label="x", width=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Col: attributes are given by keyword"):
        Col("x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"pill\(\) takes no children"):
        pill["x"]
    with pytest.raises(TypeError, match=r"^pill\(\): "):
        pill("a", "b")


def test_errors_inside_a_compiled_template_are_the_same() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[card(title=assigns.t, tone=assigns.tone)]

    assert render.render(A(t="x", tone="info"))
    with pytest.raises(TypeError, match="attribute 'tone' must be one of"):
        render.render(A(t="x", tone="loud"))

    @compiled
    def missing(assigns: A) -> h.Element:
        return div[card(tone=assigns.tone)]

    with pytest.raises(TypeError, match="missing required attribute 'title'"):
        missing.render(A(tone="info"))


def test_existing_positional_components_keep_working() -> None:
    assert str(pill("a", count=2)) == '<span class="pill">a: 2</span>'

    @compiled
    def render(assigns: A) -> h.Element:
        return div[pill(assigns.label, count=assigns.n)]

    check(render, A(label="x", n=1))
    assert render.fallback_reason is None and pill.fallback_reason is None


# -- the default slot: children ----------------------------------------------------------------


def test_children_in_brackets_like_htpy() -> None:
    called = card(title="T")
    assert isinstance(called, ComponentCall)
    assert str(called) == '<div class="card card-info"><h2>T</h2></div>'
    assert str(called[p["body"], "text"]) == (
        '<div class="card card-info"><h2>T</h2><p>body</p>text</div>'
    )
    assert str(div[card(title="T")[p["x"]]]) == (
        '<div><div class="card card-info"><h2>T</h2><p>x</p></div></div>'
    )
    assert str(toolbar[button["Save"]]) == '<div class="toolbar"><button>Save</button></div>'
    # the explicit keyword gives the tree directly
    assert str(card(title="T", children="c")) == '<div class="card card-info"><h2>T</h2>c</div>'


def test_children_are_compiled_in_the_caller_and_tracked_there() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[
            card(title=assigns.title, id="main")[
                p[seen("body", assigns.body)], span(".static")["same"]
            ],
            p[assigns.other],
        ]

    check(render, A(title="T", body="B", other="o"))
    step = Steps(render)
    join = step(None, title="T", body="B", other="o")
    assert sorted(calls) == ["body", "title"]
    # the children's statics are the caller's: "<p>" and the constant span are not dynamics
    assert ["<p>", '</p><span class="static">same</span>'] in join["p"].values()
    assert step({"body"}, title="T", body="B2", other="o") == {"0": {"2": {"0": "B2"}}}
    assert calls == ["body"]  # the title slot of the card was not evaluated
    assert step({"other"}, title="T", body="B2", other="o2") == {"1": "o2"}
    assert calls == []
    assert step({"title"}, title="T2", body="B2", other="o2") == {"0": {"1": "T2"}}
    assert calls == ["title"]


def test_children_as_a_function_of_the_render_slot_argument() -> None:
    @component
    def counter(*, n: int, children: Any = None) -> h.Element:
        return div(".counter")[render_slot(children, n * 2)]

    assert str(counter(n=2)[lambda doubled: span[doubled]]) == (
        '<div class="counter"><span>4</span></div>'
    )

    @compiled
    def render(assigns: A) -> h.Element:
        return div[counter(n=assigns.n)[lambda doubled: span[doubled, assigns.unit]]]

    check(render, A(n=1, unit="cm"))
    step = Steps(render)
    step(None, n=1, unit="cm")
    assert step({"n"}, n=3, unit="cm") == {"0": {"0": {"0": "6"}}}
    assert step({"unit"}, n=3, unit="mm") == {"0": {"0": {"1": "mm"}}}


def test_a_component_passing_its_children_on_stays_incremental() -> None:
    @component
    def panel(*, heading: str, children: Node = None) -> h.Element:
        return h.section[card(title=heading)[children, h.hr]]

    @compiled
    def render(assigns: A) -> h.Element:
        return div[panel(heading=assigns.heading)[p[seen("inner", assigns.inner)]]]

    check(render, A(heading="H", inner="I"))
    step = Steps(render)
    step(None, heading="H", inner="I")
    assert step({"inner"}, heading="H", inner="J") == {"0": {"0": {"2": {"0": {"0": "J"}}}}}
    assert calls == ["inner"]
    assert step({"heading"}, heading="K", inner="J") == {"0": {"0": {"1": "K"}}}
    assert calls == ["title"]


# -- named slots: entries with attributes ------------------------------------------------------

PEOPLE = [{"id": 1, "name": "Ada", "age": 36}, {"id": 2, "name": "Alan", "age": 41}]


def test_slot_entries_carry_attributes_and_render_per_row() -> None:
    html = str(
        grid(
            rows=PEOPLE,
            col=[
                Col(label="Name")[lambda r: h.b[r["name"]]],
                Col(label="Age", align="right")[lambda r: r["age"]],
            ],
        )
    )
    assert html == (
        '<table><thead><tr><th class="left">Name</th><th class="right">Age</th></tr></thead>'
        '<tbody><tr id="r-1"><td><b>Ada</b></td><td>36</td></tr>'
        '<tr id="r-2"><td><b>Alan</b></td><td>41</td></tr></tbody></table>'
    )
    assert str(grid(rows=[], col=[Col(label="x")["y"]], empty="None yet")) == (
        '<table><thead><tr><th class="left">x</th></tr></thead>'
        "<tbody><tr><td>None yet</td></tr></tbody></table>"
    )
    entry = Col(label="Name")
    assert entry["x"] is not entry and render_slot(entry) is None  # brackets copy the entry
    assert render_slot([Action()["a"], Action()[lambda n: n]], 5) == ["a", 5]


def test_slot_entries_compiled_in_a_live_template() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[
            grid(
                rows=assigns.people,
                col=[
                    Col(label="Name")[lambda r: h.b[seen("name", r["name"])]],
                    Col(label=assigns.age_label, align="right")[lambda r: r["age"]],
                ],
            )
        ]

    check(render, A(people=PEOPLE, age_label="Age"))
    step = Steps(render)
    join = step(None, people=PEOPLE, age_label="Age")
    assert calls == ["name", "name"]
    assert ["<b>", "</b>"] in join["p"].values()  # the entry's content: the caller's statics
    # one row added: only that row is rendered
    more = [*PEOPLE, {"id": 3, "name": "Grace", "age": 85}]
    diff = step({"people"}, people=more, age_label="Age")
    assert calls == ["name"]
    assert diff is not None and "Grace" in str(diff) and "Ada" not in str(diff)
    # an entry attribute changed: the header changes, the rows' HTML does not
    diff = step({"age_label"}, people=more, age_label="Years")
    assert diff == {"0": {"0": {"k": {"1": {"1": "Years"}, "kc": 2}}}}


def test_named_slot_and_children_together_and_entries_without_arguments() -> None:
    @compiled
    def render(assigns: A) -> Any:
        return toolbar(action=[Action()[button(phx_click="save")["Save"]], Action()[assigns.x]])[
            span[assigns.title]
        ]

    check(render, A(x="extra", title="Doc"))
    step = Steps(render)
    step(None, x="extra", title="Doc")
    assert step({"title"}, x="extra", title="Doc 2") == {"0": {"0": {"0": "Doc 2"}}}
    diff = step({"x"}, x="more", title="Doc 2")
    assert diff == {"0": {"1": {"k": {"1": {"0": {"0": "more"}}, "kc": 2}}}}


def test_components_inside_comprehensions() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return ul[
            [
                li(id=f"i-{item['id']}")[
                    card(title=item["name"], data_id=str(item["id"]))[p[seen("p", item["age"])]]
                ]
                for item in assigns.items
            ]
        ]

    check(render, A(items=PEOPLE))
    step = Steps(render)
    step(None, items=PEOPLE)
    assert calls.count("p") == 2
    changed = [PEOPLE[0], {**PEOPLE[1], "age": 42}]
    diff = step({"items"}, items=changed)
    assert calls == ["title", "p"]  # only the changed row
    assert diff is not None and "42" in str(diff) and "Ada" not in str(diff)


def test_entries_built_outside_the_call_fall_back_to_plain_python() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        cols = [Col(label=name)[lambda r, name=name: r[name]] for name in assigns.names]
        return div[grid(rows=assigns.people, col=cols)]

    check(render, A(people=PEOPLE, names=["name", "age"]))
    step = Steps(render)
    step(None, people=PEOPLE, names=["name", "age"])
    assert step({"names"}, people=PEOPLE, names=["age"]) is not None


def test_markup_and_escaping_in_children_match_htpy() -> None:
    @compiled
    def render(assigns: A) -> Any:
        return card(title=assigns.t)[assigns.raw, assigns.text]

    check(render, A(t="<T>", raw=Markup("<i>ok</i>"), text="<&>"))


def test_switching_branches_and_unbound_brackets() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[card(title="On")[p[assigns.x]] if assigns.flag else toolbar[span[assigns.x]],]

    check(render, A(flag=True, x="1"))
    step = Steps(render)
    step(None, flag=True, x="1")
    assert step({"x"}, flag=True, x="2") == {"0": {"2": {"0": "2"}}}
    diff = step({"flag"}, flag=False, x="2")
    assert diff is not None and "toolbar" in str(diff)
    assert step({"x"}, flag=False, x="3") == {"0": {"0": {"0": "3"}}}
    diff = step({"flag"}, flag=True, x="3")
    assert diff is not None and "On" in str(diff)


def test_live_components_inside_children() -> None:
    from components import Live, static_component

    @compiled
    def render(assigns: A) -> Any:
        return card(title=assigns.t)[static_component(1, p[assigns.x]), assigns.x]

    live, memo = Live(), Memo()
    first = render.render(A(t="T", x="a"), None, live.context, memo=memo)
    live.diff(first)
    assert live.html(first) == '<div class="card card-info"><h2>T</h2><p>a</p>a</div>'
    again = render.render(A(t="U", x="a"), {"t"}, live.context, memo=memo)
    assert live.diff(again) == {"0": {"1": "U"}}


def wrap(node: Node) -> h.Element:
    """A helper the compiler does not look into."""
    return h.section[node]


@component
def wrapped(*, children: Node = None) -> h.Element:
    return div(".wrapped")[wrap(children)]


def test_children_handed_to_a_plain_helper_render_the_same() -> None:
    @compiled
    def render(assigns: A) -> Any:
        return wrapped[p[assigns.x], b_list(assigns.items)]

    check(render, A(x="<x>", items=["a", "b"]))
    step = Steps(render)
    step(None, x="1", items=["a"])
    assert step({"x"}, x="2", items=["a"]) is not None


def b_list(items: list[str]) -> list[h.Element]:
    return [h.b[i] for i in items]
