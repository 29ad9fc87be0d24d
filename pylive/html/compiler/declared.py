"""Declared attributes and slots of function components (Phoenix's ``attr`` and ``slot``).

A component's attributes are its parameters: without a default an attribute is required, with
one it is optional; a ``Literal[...]`` annotation limits its values; ``**attrs`` collects the
rest (Phoenix's ``:global``), which the component spreads on its root element. The parameter
named ``children`` is the default slot, filled with htpy's bracket syntax
(``card(title="x")[p["body"]]``). A parameter annotated ``list[Col]``, ``Col`` a ``Slot``
subclass, is a named slot: a list of entries, each with its own attributes and content
(``Col(label="Name")[lambda user: user.name]``), rendered by ``render_slot(entry, arg)``.

``Declared`` checks a call against the declaration and names the component and the attribute
when it does not fit; ``ComponentCall`` is a call of a component with children still to come.
"""

from __future__ import annotations

import collections.abc
import copy
import dataclasses
import functools
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Self, dataclass_transform, get_args, get_origin

import htpy
from markupsafe import Markup

from pylive.html.compiler.slots import Block, Content

__all__ = ["CHILDREN", "ComponentCall", "Declared", "Slot", "render_slot"]

CHILDREN = "children"
"""The parameter that receives a component's children (htpy's ``@with_children`` name)."""

_EMPTY = inspect.Parameter.empty
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_NO_CHILDREN: Any = object()


def _hints(owner: Any) -> dict[str, Any]:
    """Resolved annotations; empty when they cannot be resolved (no checks then)."""
    try:
        return typing.get_type_hints(owner)
    except Exception:
        return {}


def _strip_optional(ann: Any) -> tuple[Any, bool]:
    if get_origin(ann) in (typing.Union, types.UnionType):
        rest = [a for a in get_args(ann) if a is not type(None)]
        if len(rest) == 1:
            return rest[0], True
    return ann, False


def _choices(ann: Any) -> tuple[Any, ...] | None:
    """The allowed values of a ``Literal[...]`` annotation (optionally ``| None``)."""
    if get_origin(ann) is Literal:
        return get_args(ann)
    if get_origin(ann) in (typing.Union, types.UnionType):
        values: list[Any] = []
        for part in get_args(ann):
            if part is type(None):
                values.append(None)
            elif get_origin(part) is Literal:
                values.extend(get_args(part))
            else:
                return None
        return tuple(values)
    return None


_SEQUENCES = (list, tuple, collections.abc.Sequence, collections.abc.Iterable)


def _entry_type(ann: Any) -> type[Slot] | None:
    """``Col`` for a parameter annotated ``list[Col]`` / ``Sequence[Col]`` (``| None``)."""
    ann, _ = _strip_optional(ann)
    args = get_args(ann)
    if get_origin(ann) in _SEQUENCES and args:
        entry = args[0]
        if isinstance(entry, type) and issubclass(entry, Slot):
            return entry
    return None


def _check_choice(where: str, kind: str, name: str, value: Any, choices: tuple[Any, ...]) -> None:
    if value not in choices:
        allowed = ", ".join(map(repr, choices))
        raise TypeError(f"{where}: {kind} {name!r} must be one of {allowed}; got {value!r}")


_ENTRY_CHOICES: dict[type, dict[str, tuple[Any, ...]]] = {}


