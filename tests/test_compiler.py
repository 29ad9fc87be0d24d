"""The template compiler: same HTML as htpy, fewer slots, and only changed slots evaluated."""

from __future__ import annotations

import linecache
import traceback
from collections.abc import Callable
from typing import Any

import htpy as h
import pytest
from components import Live, static_component
from htpy import button, div, fragment, h1, input, li, p, span, table, tbody, td, tr, ul
from markupsafe import Markup

from pylive.diff import SentTree
from pylive.errors import RenderError
from pylive.html.compiler import CompiledTemplate, Memo, compile_template, compiled, component
from pylive.html.keyed import keyed
from pylive.html.walker import walk
from pylive.rendered import Cid, Comprehension, Rendered, to_html


class A:
    """An assigns object: ``a.name`` and ``a["name"]``."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __getitem__(self, name: str) -> Any:
        return self.__dict__[name]

    def __getattr__(self, name: str) -> Any:  # only reached for missing names
        raise AttributeError(name)


def check(ct: CompiledTemplate[Any], assigns: A, owner: object = None) -> Rendered:
    """Render fully and assert the HTML equals htpy's and the walker's."""

    def tree() -> Any:  # built afresh each time: generators render once
        return ct.func(assigns) if owner is None else ct.func(owner, assigns)

    rendered = ct.render(assigns, None, owner=owner)
    expected = str(tree())
    assert to_html(rendered) == expected
    assert to_html(walk(tree())) == expected
    return rendered


calls: list[str] = []


def seen(tag: str, value: Any) -> Any:
    """Record that an expression was evaluated (to observe change tracking)."""
    calls.append(tag)
    return value


# -- constructs -------------------------------------------------------------------------------


def test_constant_markup_is_one_static() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div("#app.c", title="<x>")[h1["Hi & bye"], p[None, 3, True], input(disabled=True)]

    r = check(render, A())
    assert r.dynamics == []
    assert r.template.single_root


def test_keyword_attributes_are_a_slot_each_rendered_by_htpy() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div(class_=["btn", {"on": assigns.on}], data_x=assigns.x)["text"]

    r = check(render, A(on=True, x='"q"'))
    assert r.template.statics == ("<div", "", ">text</div>")
    assert r.dynamics == [' class="btn on"', ' data-x="&#34;q&#34;"']
    check(render, A(on=False, x=None))  # both left out


def test_constant_and_f_string_attributes_go_into_the_statics_as_heex_does() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return h.tr(id=f"row-{assigns.i}", phx_click="touch", title=f'a<"{assigns.t}"')[
            h.td[assigns.i]
        ]

    r = check(render, A(i=7, t="<b>&'"))
    # as Phoenix sends <tr id={"row-#{@i}"}>: only the interpolated values are dynamic
    assert r.template.statics == (
        '<tr id="row-',
        '" phx-click="touch" title="a&lt;&#34;',
        '&#34;"><td>',
        "</td></tr>",
    )
    assert r.dynamics == ["7", "&lt;b&gt;&amp;&#39;", "7"]
    check(render, A(i=8, t=""))


def test_class_f_strings_and_positional_attributes_stay_whole() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div(class_=f"x {assigns.c}")[p({"data-a": assigns.a})["t"]]

    r = check(render, A(c="on", a="1"))
    assert r.dynamics == [' class="x on"', ' data-a="1"']


def test_text_values_are_escaped_like_htpy() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return p[assigns.a, assigns.b, assigns.c, assigns.d, assigns.e]

    r = check(render, A(a="<&>", b=7, c=None, d=Markup("<i>m</i>"), e=False))
    assert r.dynamics == ["&lt;&amp;&gt;", "7", "", "<i>m</i>", ""]


def test_subscript_access_and_locals() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        """Docstrings and simple assignments before the return are fine."""
        name: str = assigns["name"].upper()
        twice = [li[name], li[name]]
        return ul[twice, li[name]]

    r = check(render, A(name="ann"))
    assert to_html(r) == "<ul><li>ANN</li><li>ANN</li><li>ANN</li></ul>"


def test_single_use_local_is_inlined_as_template() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        rows = [li[x] for x in assigns.entries]
        return ul[rows]

    r = check(render, A(entries=["a", "b"]))
    assert isinstance(r.dynamics[0], Comprehension)


def test_conditional_branches_are_nested_templates() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[p["n=", assigns.n], span["big"] if assigns.n > 3 else span["small ", assigns.n]]

    tree, memo = SentTree(), Memo()
    tree.diff(render.render(A(n=1), None, memo=memo))
    diff = tree.diff(render.render(A(n=5), {"n"}, memo=memo))
    assert diff == {"0": "5", "1": {"s": 0}, "p": {"0": ["<span>big</span>"]}}
    check(render, A(n=5))
    check(render, A(n=1))


@pytest.mark.parametrize("n", [0, 1, "", None, []])
def test_and_or_render_the_falsy_or_truthy_value_itself(n: Any) -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[assigns.n and p["yes"], assigns.n or p["no"], assigns.n and assigns.n and "x"]

    check(render, A(n=n))


def test_comprehension_rows_share_statics_and_are_keyed_by_id() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return table[tbody[(tr(id=f"r{i}")[td[v]] for i, v in enumerate(assigns.rows) if v)]]

    r = check(render, A(rows=["a", "", "c"]))
    comp = r.dynamics[0]
    assert isinstance(comp, Comprehension)
    assert comp.keys == ["r0", "r2"]  # read from the start tag: statics and the id's value
    statics = ('<tr id="r', '"><td>', "</td></tr>")
    assert comp.template is not None and comp.template.statics == statics
    assert comp.rows == [["0", "a"], ["2", "c"]]


def test_rows_without_id_are_index_tracked_and_empty_is_unknown_shape() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return ul[[li[x] for x in assigns.entries]]

    comp = check(render, A(entries=[1, 2])).dynamics[0]
    assert isinstance(comp, Comprehension) and comp.keys is None
    empty = check(render, A(entries=[])).dynamics[0]
    assert isinstance(empty, Comprehension) and empty.template is None


def test_keyed_call_is_compiled_with_explicit_keys_and_moves() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return ul[keyed(assigns.entries, key=lambda t: t[0], render=lambda t: li[t[1]])]

    tree, memo = SentTree(), Memo()
    r = render.render(A(entries=[(1, "a"), (2, "b")]), None, memo=memo)
    comp = r.dynamics[0]
    assert isinstance(comp, Comprehension) and comp.keys == [1, 2]
    tree.diff(r)
    diff = tree.diff(render.render(A(entries=[(2, "b"), (1, "a")]), {"entries"}, memo=memo))
    assert diff == {"0": {"k": {"0": 1, "1": 0, "kc": 2, "km": True}}}
    with pytest.raises(RenderError, match="duplicate"):
        render.render(A(entries=[(1, "a"), (1, "b")]))


@component
def badge(label: str, count: int = 0, *extra: str) -> h.Element:
    return span(class_="badge")[seen("badge-label", label), ": ", seen("badge-count", count), extra]


def test_function_components_are_nested_templates_memoized_on_arguments() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[badge(assigns.label, count=assigns.count), p[assigns.other]]

    check(render, A(label="x", count=1, other=""))
    memo = Memo()
    r1 = render.render(A(label="x", count=1, other=""), None, memo=memo)
    assert isinstance(r1.dynamics[0], Rendered)
    calls.clear()
    r2 = render.render(A(label="x", count=2, other=""), {"count"}, memo=memo)
    assert calls == ["badge-count"]  # the label slot of the component was not evaluated
    calls.clear()
    r3 = render.render(A(label="x", count=2, other="o"), {"other"}, memo=memo)
    assert calls == [] and r3.dynamics[0] is r2.dynamics[0]


def test_a_view_keeps_no_state_for_constant_calls_and_empty_lists() -> None:
    """Per-view memory: a call whose arguments read no assign is rendered by full renders only,
    and an empty list has nothing to compare with, so neither leaves state in the memo (every
    view of a page with a shared header and an empty flash would hold it)."""

    @compiled
    def render(assigns: A) -> h.Element:
        return div[badge("constant"), ul[[li[x] for x in assigns.xs]], badge(assigns.label)]

    memo = Memo()
    first = render.render(A(xs=[], label="a"), None, memo=memo)
    assert memo.state is not None and memo.state.slot_states is not None
    constant, rows, tracked = memo.state.slot_states
    assert constant is None and rows is None and isinstance(tracked, Memo)
    calls.clear()
    again = render.render(A(xs=[], label="b"), {"xs", "label"}, memo=memo)
    assert calls == ["badge-label"]  # the constant call is not evaluated again
    assert again.dynamics[0] is first.dynamics[0] and again.dynamics[1] is first.dynamics[1]
    last = render.render(A(xs=[1], label="b"), {"xs"}, memo=memo)
    assert to_html(last) == str(render(A(xs=[1], label="b")))


def test_component_with_bad_arguments_fails_like_python() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[badge()]

    with pytest.raises(TypeError, match="label"):
        render.render(A())


def test_fragments_void_elements_doctype_and_nested_lists() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return h.html[
            h.body[
                fragment["a", assigns.x, fragment[span[assigns.x]]],
                input(value=assigns.x),
                h.br,
                [[li[c] for c in row] for row in assigns.grid],
            ]
        ]

    r = check(render, A(x="v", grid=[["a", "b"], ["c"]]))
    assert r.template.statics[0].startswith("<!doctype html><html><body>a")
    assert not r.template.single_root


def test_unknown_expressions_fall_back_to_the_walker() -> None:
    def helper(x: str) -> h.Element:
        return div[span[x], [b for b in "ab"]]

    @compiled
    def render(assigns: A) -> h.Element:
        return h.main[helper(assigns.x), static_component(7, div[assigns.x])]

    live = Live()
    r = render.render(A(x="q"), None, live.context)
    assert live.components().keys() == {1}
    assert live.html(r) == "<main><div><span>q</span>ab</div><div>q</div></main>"
    assert isinstance(r.dynamics[0], Rendered)
    assert r.dynamics[1] == Cid(1)


def test_memoized_slots_keep_their_components() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[static_component(3, p[assigns.c]), assigns.other]

    memo, live = Memo(), Live()
    live.diff(render.render(A(c="1", other="x"), None, live.context, memo=memo))
    r = render.render(A(c="1", other="y"), {"other"}, live.context, memo=memo)
    assert live.diff(r) == {"1": "y"}  # the component's slot was not evaluated: not rendered
    assert live.html(r) == "<div><p>1</p>y</div>"
    r = render.render(A(c="2", other="y"), {"c"}, live.context, memo=memo)
    assert live.diff(r) == {"c": {"1": {"1": "2"}}}


# -- whole-function fallback ------------------------------------------------------------------


def _from_exec(source: str, name: str, *, cache: bool) -> Any:
    filename = f"<pylive-test-{abs(hash(source))}>"
    if cache:
        lines = source.splitlines(keepends=True)
        linecache.cache[filename] = (len(source), None, lines, filename)
    namespace: dict[str, Any] = {"h": h}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("def f(assigns):\n    if assigns.x:\n        return h.p\n    return h.b\n", "only"),
        ("def f(assigns):\n    return h.p[(y := assigns.x), y]\n", "NamedExpr"),
        ("def f(assigns, other):\n    return h.p[assigns.x]\n", "takes"),
        ("def f(assigns):\n    x = 1\n    x = 2\n    return h.p[x]\n", "twice"),
    ],
)
def test_functions_the_compiler_cannot_read_are_walked(source: str, reason: str) -> None:
    ct = compile_template(_from_exec(source, "f", cache=True))
    assert reason in (ct.fallback_reason or "")
    if "other" not in source:
        r = ct.render(A(x="1"))
        assert to_html(r) == str(ct(A(x="1")))


def test_no_source_lambda_and_wrapped_functions_are_walked() -> None:
    no_source = compile_template(_from_exec("def f(a):\n    return h.p[a.x]\n", "f", cache=False))
    assert "no source" in (no_source.fallback_reason or "")
    assert to_html(no_source.render(A(x="1"))) == "<p>1</p>"
    lam = compile_template(lambda a: p[a.x])
    assert "lambda" in (lam.fallback_reason or "")

    def wrapper(a: A) -> h.Element:
        return p[a.x]

    wrapper.__wrapped__ = wrapper  # type: ignore[attr-defined]
    assert "wrapped" in (compile_template(wrapper).fallback_reason or "")


# -- tracebacks -------------------------------------------------------------------------------


def test_errors_point_at_the_template_source_line() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[
            p["ok"],
            span[assigns.n // assigns.d],  # the failing line
        ]

    with pytest.raises(ZeroDivisionError) as info:
        render.render(A(n=1, d=0))
    frame = traceback.extract_tb(info.value.__traceback__)[-1]
    assert frame.filename == __file__
    assert frame.name == "render"
    assert frame.line is not None and "the failing line" in frame.line


def test_attribute_errors_point_at_the_template_source_line() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[[li(data_n=1.5)[x] for x in assigns.entries]]  # type: ignore[call-overload]  # floats are rejected

    with pytest.raises(TypeError) as info:
        render.render(A(entries=[1]))
    mine = [f for f in traceback.extract_tb(info.value.__traceback__) if f.filename == __file__]
    assert mine[-1].name == "render" and "floats are rejected" in (mine[-1].line or "")


# -- change tracking --------------------------------------------------------------------------


def test_unrelated_change_returns_the_same_objects() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[h1[seen("title", assigns.title)], ul[[li[seen("row", x)] for x in assigns.xs]]]

    memo = Memo()
    r1 = render.render(A(title="t", xs=[1, 2], other=0), None, memo=memo)
    calls.clear()
    r2 = render.render(A(title="t", xs=[1, 2], other=1), {"other"}, memo=memo)
    assert r2 is r1 and calls == []
    r3 = render.render(A(title="u", xs=[1, 2], other=1), {"title"}, memo=memo)
    assert calls == ["title"] and r3.dynamics[1] is r1.dynamics[1]
    tree = SentTree()
    tree.diff(r1)
    assert tree.diff(r3) == {"0": "u"}


def test_one_changed_row_evaluates_one_row() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return table[
            tbody[[tr(id=f"row-{i}")[td[i], td[seen("label", label)]] for i, label in assigns.rows]]
        ]

    rows = [(i, f"l{i}") for i in range(1000)]
    memo, tree = Memo(), SentTree()
    tree.diff(render.render(A(rows=rows), None, memo=memo))
    rows = list(rows)
    rows[500] = (500, "changed")
    calls.clear()
    diff = tree.diff(render.render(A(rows=rows), {"rows"}, memo=memo))
    assert calls == ["label"]
    assert diff == {"0": {"k": {"500": {"2": "changed"}, "kc": 1000}}}
    rows.insert(0, (-1, "new"))  # inserts and moves reuse rows by identity
    calls.clear()
    diff = tree.diff(render.render(A(rows=rows), {"rows"}, memo=memo))
    assert calls == ["label"]
    assert diff is not None and diff["0"]["k"]["km"] is True


def test_rows_that_moved_are_reused_whatever_the_list_length() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return ul[[li(id=f"r-{i}")[seen("label", label)] for i, label in assigns.rows]]

    rows = [(i, f"l{i}") for i in range(100)]
    memo, tree = Memo(), SentTree()
    tree.diff(render.render(A(rows=rows), None, memo=memo))
    changes: list[tuple[Callable[[list[tuple[int, str]]], None], int]] = [
        (lambda r: r.__setitem__(slice(10, 21, 10), [r[20], r[10]]), 0),  # a swap
        (lambda r: r.reverse(), 0),
        (lambda r: r.__setitem__(slice(0, 2), [r[1], (-1, "new")]), 1),  # a move, a new item
        (lambda r: r.append(r.pop(0)), 0),  # every row one place up
        (lambda r: r.__setitem__(5, (5, "replaced")), 1),
    ]
    for change, evaluated in changes:
        rows = list(rows)
        change(rows)
        calls.clear()
        rendered = render.render(A(rows=rows), {"rows"}, memo=memo)
        assert len(calls) == evaluated
        items = "".join(f'<li id="r-{i}">{label}</li>' for i, label in rows)
        assert to_html(rendered) == f"<ul>{items}</ul>"
        tree.diff(rendered)


def test_rows_reading_a_changed_assign_are_all_redone() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return ul[[li(class_={"sel": x == assigns.sel})[x] for x in assigns.xs]]

    memo = Memo()
    render.render(A(xs=["a", "b"], sel="a"), None, memo=memo)
    r = render.render(A(xs=["a", "b"], sel="b"), {"sel"}, memo=memo)
    assert to_html(r) == '<ul><li>a</li><li class="sel">b</li></ul>'


def test_branch_state_survives_only_while_the_branch_is_taken() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[p[assigns.a] if assigns.on else span[assigns.b]]

    memo = Memo()
    for assigns, changed in [
        (A(on=True, a=1, b=1), None),
        (A(on=False, a=2, b=1), {"on", "a"}),
        (A(on=False, a=2, b=3), {"b"}),
        (A(on=True, a=2, b=3), {"on"}),
    ]:
        assert to_html(render.render(assigns, changed, memo=memo)) == str(render(assigns))


class Counter:
    """A view whose template also reads instance state (untracked: re-read every render)."""

    track_changes = True

    def __init__(self) -> None:
        self.clicks = 0

    @compiled
    def render(self, assigns: A) -> h.Element:
        return div[p[self.clicks], p[assigns.n], p[len("constant")], p[now()]]


def now() -> str:
    calls.append("now")
    return "t"


def test_owner_reads_and_global_only_calls_are_evaluated_every_render() -> None:
    view = Counter()
    assert view.render is view.render  # one BoundTemplate (and Memo) per instance
    check(Counter.render, A(n=1), owner=view)
    view.render.render(A(n=1))
    view.clicks = 5
    calls.clear()
    r = view.render.render(A(n=1), set())
    assert to_html(r) == "<div><p>5</p><p>1</p><p>8</p><p>t</p></div>"
    assert calls == ["now"]


def test_track_changes_false_renders_everything() -> None:
    class Untracked(Counter):
        track_changes = False

    view = Untracked()
    view.render.render(A(n=1))
    r = view.render.render(A(n=2), set())
    assert "<p>2</p>" in to_html(r)


def test_whole_assigns_read_depends_on_every_assign() -> None:
    def describe(a: A) -> str:
        return ",".join(f"{k}={v}" for k, v in sorted(vars(a).items()))

    @compiled
    def render(assigns: A) -> h.Element:
        return p[describe(assigns)]

    memo = Memo()
    render.render(A(x=1), None, memo=memo)
    assert to_html(render.render(A(x=2), {"x"}, memo=memo)) == "<p>x=2</p>"


def test_a_failed_render_forgets_the_memo() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[p[assigns.a], p[1 // assigns.b]]

    memo = Memo()
    render.render(A(a=1, b=1), None, memo=memo)
    with pytest.raises(ZeroDivisionError):
        render.render(A(a=2, b=0), {"a", "b"}, memo=memo)
    assert to_html(render.render(A(a=2, b=1), {"b"}, memo=memo)) == "<div><p>2</p><p>1</p></div>"


def test_closures_are_read_at_render_time() -> None:
    suffix = "!"

    @compiled
    def render(assigns: A) -> h.Element:
        return p[assigns.x + suffix]

    assert render.fallback_reason is None
    assert to_html(render.render(A(x="a"))) == "<p>a!</p>"
    suffix = "?"
    assert to_html(render.render(A(x="a"))) == "<p>a?</p>"
    assert suffix == "?"


def test_button_row_template_matches_the_benchmark_view() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return table[
            tbody[
                [
                    tr(id=f"row-{i}")[
                        td[i],
                        td[label],
                        td[button(phx_click="touch", phx_value_row=str(i))["touch"]],
                    ]
                    for i, label in assigns.rows
                ]
            ]
        ]

    r = check(render, A(rows=[(1, "a"), (2, "b")]))
    comp = r.dynamics[0]
    assert isinstance(comp, Comprehension) and comp.template is not None
    # what Phoenix sends for <tr id={"row-#{i}"}> and phx-value-row={i}: the id's value, and the
    # attribute given as an expression whole; phx-click, a constant, is in the statics
    assert comp.template.statics == (
        '<tr id="row-',
        '"><td>',
        "</td><td>",
        '</td><td><button phx-click="touch"',
        ">touch</button></td></tr>",
    )
    assert comp.rows[0] == ["1", "1", "a", ' phx-value-row="1"']
    assert comp.keys == ["row-1", "row-2"]


@component
def item_row(i: int, label: str) -> h.Element:
    return tr(id=f"item-{i}")[td[label]]


def test_rows_that_are_component_calls_are_keyed_by_the_component_root_id() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return tbody[[item_row(i, label) for i, label in assigns.rows]]

    comp = check(render, A(rows=[(1, "a"), (2, "b")])).dynamics[0]
    assert isinstance(comp, Comprehension) and comp.keys == ["item-1", "item-2"]


def test_html_element_keeps_its_doctype_at_any_depth() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div[h.html[h.body[assigns.x]]]

    check(render, A(x="in"))


def test_views_rendering_the_same_attributes_share_one_string() -> None:
    @compiled
    def render(assigns: A) -> h.Element:
        return div(class_=["card", assigns.kind])[button(title=assigns.title)["go"]]

    first = check(render, A(kind="wide", title="Send it"))
    second = render.render(A(kind="wide", title="Send it"), None, memo=Memo())
    attrs = [d for d in first.dynamics if isinstance(d, str)]
    again = [d for d in second.dynamics if isinstance(d, str)]
    assert attrs == [' class="card wide"', ' title="Send it"']
    assert all(a is b for a, b in zip(attrs, again, strict=True))  # one copy, not one per view
