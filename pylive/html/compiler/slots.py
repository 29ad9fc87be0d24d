"""Runtime half of the template compiler: slots that re-evaluate only when their inputs changed.

A compiled template is a ``Tmpl``: interned statics plus ``Slot`` objects, each tagged with the
``Deps`` it reads. ``render_tmpl`` evaluates a slot only when one of its deps is in ``changed``
(``None`` = everything); otherwise it reuses the value object of the previous render, so
``ClientTree.diff`` skips it by identity. A whole template whose deps did not change returns its
previous ``Rendered`` object. Nothing returned is ever mutated afterwards.

This is sound only for templates that are pure functions of their inputs (see
docs/change-tracking.md); ``Deps.volatile`` marks expressions that are re-run every time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from operator import attrgetter, is_
from typing import Any

from markupsafe import escape

from pylive.errors import RenderError
from pylive.html import adapter
from pylive.html.escaping import escape_str
from pylive.html.walker import walk
from pylive.render_context import LiveNode, RenderContext, render_live
from pylive.rendered import (
    Comprehension,
    Dynamic,
    Rendered,
    Template,
    changed_positions,
    to_html,
)
from pylive.streams import Stream

__all__ = [
    "Arg",
    "AttrSlot",
    "AttrTextSlot",
    "Block",
    "BlockArg",
    "CallSlot",
    "CompSlot",
    "CondSlot",
    "Content",
    "Deps",
    "EntryArg",
    "ListArg",
    "Slot",
    "Thunk",
    "Tmpl",
    "TmplState",
    "ValueSlot",
    "render_tmpl",
    "to_dynamic",
]

Scope = dict[str, Any]
Live = RenderContext | None


@dataclass(frozen=True, slots=True)
class Deps:
    """What an expression reads: assign names, the whole assigns object, or untracked state."""

    names: frozenset[str] = frozenset()
    any: bool = False
    """Reads the assigns object as a whole (passed along, or a method called on it)."""
    volatile: bool = False
    """Reads state that change tracking cannot see (``self``, globals only): always re-run."""

    def __or__(self, other: Deps) -> Deps:
        return Deps(
            self.names | other.names, self.any or other.any, self.volatile or other.volatile
        )

    @property
    def constant(self) -> bool:
        """Never dirty once rendered: a slot with these deps is evaluated by full renders only
        (which pass it no state), so the state it returns is never read."""
        return not (self.names or self.any or self.volatile)

    def dirty(self, changed: set[str] | frozenset[str] | None) -> bool:
        """Whether a value computed from these deps may differ after ``changed``."""
        if changed is None or self.volatile:
            return True
        if not changed:
            return False
        return self.any or not self.names.isdisjoint(changed)


NO_DEPS = Deps()


class Thunk:
    """A compiled user expression, called with the scope values it names (in ``params`` order).

    ``fn`` is set once the whole template's code is generated (one ``compile`` per template).
    """

    __slots__ = ("deps", "fn", "params")

    def __init__(self, params: tuple[str, ...], deps: Deps) -> None:
        self.params = params
        self.deps = deps
        self.fn: Callable[..., Any] = _not_generated

    def __call__(self, scope: Scope) -> Any:
        params = self.params
        if len(params) == 1:
            return self.fn(scope[params[0]])
        return self.fn(*[scope[p] for p in params])


def _not_generated(*args: Any) -> Any:  # pragma: no cover - a compiler bug, not a user error
    raise RuntimeError("template thunk used before its code was generated")


def to_dynamic(value: Any, live: Live) -> Dynamic:
    """A runtime value in child position as a slot value, exactly as htpy would render it.

    Text-like values become escaped strings; anything else (elements, lists, components...)
    goes through the runtime walker and becomes a nested Rendered.
    """
    kind = type(value)
    if kind is str:  # the common cases first
        return escape_str(value)
    if kind is int:
        return str(value)
    if isinstance(value, Block):
        return value.render(None, live)[0]
    while callable(value) and not isinstance(value, adapter.BaseElement):
        value = value()
    if isinstance(value, LiveNode):
        return render_live(value, live)
    if value is None or value is True or value is False:
        return ""
    if isinstance(value, str) or (hasattr(value, "__html__") and not hasattr(value, "iter_chunks")):
        return str(escape(value))
    if isinstance(value, int):
        return str(value)
    return walk(value, live)


class Slot:
    """One dynamic position of a template; ``deps`` decides whether it is re-evaluated."""

    __slots__ = ("deps",)

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def evaluate(
        self, scope: Scope, changed: set[str] | frozenset[str] | None, state: Any, live: Live
    ) -> tuple[Dynamic, Any]:
        """The slot's value and the state to pass back next time (``changed=None``: no reuse)."""
        raise NotImplementedError

    def value(self, scope: Scope, live: Live) -> Dynamic:
        """Just the value, rendered afresh (rows of a comprehension keep no per-slot state)."""
        return self.evaluate(scope, None, None, live)[0]


