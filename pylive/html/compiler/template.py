"""Compiled templates: render functions turned into statics + change-tracked slots.

    @compiled
    def render(self, assigns):
        return div(class_="app")[h1["Users: ", assigns.count], ul[[li[u] for u in assigns.users]]]

    root = view.render.render(assigns, changed={"count"}, live=context)

The function body is compiled once (on first use) from its source: constant markup becomes
statics rendered by htpy itself, every dynamic part a slot tagged with the assigns it reads. With
``changed`` given, only slots reading a changed assign are evaluated; the others keep the
previous value *object*, which ``ClientTree.diff`` skips by identity. The HTML always equals
``str(render(assigns))``. Functions the compiler cannot read fall back to the runtime walker.
See docs/change-tracking.md for the purity contract and the ``track_changes`` escape hatch.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

from pylive.html.compiler.codegen import Program, Unsupported, compile_function
from pylive.html.compiler.declared import CHILDREN, ComponentCall, Declared
from pylive.html.compiler.slots import Component, Live, Scope, TmplState, render_tmpl
from pylive.html.walker import walk
from pylive.rendered import Rendered
from pylive.streams import iterated_streams

__all__ = ["BoundTemplate", "CompiledTemplate", "Memo", "compile_template", "compiled", "component"]

F = TypeVar("F", bound=Callable[..., Any])
Changed = set[str] | frozenset[str] | None


_NO_CELLS: Mapping[str, Any] = MappingProxyType({})
"""``Memo.cells`` of a program without cells (shared: most have none)."""


class Memo:
    """Per-view render state: what each slot produced last time (opaque to callers).

    Keep one per LiveView instance and pass it to every render; a fresh Memo means a full render.
    """

    __slots__ = ("cells", "program", "state")

    def __init__(self) -> None:
        self.program: Program | None = None
        self.state: TmplState | None = None
        self.cells: Mapping[str, Any] = _NO_CELLS

    def clear(self) -> None:
        """Forget everything: the next render evaluates every slot."""
        self.program = None
        self.state = None
        self.cells = _NO_CELLS


def _run(program: Program, scope: Scope, changed: Changed, memo: Memo, live: Live) -> Rendered:
    if memo.program is not program or memo.state is None:
        changed = None
    try:
        for name, thunk in program.cells:
            if changed is not None and not thunk.deps.dirty(changed):
                scope[name] = memo.cells[name]
            else:
                scope[name] = thunk(scope)
        rendered, state = render_tmpl(program.root, scope, changed, memo.state, live)
    except BaseException:
        memo.clear()  # a half-done render must not leave stale values behind
        raise
    memo.program, memo.state = program, state
    if program.cells:
        memo.cells = {name: scope[name] for name, _ in program.cells}
    return rendered


def _render_program(
    program: Program, assigns: Any, changed: Changed, live: Live, owner: object, memo: Memo
) -> Rendered:
    with iterated_streams():  # a stream walked as a plain list is matched back
        scope: Scope = {}
        if program.owner is not None:
            scope[program.owner] = owner
        assert program.assigns is not None
        scope[program.assigns] = assigns
        return _run(program, scope, changed, memo, live)


class CompiledTemplate(Component, Generic[F]):
    """A render function (or function component) with its compiled, change-tracked form.

    Calling it calls the original function (an htpy tree, e.g. for ``str()``). ``render``
    produces a Rendered tree; as a method decorator, ``view.render`` is a ``BoundTemplate``
    that keeps a Memo per view instance.
    """

    def __init__(self, func: F, *, is_component: bool = False) -> None:
        self.func = func
        self.is_component = is_component
        self.attr_name = getattr(func, "__name__", "render")
        self._program: Program | None = None
        self._reason: str | None = None
        self._compiling = False
        self._declared: Declared | None = None
        self.__doc__ = getattr(func, "__doc__", None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The original function's htpy tree; for a component, checked against its declared
        attributes first, and a ``ComponentCall`` (a node that takes ``[children]``) when it has
        a ``children`` parameter that this call does not fill."""
        if not self.is_component:
            return self.func(*args, **kwargs)
        declared = self.declared
        arguments = declared.arguments(args, kwargs)
        if declared.children and CHILDREN not in kwargs:
            return ComponentCall(self.func, declared, arguments)
        return declared.call(self.func, arguments)

    def __getitem__(self, children: Any) -> Any:
        """``card[p["body"]]``: a component called with children only."""
        if not self.is_component:
            raise TypeError(f"{self.attr_name} is not a function component")
        if not self.declared.children:
            name = self.attr_name
            raise TypeError(f"{name}() takes no children (it has no 'children' parameter)")
        return self()[children]

    @property
    def declared(self) -> Declared:
        """The component's declared attributes and slots (read on first use)."""
        if self._declared is None:
            self._declared = Declared(self.func)
        return self._declared

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr_name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> CompiledTemplate[F]: ...
    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> BoundTemplate: ...
    def __get__(
        self, obj: object | None, objtype: type | None = None
    ) -> CompiledTemplate[F] | BoundTemplate:
        if obj is None:
            return self
        bound = BoundTemplate(self, obj)
        # cached on the instance (like functools.cached_property): one Memo per view; without
        # a __dict__ every access is a fresh BoundTemplate, i.e. full renders
        with contextlib.suppress(TypeError):
            vars(obj)[self.attr_name] = bound
        return bound

    @property
    def program(self) -> Program | None:
        """The compiled program, or None when the function is rendered by the walker."""
        if self._program is None and self._reason is None:
            self._compiling = True
            try:
                self._program = compile_function(
                    self.func, as_component=self.is_component, component_of=_component_of
                )
            except Unsupported as e:
                self._reason = str(e)
            finally:
                self._compiling = False
        return self._program

    @property
    def fallback_reason(self) -> str | None:
        """Why the function is walked at runtime instead of compiled (None when compiled)."""
        return None if self.program is not None else self._reason

    def render(
        self,
        assigns: Any,
        changed: Changed = None,
        live: Live = None,
        *,
        owner: object = None,
        memo: Memo | None = None,
    ) -> Rendered:
        """Render for ``assigns``: ``changed`` names the assigns changed since the render that
        filled ``memo`` (None = all; without a memo every slot is evaluated). ``live`` is the
        view's render context, which live nodes (LiveComponent references...) need.
        """
        if self.is_component:
            raise TypeError(f"{self.attr_name} is a function component: call it in a template")
        program = self.program
        if program is None:
            with iterated_streams():  # a stream walked as a plain list is matched back
                tree = self.func(assigns) if owner is None else self.func(owner, assigns)
                return walk(tree, live)
        return _render_program(program, assigns, changed, live, owner, memo or Memo())

    # -- Component (calls from other compiled templates) --------------------------------------

    def params_for(
        self, positional: int, keywords: list[str]
    ) -> dict[int | str, tuple[str, ...]] | None:
        declared = self.declared
        signature = declared.signature
        children = CHILDREN in keywords and declared.children
        if children:
            keywords = [k for k in keywords if k != CHILDREN]
        markers: list[int | str] = [*range(positional), *keywords]
        try:
            bound = signature.bind(*range(positional), **{k: k for k in keywords})
        except TypeError:
            return None
        feeds: dict[int | str, list[str]] = {m: [] for m in markers}
        for param, value in bound.arguments.items():
            kind = signature.parameters[param].kind
            if kind is inspect.Parameter.VAR_POSITIONAL:
                values: Iterable[Any] = value
            elif kind is inspect.Parameter.VAR_KEYWORD:
                values = value.values()
            else:
                values = [value]
            for v in values:
                feeds[v].append(param)
        if children:
            feeds[CHILDREN] = [CHILDREN]
        return {m: tuple(p) for m, p in feeds.items()}

    def render_call(
        self,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        changed: set[str] | None,
        state: Any,
        live: Live,
    ) -> tuple[Rendered, Any]:
        program = self.program
        assert program is not None
        arguments = self.declared.arguments(args, kwargs)
        memo: Memo = state if state is not None else Memo()
        return _run(program, arguments, changed, memo, live), memo


