"""Property test: random htpy trees and mutations, every diff judged by the official client.

Each example builds a view from a small spec tree (elements, text, markup, index- and key-tracked
lists, nested lists, LiveComponent slots), applies a sequence of mutations, and after each one asks
SentTree for a diff. The join and the diffs are replayed through phoenix_live_view 1.2.12 (its
Rendered merge, and the real LiveSocket in jsdom); after every step the client's HTML must equal
``str()`` of the htpy tree. Hypothesis shrinks a failure to a minimal spec and diff sequence.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from typing import Any

import htpy as h
from components import Live, static_component
from conformance.oracle import Oracle, assert_replays
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pylive.html.keyed import keyed
from pylive.html.walker import walk

_uids = itertools.count()
EXAMPLES = int(os.environ.get("PYLIVE_PROPERTY_EXAMPLES", "500"))
TAGS = ["div", "span", "b", "em", "section", "ul"]
VALUES: list[Any] = ["", "a", "b", "x y", "<&>\"'", "é", 0, 7, None, Markup("<i>m</i>")]


@dataclass
class Leaf:
    value: Any


@dataclass
class El:
    tag: str
    attrs: dict[str, Any]
    kids: list[Node]
    # ids must stay unique in a page (the client reports duplicates), and stable across mutations
    uid: int = field(default_factory=lambda: next(_uids))


@dataclass
class Rows:
    keyed: bool
    rows: list[Node]
    keys: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys = self.keys or list(range(len(self.rows)))


Node = Leaf | El | Rows

attrs = st.dictionaries(
    st.sampled_from(["id", "class_", "title", "data_x", "hidden"]),
    st.sampled_from(["", "a", "b", "<&>\"'", True, False, 1]),
    max_size=2,
)
leaves = st.sampled_from(VALUES).map(Leaf)


def _branches(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(El, st.sampled_from(TAGS), attrs, st.lists(children, max_size=3)),
        st.builds(Rows, st.booleans(), st.lists(children, max_size=4)),
    )


trees: st.SearchStrategy[Node] = st.recursive(leaves, _branches, max_leaves=8)
elements = st.builds(El, st.sampled_from(TAGS), attrs, st.lists(trees, max_size=2))


def build(node: Node) -> Any:
    if isinstance(node, Leaf):
        return node.value
    if isinstance(node, El):
        attrs = dict(node.attrs)
        if "id" in attrs:
            attrs["id"] = f"u{node.uid}-{attrs['id']}"
        return getattr(h, node.tag)(**attrs)[tuple(build(k) for k in node.kids)]
    pairs = list(zip(node.keys, node.rows, strict=True))
    if node.keyed:
        return keyed(pairs, key=lambda p: p[0], render=lambda p: build(p[1]))
    return [build(row) for _, row in pairs]


def build_view(tree: Node, components: dict[int, El], *, inline: bool = False) -> Any:
    """The view with its components, or (``inline``) their markup in their place."""
    refs = [
        build(spec) if inline else static_component(cid, build(spec))
        for cid, spec in sorted(components.items())
    ]
    return h.main[build(tree), refs]


def _containers(node: Node, out: list[Node]) -> list[Node]:
    if isinstance(node, El | Rows):
        out.append(node)
        for kid in node.kids if isinstance(node, El) else node.rows:
            _containers(kid, out)
    return out


def mutate(data: st.DataObject, root: El, components: dict[int, El]) -> None:
    """One random change somewhere: text, attributes, children, rows, component content."""
    targets: list[Node] = _containers(root, [])
    for spec in components.values():
        _containers(spec, targets)
    node = data.draw(st.sampled_from(targets))
    if isinstance(node, El):
        op = data.draw(st.sampled_from(["attrs", "insert", "delete", "replace", "tag"]))
        if op == "attrs":
            node.attrs = data.draw(attrs)
        elif op == "tag" and node not in components.values():
            node.tag = data.draw(st.sampled_from(TAGS))
        elif op == "insert" or not node.kids:
            pos = data.draw(st.integers(0, len(node.kids)))
            node.kids.insert(pos, data.draw(trees))
        elif op == "delete":
            del node.kids[data.draw(st.integers(0, len(node.kids) - 1))]
        else:
            node.kids[data.draw(st.integers(0, len(node.kids) - 1))] = data.draw(trees)
        return
    assert isinstance(node, Rows)
    op = data.draw(st.sampled_from(["insert", "delete", "move", "reverse", "replace", "rekey"]))
    n = len(node.rows)
    if op == "insert" or n == 0:
        pos = data.draw(st.integers(0, n))
        node.rows.insert(pos, data.draw(trees))
        node.keys.insert(pos, max(node.keys, default=-1) + 1)
    elif op == "delete":
        pos = data.draw(st.integers(0, n - 1))
        del node.rows[pos], node.keys[pos]
    elif op == "move":
        src, dst = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
        node.rows.insert(dst, node.rows.pop(src))
        node.keys.insert(dst, node.keys.pop(src))
    elif op == "reverse":
        node.rows.reverse()
        node.keys.reverse()
    elif op == "replace":
        node.rows[data.draw(st.integers(0, n - 1))] = data.draw(trees)
    else:
        node.keyed = not node.keyed


def render(live: Live, root: Node, components: dict[int, El]) -> tuple[dict[str, Any] | None, str]:
    rendered = walk(build_view(root, components), live.context)
    diff = live.diff(rendered)
    html = str(build_view(root, components, inline=True))
    assert live.html(rendered) == html
    return diff, html


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    root=elements,
    components=st.dictionaries(st.integers(1, 3), elements, max_size=2),
    data=st.data(),
    steps=st.integers(1, 6),
)
def test_every_diff_replays_to_the_full_render(
    oracle: Oracle, root: El, components: dict[int, El], data: st.DataObject, steps: int
) -> None:
    tree = Live()
    join, html = render(tree, root, components)
    assert join is not None
    diffs: list[dict[str, Any]] = []
    expected = [html]
    note(f"step 0: {root!r} components={components!r}")
    for i in range(steps):
        mutate(data, root, components)
        note(f"step {i + 1}: {root!r} components={components!r}")
        diff, html = render(tree, root, components)
        if diff is not None:
            diffs.append(diff)
            expected.append(html)
        elif html != expected[-1]:
            raise AssertionError(f"no diff although the HTML changed:\n{expected[-1]}\n{html}")
    for mode in os.environ.get("PYLIVE_PROPERTY_MODES", "merge,dom").split(","):
        assert_replays(oracle, join, diffs, expected, mode=mode, view_id="phx-prop")