class ThunkSlot(Slot):
    """A slot computed by one compiled expression."""

    __slots__ = ("thunk",)

    def __init__(self, thunk: Thunk) -> None:
        super().__init__(thunk.deps)
        self.thunk = thunk


class ValueSlot(ThunkSlot):
    """Any expression the compiler does not understand: its value, walked if not text."""

    __slots__ = ()

    def evaluate(
        self, scope: Scope, changed: set[str] | frozenset[str] | None, state: Any, live: Live
    ) -> tuple[Dynamic, Any]:
        value = self.thunk(scope)
        if type(value) is Block:  # slot content compiled by the caller: tracked on its own
            return value.render(state, live)
        return to_dynamic(value, live), None

    def value(self, scope: Scope, live: Live) -> Dynamic:
        return to_dynamic(self.thunk(scope), live)


class AttrSlot(ThunkSlot):
    """A non-constant attribute set: the element call is run by htpy, its attribute string kept."""

    __slots__ = ()

    def evaluate(
        self, scope: Scope, changed: set[str] | frozenset[str] | None, state: Any, live: Live
    ) -> tuple[Dynamic, Any]:
        # interned: the same icon or link in every view's page is held once, not once per view
        # (freed with its last user); a comprehension's rows (``value``) are not: mostly unique
        return sys.intern(self.value(scope, live)), None

    def value(self, scope: Scope, live: Live) -> str:
        return adapter.attrs_of(self.thunk(scope))


class AttrTextSlot(ThunkSlot):
    """An interpolated value of an f-string attribute (``tr(id=f"row-{i}")``), escaped as htpy
    escapes attribute values; the rest of the attribute is in the statics."""

    __slots__ = ()

    def evaluate(
        self, scope: Scope, changed: set[str] | frozenset[str] | None, state: Any, live: Live
    ) -> tuple[Dynamic, Any]:
        return self.value(scope, live), None

    def value(self, scope: Scope, live: Live) -> str:
        return escape_str(self.thunk(scope))


class KeywordAttrSlot(Slot):
    """One attribute given as a keyword (``button(disabled=assigns.busy)``), or the attribute
    set of a keywords-only call: the string is formatted here for str/int/bool/None values,
    exactly as htpy would (an attribute that is None or False is left out); anything else
    (class lists, Markup, invalid types) runs the user's element call through htpy, so errors
    point at the template."""

    __slots__ = ("element", "names", "values")

    def __init__(self, names: tuple[str, ...], values: Thunk, element: Thunk) -> None:
        super().__init__(values.deps | element.deps)
        self.names = names
        self.values = values
        self.element = element

    def evaluate(
        self, scope: Scope, changed: set[str] | frozenset[str] | None, state: Any, live: Live
    ) -> tuple[Dynamic, Any]:
        return sys.intern(self.value(scope, live)), None  # held once (as above)

    def value(self, scope: Scope, live: Live) -> str:
        parts: list[str] = []
        for name, value in zip(self.names, self.values(scope), strict=True):
            kind = type(value)
            if value is None or value is False or (kind is str and not value and name == "class"):
                continue
            if value is True and name != "class":
                parts.append(" " + name)
            elif kind is str:
                parts.append(f' {name}="{escape_str(value)}"')
            elif kind is int and name != "class":
                parts.append(f' {name}="{value}"')
            else:
                return adapter.attrs_of(self.element(scope))
        return "".join(parts)


@dataclass(slots=True)
class Tmpl:
    """A compiled template: its interned shape and its slots."""

    template: Template
    slots: list[Slot]
    deps: Deps


@dataclass(slots=True)
class TmplState:
    """What one template rendered last time: the node and per-slot state."""

    rendered: Rendered
    slot_states: list[Any] | None
    """Per slot; None when every slot's is None (attribute slots, plain values: most
    templates), which spares each view a list per such template."""


