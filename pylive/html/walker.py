"""Runtime walker: any htpy node → a Rendered tree (the semantic reference for templates).

Tags become statics; every text leaf and every element's attribute string becomes a dynamic slot;
each list, generator or nested tuple child becomes a comprehension whose rows share statics when
they share a shape. The HTML of the result is byte-identical to ``str(node)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Generator, Hashable, Iterable
from typing import Any

from markupsafe import escape

from pylive.errors import RenderError
from pylive.html import adapter
from pylive.html.escaping import escape_str
from pylive.html.keyed import Keyed
from pylive.html.shape import ShapeBuilder
from pylive.render_context import LiveNode, RenderContext, render_live
from pylive.rendered import Comprehension, Dynamic, Rendered, Template, template
from pylive.streams import Stream, iterated_log

__all__ = ["walk"]

_MIXED = template(("", ""))
"""Row template of a comprehension whose rows differ in shape: each row is one nested node."""

_Context = dict[Any, Any]

_STREAM_SLOT = object()
"""Key in the walk's context: true where a list may be a stream's rows without ids (in a
``phx-update="stream"`` container, or the node walked itself)."""


class _Builder(ShapeBuilder[Dynamic]):
    """A template being walked, plus the render context its live nodes need."""

    __slots__ = ("live",)

    def __init__(self, live: RenderContext | None) -> None:
        super().__init__()
        self.live = live

    def finish(self) -> Rendered:
        return Rendered(self.shape(), self.values)


def walk(node: Any, live: RenderContext | None = None) -> Rendered:
    """Turn an htpy node (element, fragment, text, list, component...) into a Rendered tree.

    Live nodes met on the way (a LiveComponent reference...) are rendered with ``live``, the
    view's render context; without one they are an error.
    """
    builder = _Builder(live)
    try:
        _walk(node, builder, {_STREAM_SLOT: True})
    except _BadNode as bad:
        where = " > ".join(reversed(bad.path)) if bad.path else "the template root"
        raise RenderError(bad.args[0].format(where=where)) from bad.__cause__
    return builder.finish()


class _BadNode(Exception):
    """Raised deep in the walk; each enclosing element adds its tag, so the happy path is free."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.path: list[str] = []


def _walk(x: Any, b: _Builder, ctx: _Context) -> None:
    if isinstance(x, adapter.BaseElement):
        _element(x, b, ctx)
        return
    if type(x) is str:
        b.slot(escape_str(x))
        return
    while callable(x) and not isinstance(x, adapter.BaseElement):
        x = x()
    if isinstance(x, adapter.BaseElement):
        _element(x, b, ctx)
    elif isinstance(x, LiveNode):
        try:
            b.slot(render_live(x, b.live))
        except RenderError as e:
            message = str(e).replace("{", "{{").replace("}", "}}")
            raise _BadNode(f"{message} (in {{where}})") from e
    elif x is None or x is True or x is False:
        b.slot("")
    elif isinstance(x, str) or (hasattr(x, "__html__") and not hasattr(x, "iter_chunks")):
        b.slot(str(escape(x)))
    elif isinstance(x, int):
        b.slot(str(x))
    elif isinstance(x, adapter.Fragment):
        _children(adapter.fragment_node(x), b, ctx)
    elif isinstance(x, adapter.ContextProvider):
        _walk(x.node, b, {**ctx, x.context: x.value})
    elif isinstance(x, adapter.ContextConsumer):
        _walk(adapter.consumer_node(x, ctx), b, ctx)
    elif (expanded := adapter.with_children_node(x))[0]:
        _walk(expanded[1], b, ctx)
    elif hasattr(x, "iter_chunks"):
        b.slot("".join(x.iter_chunks(ctx)))
    elif isinstance(x, Generator):
        try:
            rows = adapter.consume_generator(x)
        except RenderError as e:
            raise _BadNode(f"{e} (in {{where}})") from e
        _comprehension(rows, b, ctx)
    elif isinstance(x, Iterable) and not isinstance(x, bytes | bytearray | memoryview):
        _comprehension(x, b, ctx)
    elif isinstance(x, Awaitable):
        raise _BadNode(
            f"{x!r} in {{where}} is awaitable: live templates render synchronously, "
            "so await it in mount/handle_event and assign the result"
        )
    else:
        raise _BadNode(f"{x!r} ({type(x).__name__}) in {{where}} is not a valid child node")


def _children(kids: Any, b: _Builder, ctx: _Context) -> None:
    # el[a, b] stores the tuple (a, b): that is static structure, not a list of rows
    if type(kids) is tuple:
        for kid in kids:
            _walk(kid, b, ctx)
    else:
        _walk(kids, b, ctx)


def _element(el: Any, b: _Builder, ctx: _Context) -> None:
    name, attrs, kids = adapter.parts(el)
    b.open_element(el, name)
    b.slot(attrs)
    b.buf.append(">")
    if isinstance(el, adapter.VoidElement):
        b.close_element(None)
        return
    container = 'phx-update="stream"' in attrs
    if container or ctx.get(_STREAM_SLOT):
        ctx = {**ctx, _STREAM_SLOT: container}
    try:
        _children(kids, b, ctx)
    except _BadNode as bad:
        bad.path.append(name)
        raise
    b.close_element(name)


def _row_key(item: Any) -> Hashable | None:
    return adapter.element_id(item) if isinstance(item, adapter.BaseElement) else None


def _comprehension(items: Iterable[Any], b: _Builder, ctx: _Context) -> None:
    explicit = items.keys if isinstance(items, Keyed) else None
    rows: list[Rendered] = []
    ids: list[Hashable | None] = []
    for item in items:
        while not isinstance(item, adapter.BaseElement) and callable(item):
            item = item()
        ids.append(_row_key(item))
        builder = _Builder(b.live)
        _walk(item, builder, ctx)
        rows.append(builder.finish())
    stream = _claim_stream(ids, bool(ctx.get(_STREAM_SLOT)))
    if stream is not None:
        patch = stream.patch()
        if not rows:
            b.slot(Comprehension(None, [], None, patch))
        elif len({r.template for r in rows}) == 1:
            b.slot(Comprehension(rows[0].template, [r.dynamics for r in rows], None, patch))
        else:
            b.slot(Comprehension(_MIXED, [[r] for r in rows], None, patch))
        return
    if not rows:
        b.slot(Comprehension(None, []))
        return
    keys: list[Hashable] | None = explicit
    if keys is None and None not in ids and len(set(ids)) == len(ids):
        keys = list(ids)
    shapes: set[Template] = {r.template for r in rows}
    if len(shapes) == 1:
        b.slot(Comprehension(rows[0].template, [r.dynamics for r in rows], keys))
    else:
        b.slot(Comprehension(_MIXED, [[r] for r in rows], keys))


def _claim_stream(ids: list[Hashable | None], stream_slot: bool) -> Stream[Any] | None:
    """The stream a walked list was built from, if any: htpy gets a stream's rows as a plain
    list, so ``pylive.streams.iterated_streams`` records the streams iterated during the
    render, in order, and each list takes the first one whose items have its rows' ids (an
    empty list in a stream container: the first one left). Taken off the record."""
    log = iterated_log()
    if not log:
        return None
    for n, stream in enumerate(log):
        if ids:
            known = {escape_str(dom_id) for dom_id, _ in stream.entries()}
            if not all(i in known for i in ids):
                continue
        elif not stream_slot:
            return None
        del log[n]
        return stream
    return None