def _component_of(value: object) -> Component | None:
    if isinstance(value, CompiledTemplate) and value.is_component and not value._compiling:
        return value if value.program is not None else None
    return None


class BoundTemplate:
    """A compiled render method bound to one view instance, with that instance's Memo.

    Honors ``track_changes = False`` on the view (class or instance): every render is full.
    """

    __slots__ = ("compiled", "memo", "owner")

    def __init__(self, compiled: CompiledTemplate[Any], owner: object) -> None:
        self.compiled = compiled
        self.owner = owner
        self.memo = Memo()

    def __call__(self, assigns: Any) -> Any:
        """The original function's htpy tree."""
        if self.owner is None:
            return self.compiled.func(assigns)
        return self.compiled.func(self.owner, assigns)

    def render(self, assigns: Any, changed: Changed = None, live: Live = None) -> Rendered:
        """Render, evaluating only what reads ``changed`` assigns (None = everything)."""
        owner = self.owner
        if not getattr(owner, "track_changes", True):
            changed = None
        compiled = self.compiled
        program = compiled._program
        if program is None or compiled.is_component:  # not compiled yet, walked, or an error
            return compiled.render(assigns, changed, live, owner=owner, memo=self.memo)
        return _render_program(program, assigns, changed, live, owner, self.memo)


def compile_template(func: F) -> CompiledTemplate[F]:
    """Compile a render function ``(assigns)`` or method ``(self, assigns)`` (on first use)."""
    return CompiledTemplate(func)


compiled = compile_template
"""Decorator form of ``compile_template``."""


def component(func: F) -> CompiledTemplate[F]:
    """Decorator for function components: called from a compiled template, the call becomes a
    nested template re-rendered only when the deps of its arguments change.

    The parameters are the component's declared attributes (see declared.py): checked at every
    call, ``children`` filled by brackets, ``list[SomeSlot]`` parameters as named slots.
    """
    return CompiledTemplate(func, is_component=True)


def render_tree(
    render: Callable[[Any], Any], assigns: Any, changed: Changed, live: Live
) -> Rendered:
    """A view's or component's ``render`` as a Rendered tree: compiled and change-tracked when
    it is a ``BoundTemplate``, else walked (a render replaced on the instance, say)."""
    if isinstance(render, BoundTemplate):
        return render.render(assigns, changed, live)
    with iterated_streams():
        return walk(render(assigns), live)