def render_tmpl(
    t: Tmpl,
    scope: Scope,
    changed: set[str] | frozenset[str] | None,
    state: TmplState | None,
    live: Live,
) -> tuple[Rendered, TmplState]:
    """Render ``t``, re-evaluating only slots whose deps changed since ``state`` was made."""
    if state is None or changed is None:
        return _render_all(t, scope, live)
    if not t.deps.dirty(changed):
        return state.rendered, state
    old = state.rendered.dynamics
    dynamics = list(old)
    states = state.slot_states
    slot_states = None if states is None else list(states)
    same = True
    for i, slot in enumerate(t.slots):
        if slot.deps.dirty(changed):
            prev = None if slot_states is None else slot_states[i]
            value, sub = slot.evaluate(scope, changed, prev, live)
            if slot_states is not None:
                slot_states[i] = sub
            elif sub is not None:
                slot_states = [None] * len(t.slots)
                slot_states[i] = sub
            if value is not old[i]:
                dynamics[i] = value
                same = False
    # every slot reused: the same node, which the diff skips by identity
    rendered = state.rendered if same else Rendered(t.template, dynamics)
    return rendered, TmplState(rendered, slot_states)


def _render_all(t: Tmpl, scope: Scope, live: Live) -> tuple[Rendered, TmplState]:
    slots = t.slots
    dynamics: list[Dynamic] = [""] * len(slots)  # exactly sized: kept until the next render
    slot_states: list[Any] | None = None
    for i, slot in enumerate(slots):
        value, sub = slot.evaluate(scope, None, None, live)
        dynamics[i] = value
        if sub is not None and not slot.deps.constant:  # a constant slot's is never read
            if slot_states is None:
                slot_states = [None] * len(slots)
            slot_states[i] = sub
    rendered = Rendered(t.template, dynamics)
    return rendered, TmplState(rendered, slot_states)


class CondSlot(Slot):
    """``a if c else b``, ``c and a``, ``c or b``: one nested template per branch.

    A branch of None stands for "the value of the test itself" (the falsy side of ``and``,
    the truthy side of ``or``), rendered like any value.
    """

    __slots__ = ("branches", "test")

    def __init__(self, test: Thunk, then: Tmpl | None, orelse: Tmpl | None) -> None:
        deps = test.deps
        for branch in (then, orelse):
            if branch is not None:
                deps = deps | branch.deps
        super().__init__(deps)
        self.test = test
        self.branches = (then, orelse)

    def evaluate(
        self, scope: Scope, changed: set[str] | frozenset[str] | None, state: Any, live: Live
    ) -> tuple[Dynamic, Any]:
        value = self.test(scope)
        taken = 0 if value else 1
        branch = self.branches[taken]
        if branch is None:
            return to_dynamic(value, live), None
        same = state is not None and state[0] == taken and changed is not None
        if branch.template.statics == ("", ""):
            # a branch that is one slot (a component call, a comprehension...): no wrapper node
            slot = branch.slots[0]
            if same and not slot.deps.dirty(changed):
                return state[1], state
            dynamic, sub = slot.evaluate(
                scope, changed if same else None, state[2] if same else None, live
            )
            return dynamic, (taken, dynamic, sub)
        prev: TmplState | None = state[1] if same else None
        rendered, tstate = render_tmpl(branch, scope, changed if same else None, prev, live)
        return rendered, (taken, tstate)


@dataclass(slots=True)
class _Row:
    item: Any
    dynamics: list[Dynamic]
    key: Hashable | None


@dataclass(slots=True)
class _CompState:
    rows: list[_Row]
    node: Comprehension


_NO_ROWS = Comprehension(None, [])
"""The value of every comprehension without rows (never mutated: only a stream's is)."""

_item_of = attrgetter("item")
_key_of = attrgetter("key")
_dynamics_of = attrgetter("dynamics")


def _same(a: object, b: object) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    try:
        return (a == b) is True
    except Exception:
        return False