@dataclass_transform(kw_only_default=True, eq_default=False)
class Slot:
    """Base class of a named slot's entries (Phoenix's ``slot :col do attr :label ... end``).

    Subclasses declare the entry's attributes as annotated fields and become keyword-only
    dataclasses; brackets give an entry its content, either nodes or a function of the
    ``render_slot`` argument::

        class Col(Slot):
            label: str
            align: Literal["left", "right"] = "left"

        Col(label="Name")[lambda user: user.name]

    ``Slot()[...]`` is an entry without attributes.
    """

    _content: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(kw_only=True, eq=False)(cls)
        init = cls.__init__

        @functools.wraps(init)
        def __init__(self: Slot, *args: Any, **kwargs: Any) -> None:
            fields = self.__dataclass_fields__  # type: ignore[attr-defined]
            if args or any(k not in fields for k in kwargs):
                raise _entry_error(type(self), args, kwargs)
            try:
                init(self, **kwargs)
            except TypeError as e:
                missing = [
                    f.name
                    for f in dataclasses.fields(self)  # type: ignore[arg-type]
                    if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING
                    and f.name not in kwargs
                ]
                if not missing:
                    raise
                message = f"{type(self).__name__}: missing required attribute {missing[0]!r}"
                raise TypeError(message) from e

        cls.__init__ = __init__  # type: ignore[method-assign,assignment]

    def __post_init__(self) -> None:
        kind = type(self)
        choices = _ENTRY_CHOICES.get(kind)
        if choices is None:
            choices = {}
            for name, ann in _hints(kind).items():
                allowed = _choices(ann)
                if allowed is not None and not name.startswith("_"):
                    choices[name] = allowed
            _ENTRY_CHOICES[kind] = choices
        for name, allowed in choices.items():
            _check_choice(kind.__name__, "attribute", name, getattr(self, name), allowed)

    def __getitem__(self, content: Any) -> Self:
        """A copy of this entry with ``content`` (the entry itself is left as it is)."""
        entry = copy.copy(self)
        entry._content = content
        return entry


