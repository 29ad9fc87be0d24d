"""The only module that reads htpy internals.

htpy has no public API for walking a tree: elements keep their tag in ``_name``, a pre-escaped
attribute string in ``_attrs`` and their children in ``_children``. Every private name used here is
checked at import, so an htpy release that moves them fails loudly at startup, never with a
wrong page.
"""

from __future__ import annotations

import inspect
import re
import weakref
from collections.abc import Callable, Generator, Mapping
from typing import Any, cast

import htpy
from htpy import _contexts, _render_sync, _with_children

from pylive.errors import RenderError

__all__ = [
    "BaseElement",
    "ContextConsumer",
    "ContextProvider",
    "Fragment",
    "HTMLElement",
    "VoidElement",
    "attrs_of",
    "children_of",
    "consume_generator",
    "consumer_node",
    "element_id",
    "fragment_node",
    "id_in_attrs",
    "name_of",
    "parts",
    "with_children_node",
]

BaseElement = htpy.BaseElement
HTMLElement = htpy.HTMLElement
VoidElement = htpy.VoidElement
Fragment = htpy.Fragment
ContextProvider = htpy.ContextProvider
ContextConsumer = htpy.ContextConsumer

_Bound = _with_children._WithChildrenBound
_Unbound = _with_children._WithChildrenUnbound


def _check_layout() -> None:
    """Fail at import if htpy no longer has the private slots this module reads."""
    probe = htpy.div("#x")["y"]
    frag = htpy.fragment["z"]
    component = htpy.with_children(lambda children: htpy.p[children])
    ok = (
        {"_name", "_attrs", "_children"} <= set(BaseElement.__slots__)
        and probe._name == "div"
        and probe._attrs == ' id="x"'
        and probe._children == "y"
        and Fragment.__slots__ == ("_node",)
        and frag._node == "z"
        and isinstance(getattr(_render_sync, "_consumed_generators", None), weakref.WeakSet)
        and isinstance(component, _Unbound)
        and callable(getattr(component, "wrapped", None))
        and isinstance(component(), _Bound)
        and isinstance(_contexts._NO_DEFAULT, type)
    )
    if not ok:  # pragma: no cover - only on an incompatible htpy release
        raise ImportError("pylive does not support this htpy release: its private layout changed")


_check_layout()

_consumed: weakref.WeakSet[Generator[Any, Any, Any]] = _render_sync._consumed_generators
_ID_RE = re.compile(r'(?:^| )id="([^"]*)"')


def name_of(el: htpy.BaseElement) -> str:
    """Tag name of an element."""
    return el._name


def attrs_of(el: htpy.BaseElement) -> str:
    """The element's attribute string exactly as htpy renders it (escaped, leading space)."""
    return el._attrs


def children_of(el: htpy.BaseElement) -> Any:
    """The raw children node passed to ``el[...]`` (None when there are none)."""
    return el._children


def parts(el: htpy.BaseElement) -> tuple[str, str, Any]:
    """``(name, attrs, children)`` of an element in one call (the walker's hot path)."""
    return el._name, el._attrs, el._children


def element_id(el: htpy.BaseElement) -> str | None:
    """The value of the element's ``id`` attribute, if any (as escaped by htpy)."""
    return id_in_attrs(el._attrs)


def id_in_attrs(attrs: str) -> str | None:
    """The ``id`` value in an attribute string as htpy renders it, if any."""
    m = _ID_RE.search(attrs)
    return m.group(1) if m else None


def fragment_node(frag: htpy.Fragment) -> Any:
    """The node wrapped by a fragment (or a comment)."""
    return frag._node


def consumer_node(consumer: htpy.ContextConsumer[Any], context: Mapping[Any, Any]) -> Any:
    """Call a context consumer with the value in scope, as htpy would when rendering."""
    value = context.get(consumer.context, consumer.context.default)
    if value is _contexts._NO_DEFAULT:
        raise LookupError(
            f'Context value for "{consumer.context.name}" does not exist, '
            f"requested by {consumer.debug_name}()."
        )
    return consumer.func(value)


def with_children_node(x: object) -> tuple[bool, Any]:
    """Expand a ``@with_children`` component used without children; ``(False, None)`` otherwise."""
    if isinstance(x, _Bound):
        return True, x[None]
    if isinstance(x, _Unbound):
        return True, cast(Callable[[Any], Any], x.wrapped)(None)
    return False, None


def consume_generator(gen: Generator[Any, Any, Any]) -> list[Any]:
    """Materialize a generator once, marking it consumed for htpy too (never half-rendered)."""
    if gen in _consumed or inspect.getgeneratorstate(gen) == inspect.GEN_CLOSED:
        raise RenderError(f"generator {gen!r} has already been consumed elsewhere")
    _consumed.add(gen)
    return list(gen)