class CompSlot(Slot):
    """A list comprehension / generator / ``keyed()``: rows sharing the body's template.

    Rows are memoized on their item: when the body reads nothing but the loop variables (and
    assigns that did not change), a row whose item is the same object, or an equal one, as in the
    last render is not evaluated again, and its slot list is reused as is.
    """

    __slots__ = ("bind", "body", "filters", "items", "key", "row_deps")

    def __init__(
        self,
        items: Thunk,
        bind: Callable[[Scope, Any], None],
        filters: list[Thunk],
        body: Tmpl,
        key: Thunk | None,
    ) -> None:
        self.items = items
        self.bind = bind
        self.filters = filters
        self.body = body
        self.key = key
        row_deps = body.deps
        for f in filters:
            row_deps = row_deps | f.deps
        if key is not None:
            row_deps = row_deps | key.deps
        self.row_deps = row_deps
        super().__init__(items.deps | row_deps)

    def evaluate(
        self, scope: Scope, changed: set[str] | frozenset[str] | None, state: Any, live: Live
    ) -> tuple[Dynamic, Any]:
        iterable = self.items(scope)
        if type(iterable) is Stream:
            return self._stream(iterable, scope, live), None
        prev: _CompState | None = state
        if prev is not None and self.row_deps.dirty(changed):
            prev = None  # rows read something that changed besides their item: redo them all
        if prev is None:
            rows = self._rows(iterable, [], scope, live)
        else:
            if not self.filters and type(iterable) is not list:
                iterable = list(iterable)
            if type(iterable) is list and len(iterable) == len(prev.rows) and not self.filters:
                rows = self._rows_in_place(iterable, prev.rows, scope, live)
            else:
                rows = self._rows(iterable, prev.rows, scope, live)
            if rows is prev.rows or (
                len(rows) == len(prev.rows) and all(map(is_, rows, prev.rows))
            ):
                return prev.node, prev
        if not rows:  # nothing to keep: the next render starts afresh, as cheaply
            return _NO_ROWS, None
        node = self._node(rows)
        return node, _CompState(rows, node)

    def _rows(self, iterable: Any, by_pos: list[_Row], scope: Scope, live: Live) -> list[_Row]:
        """The rows of the items: the last render's row where its item is the same object, or
        an equal one, at the same position or (same object) elsewhere; a new row otherwise."""
        n_old = len(by_pos)
        by_id: dict[int, _Row] | None = None  # built when a row is not where it was
        rows: list[_Row] = []
        i = 0
        for item in iterable:
            row_scope: Scope | None = None
            if self.filters:
                row_scope = dict(scope)
                self.bind(row_scope, item)
                if not all(f(row_scope) for f in self.filters):
                    continue
            old = by_pos[i] if i < n_old else None
            if old is None or (old.item is not item and not _same(old.item, item)):
                if by_id is None:
                    by_id = dict(zip(map(id, map(_item_of, by_pos)), by_pos, strict=True))
                old = by_id.get(id(item))
                if old is not None and old.item is not item:
                    old = None
            if old is None:
                if row_scope is None:
                    row_scope = dict(scope)
                    self.bind(row_scope, item)
                old = self._row(item, row_scope, live)
            rows.append(old)
            i += 1
        return rows

    def _rows_in_place(
        self, items: list[Any], by_pos: list[_Row], scope: Scope, live: Live
    ) -> list[_Row]:
        """``_rows`` for as many items as last time (no filter), the hot path of an event on
        a big list: C-level identity checks find the positions whose item changed, and only
        those run Python code. ``by_pos`` itself when every row is reused."""
        misses = [
            i
            for i in changed_positions(items, map(_item_of, by_pos))
            if not _same(by_pos[i].item, items[i])
        ]
        if not misses:
            return by_pos
        # one item replaced in place (the usual event) needs no lookup; more may have moved
        by_id = (
            dict(zip(map(id, map(_item_of, by_pos)), by_pos, strict=True))
            if len(misses) > 1
            else {}
        )
        rows = list(by_pos)
        for i in misses:
            item = items[i]
            row = by_id.get(id(item))
            if row is None or row.item is not item:
                row_scope = dict(scope)
                self.bind(row_scope, item)
                row = self._row(item, row_scope, live)
            rows[i] = row
        return rows

    def _stream(self, stream: Stream[Any], scope: Scope, live: Live) -> Comprehension:
        """A stream's pending items as rows (nothing kept: the client keeps the rows)."""
        rows: list[list[Dynamic]] = []
        for entry in stream.entries():
            row_scope = dict(scope)
            self.bind(row_scope, entry)
            if self.filters and not all(f(row_scope) for f in self.filters):
                continue
            dynamics = [slot.value(row_scope, live) for slot in self.body.slots]
            root = self._root_id(dynamics)
            if root is not None and root != escape_str(entry[0]):
                raise RenderError(
                    f"stream {stream.name!r}: the row of {entry[0]!r} has id={root!r}; the "
                    "root element of a stream row needs id=dom_id (for dom_id, item in ...)"
                )
            rows.append(dynamics)
        return Comprehension(self.body.template, rows, None, stream.patch())

    def _row(self, item: Any, row_scope: Scope, live: Live) -> _Row:
        # a new row keeps no per-slot state: it is reused whole or rendered whole
        dynamics = [slot.value(row_scope, live) for slot in self.body.slots]
        key = self.key(row_scope) if self.key is not None else self._root_id(dynamics)
        return _Row(item, dynamics, key)

    def _root_id(self, dynamics: list[Dynamic]) -> str | None:
        """The ``id`` of the row's root element, if the row is one element."""
        statics = self.body.template.statics
        if statics == ("", "") and isinstance(dynamics[0], Rendered):
            # the row is one nested template (a component call)
            statics, dynamics = dynamics[0].template.statics, dynamics[0].dynamics
        return _start_tag_id(statics, dynamics)

    def _node(self, rows: list[_Row]) -> Comprehension:
        keys: list[Hashable] | None = list(map(_key_of, rows))
        assert keys is not None
        if self.key is not None:
            if len(set(keys)) != len(keys):
                dup = next(k for k in keys if keys.count(k) > 1)
                raise RenderError(f"keyed(): duplicate row key {dup!r}")
        elif None in keys or len(set(keys)) != len(keys):
            keys = None
        return Comprehension(self.body.template, list(map(_dynamics_of, rows)), keys)


