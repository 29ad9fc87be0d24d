"""Property test: generated template *source* compiled, re-rendered under random assign changes.

Each example writes a render function from a small grammar (elements with constant and dynamic
attributes, text, conditionals, ``and``/``or``, comprehensions, ``keyed()``, a function
component, one with children, one with slot entries, a helper the compiler cannot see into,
fragments, locals) and a sequence of assign changes. At every step the compiled, change-tracked
render must give the same HTML as ``str()`` of the htpy tree and as the runtime walker; the
SentTree diffs, merged by a pure-Python restatement of the client merge, must give that HTML too;
finally the official client replays them (merge and jsdom modes).
"""

from __future__ import annotations

import copy
import itertools
import linecache
import os
from typing import Any

from conformance.oracle import Oracle, assert_replays
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pylive.diff import SentTree
from pylive.html.compiler import CompiledTemplate, Memo
from pylive.html.walker import walk
from pylive.rendered import to_html
from pylive.testing.client_tree import ClientTree as PythonClient
from pylive.testing.client_tree import extract

HEADER = """\
import htpy as h
from htpy import b, div, em, fragment, li, p, span, ul
from pylive.html.compiler import Slot, compiled, component, render_slot
from pylive.html.keyed import keyed


@component
def badge(label, n=0):
    return b(title=label)[label, ":", n]


@component
def box(children=None, *, tone="t", **attrs):
    return div(class_=tone, **attrs)[children, "|"]


class Item(Slot):
    label: object = ""


@component
def listing(*, entry, k=0):
    return ul[[li(title=e.label)[render_slot(e, k)] for e in entry]]


def helper(x):
    return em[x, [p[i] for i in range(2)]]


@compiled
def render(assigns):
"""

SCALARS: list[Any] = ["", "a", "<&>\"'", 0, 7, None, True, False, Markup("<i>m</i>")]
NAMES = ("a", "b", "c", "flag", "xs")
_modules = itertools.count()