def _entry_error(kind: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> TypeError:
    names = [f.name for f in dataclasses.fields(kind)]
    if args:
        return TypeError(f"{kind.__name__}: attributes are given by keyword ({', '.join(names)})")
    unknown = next(k for k in kwargs if k not in names)
    known = ", ".join(names) or "none"
    return TypeError(f"{kind.__name__}: unknown attribute {unknown!r} (its attributes: {known})")


def _takes_argument(content: Any) -> bool:
    """Whether slot content is a function of the ``render_slot`` argument (``lambda u: ...``)."""
    if isinstance(content, types.FunctionType | types.MethodType):
        code = content.__code__
        bound = 1 if isinstance(content, types.MethodType) else 0
        return code.co_argcount - bound >= 1 or bool(code.co_flags & inspect.CO_VARARGS)
    return False


def render_slot(slot: Any, arg: Any = None) -> Any:
    """The content of a slot, for ``arg`` (Phoenix's ``render_slot(@col, user)``).

    ``slot`` is a ``Slot`` entry, a list of entries (all rendered, in order), or the
    ``children`` of a component. Content that is a function of one argument is called with
    ``arg``; other content is returned as is (``arg`` is then ignored).
    """
    if isinstance(slot, list | tuple):
        return [render_slot(s, arg) for s in slot]
    content = slot._content if isinstance(slot, Slot) else slot
    if isinstance(content, Content):
        return Block(content, arg)
    if isinstance(content, Block):
        return Block(content.content, arg)
    if _takes_argument(content):
        return content(arg)
    return content


class Declared:
    """A component's declaration, read from its signature and annotations."""

    __slots__ = ("attributes", "children", "choices", "entries", "full", "name", "signature")

    def __init__(self, func: Callable[..., Any]) -> None:
        self.name: str = getattr(func, "__name__", "component")
        self.full = inspect.signature(func)
        params = self.full.parameters
        child = params.get(CHILDREN)
        self.children = child is not None and child.kind not in (
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.VAR_KEYWORD,
            inspect.Parameter.POSITIONAL_ONLY,
        )
        rest = [p for n, p in params.items() if not (self.children and n == CHILDREN)]
        self.signature = self.full.replace(parameters=rest)
        """The signature without ``children`` (given in brackets, never by position)."""
        self.attributes = [
            p.name
            for p in rest
            if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        ]
        hints = _hints(func)
        self.choices: dict[str, tuple[Any, ...]] = {}
        self.entries: dict[str, type[Slot]] = {}
        for name in self.attributes:
            ann = hints.get(name)
            if (allowed := _choices(ann)) is not None:
                self.choices[name] = allowed
            if (entry := _entry_type(ann)) is not None:
                self.entries[name] = entry

    def arguments(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """Every parameter's value for a call (defaults applied, ``children`` None when not
        given), in parameter order; a ``TypeError`` naming the component and the attribute when
        the call does not fit the declaration."""
        children = _NO_CHILDREN
        if self.children and CHILDREN in kwargs:
            kwargs = dict(kwargs)
            children = kwargs.pop(CHILDREN)
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as e:
            raise self._explain(args, kwargs, e) from None
        given = bound.arguments
        for name, allowed in self.choices.items():
            if name in given:
                _check_choice(f"{self.name}()", "attribute", name, given[name], allowed)
        for name, entry in self.entries.items():
            if name in given:
                self._check_entries(name, given[name], entry)
        bound.apply_defaults()
        if not self.children:
            return dict(bound.arguments)
        values = bound.arguments
        result: dict[str, Any] = {}
        for name, param in self.full.parameters.items():
            if name == CHILDREN:
                if children is _NO_CHILDREN:
                    children = None if param.default is _EMPTY else param.default
                result[name] = children
            else:
                result[name] = values[name]
        return result

    def call(self, func: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        """Call ``func`` with ``arguments`` (from ``self.arguments``)."""
        bound = inspect.BoundArguments(self.full, arguments)
        return func(*bound.args, **bound.kwargs)

    def _check_entries(self, name: str, value: Any, entry: type[Slot]) -> None:
        if value is None:
            return
        if not isinstance(value, list | tuple) or not all(isinstance(e, entry) for e in value):
            raise TypeError(
                f"{self.name}(): slot {name!r} takes a list of {entry.__name__} entries; "
                f"got {value!r}"
            )

    def _explain(self, args: tuple[Any, ...], kwargs: dict[str, Any], e: TypeError) -> TypeError:
        params = self.signature.parameters
        takes_rest = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        unknown = [k for k in kwargs if k not in self.attributes or _positional_only(params, k)]
        if unknown and not takes_rest:
            known = ", ".join(self.attributes) or "none"
            if unknown[0] == CHILDREN:
                return TypeError(
                    f"{self.name}() takes no children (it has no {CHILDREN!r} parameter)"
                )
            return TypeError(
                f"{self.name}(): unknown attribute {unknown[0]!r} (its attributes: {known})"
            )
        positional = [p.name for p in params.values() if p.kind in _POSITIONAL]
        supplied = {*positional[: len(args)], *kwargs}
        for p in params.values():
            if (
                p.default is _EMPTY
                and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
                and p.name not in supplied
            ):
                kind = "slot" if p.name in self.entries else "attribute"
                return TypeError(f"{self.name}(): missing required {kind} {p.name!r}")
        return TypeError(f"{self.name}(): {e}")


def _positional_only(params: collections.abc.Mapping[str, inspect.Parameter], name: str) -> bool:
    p = params.get(name)
    return p is not None and p.kind is inspect.Parameter.POSITIONAL_ONLY


class ComponentCall:
    """A call of a component that takes children, before or after its brackets.

    ``card(title="x")`` is this; ``card(title="x")[p["body"]]`` too, with children. Either
    renders like the component's tree (htpy and the walker call it with no arguments).
    """

    __slots__ = ("arguments", "declared", "func")

    def __init__(
        self, func: Callable[..., Any], declared: Declared, arguments: dict[str, Any]
    ) -> None:
        self.func = func
        self.declared = declared
        self.arguments = arguments

    def __getitem__(self, children: Any) -> ComponentCall:
        return ComponentCall(self.func, self.declared, {**self.arguments, CHILDREN: children})

    def __call__(self) -> Any:
        """The component's htpy tree."""
        return self.declared.call(self.func, self.arguments)

    def __str__(self) -> Markup:
        return Markup(str(htpy.fragment[self()]))

    __html__ = __str__

    def __repr__(self) -> str:
        return f"<{self.declared.name}() call>"