class Content:
    """Slot content compiled by the caller of a component: the content's template, the caller's
    scope and what changed in it (``card(...)[p[assigns.body]]``, ``col(...)[lambda u: ...]``).

    ``bind`` binds the argument of ``render_slot(entry, arg)`` (the lambda's parameter); None
    when the content takes no argument.
    """

    __slots__ = ("bind", "changed", "scope", "tmpl")

    def __init__(
        self,
        tmpl: Tmpl,
        bind: Callable[[Scope, Any], None] | None,
        scope: Scope,
        changed: set[str] | frozenset[str] | None,
    ) -> None:
        self.tmpl = tmpl
        self.bind = bind
        self.scope = scope
        self.changed = changed


class Block:
    """``Content`` given to a component, with the argument it is rendered for.

    In child position of the component's template it renders as the caller's compiled template
    (its statics are the caller's); a slot holding exactly this value keeps its render state, so
    only the parts of the content whose inputs changed in the caller are evaluated again.
    """

    __slots__ = ("arg", "content")

    def __init__(self, content: Content, arg: Any = None) -> None:
        self.content = content
        self.arg = arg

    def render(self, state: Any, live: Live) -> tuple[Rendered, Any]:
        """Render, reusing ``state`` (from a ``render`` of the same content) where possible."""
        c = self.content
        prev: TmplState | None = None
        if (
            state is not None
            and c.changed is not None
            and state[0] is c.tmpl
            and (c.bind is None or _same(state[1], self.arg))
        ):
            prev = state[2]
        scope = c.scope
        if c.bind is not None:
            scope = dict(scope)
            c.bind(scope, self.arg)
        rendered, tstate = render_tmpl(c.tmpl, scope, c.changed if prev else None, prev, live)
        return rendered, (c.tmpl, self.arg, tstate)

    def __html__(self) -> str:
        # inside an htpy tree built at runtime (a helper the compiler cannot see into)
        return to_html(self.render(None, None)[0])

    def __repr__(self) -> str:
        return f"<compiled slot content{'' if self.arg is None else f' for {self.arg!r}'}>"


class Arg:
    """An argument of a component call other than a plain expression: built with ``changed``."""

    __slots__ = ("deps",)

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def build(self, scope: Scope, changed: set[str] | frozenset[str] | None) -> Any:
        raise NotImplementedError


class BlockArg(Arg):
    """The children of a call, ``card(...)[...]``: a ``Block`` of caller-compiled content."""

    __slots__ = ("bind", "tmpl")

    def __init__(self, tmpl: Tmpl, bind: Callable[[Scope, Any], None] | None) -> None:
        super().__init__(tmpl.deps)
        self.tmpl = tmpl
        self.bind = bind

    def build(self, scope: Scope, changed: set[str] | frozenset[str] | None) -> Block:
        return Block(Content(self.tmpl, self.bind, scope, changed))