class Assigns:
    """``assigns.name`` and ``assigns["name"]`` over a dict."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getitem__(self, name: str) -> Any:
        return self.__dict__[name]


# -- the template grammar (Python source) -----------------------------------------------------

ROW_LEAVES = {"row": ["v", "k"], "keyed": ["kv[1]", "kv[0]"], None: []}
LEAVES = ['"lit"', '"<&>"', "3", "None", "assigns.a", 'assigns["b"]', "assigns.c"]


def attrs(row: str | None) -> st.SearchStrategy[str]:
    options = ["", '(class_="k")', "(title=assigns.a)", '(class_={"on": assigns.flag})']
    options += ["(class_=assigns.a, data_n=assigns.b)", '(hidden=assigns.flag, for_="x")']
    options += [f"(data_v={leaf})" for leaf in ROW_LEAVES[row] if leaf != "None"]
    return st.sampled_from(options)


def nodes(depth: int, row: str | None) -> st.SearchStrategy[str]:
    leaves = st.sampled_from(LEAVES + ROW_LEAVES[row])
    if depth == 0:
        return leaves
    sub = nodes(depth - 1, row)
    kids = st.lists(sub, max_size=3).map(", ".join)

    def element(tag: str, attr: str, children: str) -> str:
        return f"{tag}{attr}[{children}]" if children else f"{tag}{attr or '()'}"

    options = [
        leaves,
        st.builds(element, st.sampled_from(["div", "span", "p"]), attrs(row), kids),
        st.builds(lambda x, y: f"({x} if assigns.flag else {y})", sub, sub),
        st.builds(lambda x: f"(assigns.a and {x})", sub),
        st.builds(lambda x: f"(assigns.c or {x})", sub),
        st.builds(lambda x: f"fragment[{x}, 1]", sub),
        st.builds(lambda x: f"badge({x}, n=assigns.b)", leaves),
        st.builds(lambda x: f"box(data_t=assigns.a)[{x}]", sub),
        st.builds(
            lambda x, y: (
                f"listing(k=assigns.b, entry=[Item(label=assigns.c)[lambda i: "
                f"span[i, {x}]], Item()[{y}]])"
            ),
            sub,
            sub,
        ),
        st.builds(lambda x: f"helper({x})", leaves),
    ]
    if row is None:
        rows, keyed_rows = nodes(depth - 1, "row"), nodes(depth - 1, "keyed")
        options += [
            # @SITE@ is numbered afterwards so ids stay unique in the page
            rows.map(lambda x: f'[li(id=f"s@SITE@-{{k}}")[{x}] for k, v in assigns.xs]'),
            rows.map(lambda x: f"(em[{x}] for k, v in assigns.xs if v)"),
            keyed_rows.map(
                lambda x: f"keyed(assigns.xs, key=lambda kv: kv[0], render=lambda kv: li[{x}])"
            ),
        ]
    return st.one_of(*options)


@st.composite
def sources(draw: st.DrawFn) -> str:
    body = draw(st.lists(nodes(3, None), min_size=1, max_size=3))
    lines = []
    if draw(st.booleans()):
        lines.append(f"    part = {body[0]}")
        # used twice only when that is valid: generators render once (in htpy too), and
        # element ids must stay unique in the page
        once = " if v)" in body[0] or "id=f" in body[0]
        uses = 1 if once else draw(st.integers(1, 2))
        body[0] = ", ".join(["part"] * uses)
    lines.append(f'    return div(id="root")[{", ".join(body)}]')
    text = HEADER + "\n".join(lines) + "\n"
    sites = itertools.count()
    while "@SITE@" in text:
        text = text.replace("@SITE@", str(next(sites)), 1)
    return text


def load(source: str) -> CompiledTemplate[Any]:
    filename = f"<pylive-compiler-property-{next(_modules)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace: dict[str, Any] = {}
    exec(compile(source, filename, "exec"), namespace)
    template: CompiledTemplate[Any] = namespace["render"]
    assert template.fallback_reason is None, template.fallback_reason
    return template


# -- assign sequences --------------------------------------------------------------------------

_keys = itertools.count()
labels = st.sampled_from(["x", "y", "<z>", ""])


@st.composite
def new_rows(draw: st.DrawFn, rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    rows = list(rows)
    op = draw(st.sampled_from(["insert", "delete", "relabel", "reverse", "same"]))
    if op == "insert" or not rows:
        rows.insert(draw(st.integers(0, len(rows))), (next(_keys), draw(labels)))
    elif op == "delete":
        del rows[draw(st.integers(0, len(rows) - 1))]
    elif op == "relabel":
        i = draw(st.integers(0, len(rows) - 1))
        rows[i] = (rows[i][0], draw(labels))
    elif op == "reverse":
        rows.reverse()
    return rows


@st.composite
def steps(draw: st.DrawFn, values: dict[str, Any]) -> tuple[dict[str, Any], set[str] | None]:
    names = draw(st.sets(st.sampled_from(NAMES), min_size=1, max_size=3))
    values = dict(values)
    for name in names:
        if name == "xs":
            values["xs"] = draw(new_rows(values["xs"]))
        elif name == "flag":
            values["flag"] = draw(st.booleans())
        else:
            values[name] = draw(st.sampled_from(SCALARS))
    return values, None if draw(st.integers(0, 9)) == 0 else set(names)


# -- the property ------------------------------------------------------------------------------


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(source=sources(), data=st.data(), count=st.integers(1, 6))
def test_compiled_renders_and_diffs_match_htpy(
    oracle: Oracle, source: str, data: st.DataObject, count: int
) -> None:
    note(source)
    template = load(source)
    values: dict[str, Any] = {"a": "a", "b": 0, "c": None, "flag": True, "xs": []}
    changed: set[str] | None = None
    tree, memo = SentTree(), Memo()
    client: PythonClient | None = None
    join: Any = None
    diffs: list[Any] = []
    expected: list[str] = []
    for step in range(count + 1):
        if step:
            values, changed = data.draw(steps(values))
        assigns = Assigns(values)
        html = str(template(assigns))
        rendered = template.render(assigns, changed, memo=memo)
        assert to_html(rendered) == html, f"step {step}, changed={changed}"
        assert to_html(walk(template(assigns))) == html
        diff = tree.diff(rendered)
        if diff is None:
            assert expected and html == expected[-1], "no diff although the HTML changed"
            continue
        stripped = extract(copy.deepcopy(diff)).diff
        if client is None:
            client = PythonClient("phx-compiled", stripped)
        else:
            client.merge(stripped)
        client.to_string()  # the client's own render, which resolves the diff's template table
        assert client.html() == html, f"merged diffs differ at step {step}"
        if join is None:
            join = diff
        else:
            diffs.append(diff)
        expected.append(html)
    for mode in os.environ.get("PYLIVE_PROPERTY_MODES", "merge,dom").split(","):
        assert_replays(oracle, join, diffs, expected, mode=mode, view_id="phx-compiled")