class EntryArg(Arg):
    """A slot entry, ``col(label=...)[content]``: the entry built at runtime by the user's
    ``col(label=...)`` call, its content compiled here."""

    __slots__ = ("content", "head")

    def __init__(self, head: Thunk, content: BlockArg) -> None:
        super().__init__(head.deps | content.deps)
        self.head = head
        self.content = content

    def build(self, scope: Scope, changed: set[str] | frozenset[str] | None) -> Any:
        c = self.content
        return self.head(scope)[Content(c.tmpl, c.bind, scope, changed)]


class ListArg(Arg):
    """A list (or tuple) literal of slot entries and other expressions."""

    __slots__ = ("items", "kind")

    def __init__(self, items: list[Thunk | Arg], kind: type[list[Any]] | type[tuple[Any, ...]]):
        deps = NO_DEPS
        for item in items:
            deps = deps | item.deps
        super().__init__(deps)
        self.items = items
        self.kind = kind

    def build(self, scope: Scope, changed: set[str] | frozenset[str] | None) -> Any:
        return self.kind(_arg(item, scope, changed) for item in self.items)


def _arg(a: Thunk | Arg, scope: Scope, changed: set[str] | frozenset[str] | None) -> Any:
    return a(scope) if isinstance(a, Thunk) else a.build(scope, changed)


def _start_tag_id(statics: tuple[str, ...], dynamics: list[Dynamic]) -> str | None:
    """The ``id`` attribute of the first start tag of a template's output, when the output
    starts with one and its attributes are text (escaped values never hold a raw ``>``)."""
    if not statics[0].startswith("<"):
        return None
    tag: list[str] = []
    for i, static in enumerate(statics):
        end = static.find(">")
        if end >= 0:
            tag.append(static[:end])
            return adapter.id_in_attrs("".join(tag))
        tag.append(static)
        value = dynamics[i] if i < len(dynamics) else None
        if not isinstance(value, str):
            return None
        tag.append(value)
    return None


class Component:
    """What ``CallSlot`` needs from a compiled function component (see template.py)."""

    def params_for(
        self, positional: int, keywords: list[str]
    ) -> dict[int | str, tuple[str, ...]] | None:
        """Which parameter(s) each positional index / keyword of a call feeds; None if invalid."""
        raise NotImplementedError

    def render_call(
        self,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        changed: set[str] | None,
        state: Any,
        live: Live,
    ) -> tuple[Rendered, Any]:
        """Render the component for these arguments; ``changed`` names changed parameters."""
        raise NotImplementedError


class CallSlot(Slot):
    """A call to a compiled function component: a nested template memoized on its arguments.

    A parameter counts as changed when the deps of the argument expression passed to it
    changed; the component then re-evaluates only its slots that read that parameter.
    Children and slot entries are compiled here, in the caller (``Arg``s).
    """

    __slots__ = ("args", "component", "kwargs", "params")

    def __init__(
        self,
        component: Component,
        args: list[Thunk | Arg],
        kwargs: dict[str, Thunk | Arg],
        params: dict[int | str, tuple[str, ...]],
    ) -> None:
        deps = NO_DEPS
        for thunk in [*args, *kwargs.values()]:
            deps = deps | thunk.deps
        super().__init__(deps)
        self.component = component
        self.args = args
        self.kwargs = kwargs
        self.params = params
        """For each positional index / keyword: the parameter(s) it feeds."""

    def evaluate(
        self, scope: Scope, changed: set[str] | frozenset[str] | None, state: Any, live: Live
    ) -> tuple[Dynamic, Any]:
        outer = changed if state is not None else None
        args = tuple(_arg(a, scope, outer) for a in self.args)
        kwargs = {k: _arg(t, scope, outer) for k, t in self.kwargs.items()}
        inner_changed: set[str] | None = None
        if state is not None and changed is not None:
            inner_changed = set()
            for i, a in enumerate(self.args):
                if a.deps.dirty(changed):
                    inner_changed.update(self.params[i])
            for k, t in self.kwargs.items():
                if t.deps.dirty(changed):
                    inner_changed.update(self.params[k])
        return self.component.render_call(args, kwargs, inner_changed, state, live)
