"""Compile-time half of the template compiler: a render function's source → ``Tmpl`` + thunks.

The function's ``return`` expression is read as a template: constant sub-trees are rendered by
htpy once into statics; element calls with non-constant attributes, conditionals,
comprehensions, calls to compiled components and any other expression become slots. Every
expression that stays dynamic is compiled into a small function ("thunk") with the original
filename and line numbers, so errors point at the user's source. ``Unsupported`` means "use the
runtime walker for the whole function".
"""

from __future__ import annotations

import ast
import builtins
import copy
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import htpy

from pylive.html import adapter
from pylive.html.compiler.declared import CHILDREN, render_slot
from pylive.html.compiler.declared import Slot as SlotEntry
from pylive.html.compiler.deps import (
    ASSIGNS,
    INPUT,
    MISSING,
    OWNER,
    PURE_BUILTINS,
    ROW,
    Const,
    Kind,
    Reads,
)
from pylive.html.compiler.slots import (
    NO_DEPS,
    Arg,
    AttrSlot,
    AttrTextSlot,
    BlockArg,
    CallSlot,
    Component,
    CompSlot,
    CondSlot,
    Deps,
    EntryArg,
    KeywordAttrSlot,
    ListArg,
    Scope,
    Slot,
    Thunk,
    Tmpl,
    ValueSlot,
)
from pylive.html.compiler.source import Unsupported, inline_single_use, parse_function
from pylive.html.escaping import escape_str
from pylive.html.keyed import keyed
from pylive.html.shape import ShapeBuilder

__all__ = ["Program", "Unsupported", "compile_function"]


@dataclass(slots=True)
class Program:
    """A compiled render function: locals ("cells", in order) and the root template."""

    cells: list[tuple[str, Thunk]]
    root: Tmpl
    owner: str | None
    assigns: str | None
    """Name of the assigns parameter (render functions); None for function components."""


_FORBIDDEN = (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)


def compile_function(
    func: Callable[..., Any],
    *,
    as_component: bool,
    component_of: Callable[[object], Component | None],
) -> Program:
    """Compile a render function (``(assigns)`` / ``(self, assigns)``) or a function component.

    ``component_of`` tells whether a name the template calls is a compiled function component.
    Raises ``Unsupported`` for anything the compiler does not handle.
    """
    if not isinstance(func, types.FunctionType):
        raise Unsupported(f"{func!r} is not a plain function")
    fn_node, filename = parse_function(func)
    return _Compiler(func, fn_node, filename, as_component, component_of).program()


def _target_spec(target: ast.expr) -> str | list[Any] | None:
    """A loop target as a name or nested list of names; None if it is anything else."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Tuple | ast.List):
        specs = [_target_spec(t) for t in target.elts]
        return None if any(s is None for s in specs) else specs
    return None


def _spec_names(spec: str | list[Any]) -> Iterator[str]:
    if isinstance(spec, str):
        yield spec
    else:
        for s in spec:
            yield from _spec_names(s)


def _unpack(spec: str | list[Any], value: Any, scope: Scope) -> None:
    if isinstance(spec, str):
        scope[spec] = value
        return
    values = list(value)
    if len(values) != len(spec):
        raise ValueError(f"cannot unpack {len(values)} values into {len(spec)} loop variables")
    for s, v in zip(spec, values, strict=True):
        _unpack(s, v, scope)


def _binder(specs: list[str | list[Any]]) -> Callable[[Scope, Any], None]:
    if len(specs) == 1 and isinstance(specs[0], str):
        name = specs[0]

        def bind_name(scope: Scope, item: Any) -> None:
            scope[name] = item

        return bind_name

    def bind(scope: Scope, item: Any) -> None:
        for spec in specs:
            _unpack(spec, item, scope)

    return bind


class _Builder(ShapeBuilder[Slot]):
    """A template being compiled."""

    __slots__ = ()

    def finish(self) -> Tmpl:
        deps = NO_DEPS
        for s in self.values:
            deps = deps | s.deps
        return Tmpl(self.shape(), self.values, deps)


class _Compiler:
    def __init__(
        self,
        func: types.FunctionType,
        node: ast.FunctionDef,
        filename: str,
        as_component: bool,
        component_of: Callable[[object], Component | None],
    ) -> None:
        self.func = func
        self.node = node
        self.filename = filename
        self.as_component = as_component
        self.component_of = component_of
        self.globals = func.__globals__
        self.closure: dict[str, Any] = {}
        for name, cell in zip(func.__code__.co_freevars, func.__closure__ or (), strict=True):
            try:
                self.closure[name] = cell.cell_contents
            except ValueError:  # an empty cell (defined later): unknown at compile time
                continue
        self.thunks: list[tuple[Thunk, ast.expr]] = []

    # -- the function as a whole -------------------------------------------------------------

    def program(self) -> Program:
        for sub in ast.walk(self.node):
            if isinstance(sub, _FORBIDDEN):
                raise Unsupported(f"{type(sub).__name__} in a template")
            name = (
                sub.id
                if isinstance(sub, ast.Name)
                else sub.attr
                if isinstance(sub, ast.Attribute)
                else ""
            )
            if name == "super" or (name.startswith("__") and not name.endswith("__")):
                raise Unsupported(f"{name!r}: super() and private names need the class body")
        scope, owner, assigns = self._parameters()
        cells, result = self._body(scope)
        compiled_cells: list[tuple[str, Thunk]] = []
        for name, value in cells:
            thunk = self.thunk(value, scope)
            scope[name] = Kind("cell", thunk.deps)
            compiled_cells.append((name, thunk))
        root = self.sub(result, scope)
        self._generate()
        return Program(compiled_cells, root, owner, assigns)

    def _parameters(self) -> tuple[dict[str, Kind], str | None, str | None]:
        a = self.node.args
        positional = [p.arg for p in [*a.posonlyargs, *a.args]]
        if self.as_component:
            names = [*positional, *(p.arg for p in a.kwonlyargs)]
            names += [p.arg for p in (a.vararg, a.kwarg) if p is not None]
            if names[:1] in (["self"], ["cls"]):
                raise Unsupported("function components are plain functions, not methods")
            return dict.fromkeys(names, INPUT), None, None
        owner = positional[0] if positional[:1] in (["self"], ["cls"]) else None
        rest = positional[1:] if owner else positional
        if len(rest) != 1 or a.vararg or a.kwarg or a.kwonlyargs:
            raise Unsupported("a render function takes (assigns) or (self, assigns)")
        scope = {rest[0]: ASSIGNS}
        if owner:
            scope[owner] = OWNER
        return scope, owner, rest[0]

    def _body(self, scope: dict[str, Kind]) -> tuple[list[tuple[str, ast.expr]], ast.expr]:
        body = list(self.node.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # docstring
        if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
            raise Unsupported("the body must end with `return <template>`")
        result = body[-1].value
        cells: list[tuple[str, ast.expr]] = []
        for stmt in body[:-1]:
            if isinstance(stmt, ast.Pass):
                continue
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target, value = stmt.targets[0], stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                target, value = stmt.target, stmt.value
            else:
                raise Unsupported(f"line {stmt.lineno}: only `name = expression` before return")
            if not isinstance(target, ast.Name):
                raise Unsupported(f"line {stmt.lineno}: only simple names can be assigned")
            if target.id in scope or any(target.id == n for n, _ in cells):
                raise Unsupported(f"line {stmt.lineno}: {target.id!r} is assigned twice")
            cells.append((target.id, value))
        return inline_single_use(cells, result)

    # -- dependency analysis -------------------------------------------------------------------

    def analyze(self, node: ast.AST, scope: dict[str, Kind]) -> tuple[Deps, tuple[str, ...]]:
        """What ``node`` reads (as Deps) and which scope names its thunk needs."""
        reads = Reads(self, scope)
        reads.visit(node, frozenset())
        return reads.deps(), tuple(sorted(reads.params))

    def resolve(self, node: ast.AST, scope: dict[str, Kind]) -> Any:
        """The compile-time value of a global name / module attribute chain, else MISSING."""
        if isinstance(node, ast.Name):
            if node.id in scope:
                return MISSING
            for ns in (self.closure, self.globals):
                if node.id in ns:
                    return ns[node.id]
            return getattr(builtins, node.id, MISSING)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value, scope)
            if isinstance(base, types.ModuleType):
                return getattr(base, node.attr, MISSING)
        return MISSING

    def is_code(self, value: Any, name: str | None = None) -> bool:
        """Whether a global is template code (never treated as mutable state)."""
        if isinstance(value, adapter.BaseElement) or value is htpy.fragment or value is htpy:
            return True
        if value is keyed or value is render_slot or self.component_of(value) is not None:
            return True
        if isinstance(value, type) and issubclass(value, SlotEntry):
            return True
        return name in PURE_BUILTINS and getattr(builtins, name) is value

    # -- templates -------------------------------------------------------------------------

    def thunk(self, node: ast.expr, scope: dict[str, Kind]) -> Thunk:
        deps, params = self.analyze(node, scope)
        t = Thunk(params, deps)
        self.thunks.append((t, node))
        return t

    def sub(self, node: ast.expr, scope: dict[str, Kind]) -> Tmpl:
        b = _Builder()
        self.child(node, b, scope)
        return b.finish()

    def child(self, node: ast.expr, b: _Builder, scope: dict[str, Kind]) -> None:
        """Compile ``node`` in child position (something htpy renders as a node) into ``b``."""
        if self._constant(node, b, scope):
            return
        if isinstance(node, ast.List | ast.Tuple):
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    b.slot(ValueSlot(self.thunk(node, scope)))
                    return
            for elt in node.elts:
                self.child(elt, b, scope)
        elif isinstance(node, ast.IfExp):
            test = self.thunk(node.test, scope)
            b.slot(CondSlot(test, self.sub(node.body, scope), self.sub(node.orelse, scope)))
        elif isinstance(node, ast.BoolOp):
            test = self.thunk(node.values[0], scope)
            rest = node.values[1:]
            other = (
                rest[0] if len(rest) == 1 else ast.copy_location(ast.BoolOp(node.op, rest), rest[0])
            )
            tmpl = self.sub(other, scope)
            is_and = isinstance(node.op, ast.And)
            b.slot(CondSlot(test, tmpl if is_and else None, None if is_and else tmpl))
        elif isinstance(node, ast.ListComp | ast.GeneratorExp):
            b.slot(self._comprehension(node, scope))
        elif not self._element(node, b, scope):
            slot = self._call(node, scope) if isinstance(node, ast.Call | ast.Subscript) else None
            b.slot(slot or ValueSlot(self.thunk(node, scope)))

    def _constant(self, node: ast.expr, b: _Builder, scope: dict[str, Kind]) -> bool:
        if not Const(self, scope).check(node):
            return False
        try:
            value = self._eval(node)
            html = str(htpy.fragment[value])
        except Exception:
            return False  # let it fail at render time, with the user's traceback
        if isinstance(value, adapter.BaseElement) and b.depth == 0:
            b.top_elements += 1
            b.buf.append(html)
            b.other = b.other or isinstance(value, adapter.HTMLElement)
        else:
            b.text(html)
        return True

    def _eval(self, node: ast.expr) -> Any:
        code = compile(ast.Expression(copy.deepcopy(node)), self.filename, "eval")
        return eval(code, self.globals, dict(self.closure))

    def _element(self, node: ast.expr, b: _Builder, scope: dict[str, Kind]) -> bool:
        call: ast.Call | None = None
        children: ast.expr | None = None
        head = node
        if isinstance(node, ast.Subscript):
            head, children = node.value, node.slice
            if self.resolve(head, scope) is htpy.fragment:
                self.child(children, b, scope)
                return True
        if isinstance(head, ast.Call):
            call, head = head, head.func
        el = self.resolve(head, scope)
        if not isinstance(el, adapter.BaseElement):
            return False
        void = isinstance(el, adapter.VoidElement)
        if (void and children is not None) or (children is None and call is None):
            return False
        if children is None and adapter.children_of(el) is not None:
            return False  # a preset element with children, called: rare, leave it to htpy
        name = adapter.name_of(el)
        b.open_element(el, name)
        if call is None:
            b.text(adapter.attrs_of(el))
        elif Const(self, scope).check(call) and (attrs := self._const_attrs(call)) is not None:
            b.text(attrs)
        elif not self._keyword_attrs(el, call, scope, b):
            b.slot(AttrSlot(self.thunk(call, scope)))
        b.text(">")
        if not void and children is not None:
            self.child(children, b, scope)
        b.close_element(None if void else name)
        return True

    def _keyword_attrs(self, el: Any, call: ast.Call, scope: dict[str, Kind], b: _Builder) -> bool:
        """Attributes given as keywords only, one by one, as HEEx compiles ``name={...}``: a
        constant one goes into the statics; an f-string one (``id=f"row-{i}"``) too, but for its
        interpolated values; any other one is a slot of its own (it may be left out). False
        (nothing added) when the call has positional or ``**`` arguments, or names that clash."""
        if call.args or any(kw.arg is None for kw in call.keywords):
            return False
        pynames = [kw.arg for kw in call.keywords if kw.arg is not None]
        # each keyword's HTML name, as htpy spells it
        names = [adapter.attrs_of(el(**{n: "x"}))[1:-4] for n in pynames]
        if len(set(names)) != len(names):
            return False
        for name, kw in zip(names, call.keywords, strict=True):
            one = ast.copy_location(ast.Call(call.func, [], [kw]), call)
            value = kw.value
            if Const(self, scope).check(one) and (attrs := self._const_attrs(one)) is not None:
                b.text(attrs)
            elif isinstance(value, ast.JoinedStr) and name != "class":
                b.text(f' {name}="')
                for part in value.values:
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        b.text(escape_str(part.value))
                    else:
                        piece = ast.copy_location(ast.JoinedStr([part]), value)
                        b.slot(AttrTextSlot(self.thunk(piece, scope)))
                b.text('"')
            else:
                single = ast.copy_location(ast.Tuple([value], ast.Load()), value)
                b.slot(KeywordAttrSlot((name,), self.thunk(single, scope), self.thunk(one, scope)))
        return True

    def _const_attrs(self, call: ast.Call) -> str | None:
        try:
            return adapter.attrs_of(self._eval(call))
        except Exception:
            return None

    def _comprehension(self, node: ast.ListComp | ast.GeneratorExp, scope: dict[str, Kind]) -> Slot:
        gen = node.generators[0]
        spec = _target_spec(gen.target)
        if len(node.generators) != 1 or gen.is_async or spec is None:
            return ValueSlot(self.thunk(node, scope))
        items = self.thunk(gen.iter, scope)
        row_scope = {**scope, **dict.fromkeys(_spec_names(spec), ROW)}
        filters = [self.thunk(cond, row_scope) for cond in gen.ifs]
        body = self.sub(node.elt, row_scope)
        return CompSlot(items, _binder([spec]), filters, body, None)

    def _call(self, node: ast.Call | ast.Subscript, scope: dict[str, Kind]) -> Slot | None:
        children: ast.expr | None = None
        if isinstance(node, ast.Subscript):  # `card(...)[children]` or `card[children]`
            children, head = node.slice, node.value
            if not isinstance(head, ast.Call):
                head = ast.copy_location(ast.Call(head, [], []), head)
            node = head
        callee = self.resolve(node.func, scope)
        if callee is keyed:
            return None if children is not None else self._keyed(node, scope)
        component = self.component_of(callee)
        if component is None:
            return None
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            return None
        keywords = [k.arg for k in node.keywords if k.arg]
        if children is not None:
            if CHILDREN in keywords:
                return None
            keywords.append(CHILDREN)
        params = component.params_for(len(node.args), keywords)
        if params is None:
            return None  # a bad call: let the real call raise at render time
        args = [self._argument(a, scope) for a in node.args]
        kwargs = {k.arg: self._argument(k.value, scope) for k in node.keywords if k.arg}
        if children is not None:
            content = self._content(children, scope)
            if content is None:
                return None
            kwargs[CHILDREN] = content
        return CallSlot(component, args, kwargs, params)

    def _argument(self, node: ast.expr, scope: dict[str, Kind]) -> Thunk | Arg:
        """A component argument: slot entries (alone or in a list literal) get their content
        compiled here, in the caller; anything else is a plain expression."""
        entry = self._entry(node, scope)
        if entry is not None:
            return entry
        if isinstance(node, ast.List | ast.Tuple) and not any(
            isinstance(e, ast.Starred) for e in node.elts
        ):
            items: list[Thunk | Arg] = []
            for elt in node.elts:
                items.append(self._entry(elt, scope) or self.thunk(elt, scope))
            if any(isinstance(i, Arg) for i in items):
                return ListArg(items, list if isinstance(node, ast.List) else tuple)
        return self.thunk(node, scope)

    def _entry(self, node: ast.expr, scope: dict[str, Kind]) -> EntryArg | None:
        """``Col(label=...)[content]``, ``Col`` a ``Slot`` subclass."""
        if not isinstance(node, ast.Subscript) or not isinstance(node.value, ast.Call):
            return None
        cls = self.resolve(node.value.func, scope)
        if not (isinstance(cls, type) and issubclass(cls, SlotEntry)):
            return None
        content = self._content(node.slice, scope)
        if content is None:
            return None
        return EntryArg(self.thunk(node.value, scope), content)

    def _content(self, node: ast.expr, scope: dict[str, Kind]) -> BlockArg | None:
        """Slot content as a template of its own: nodes, or ``lambda arg: nodes`` (the lambda's
        body, with its parameter bound by ``render_slot(entry, arg)``)."""
        if not isinstance(node, ast.Lambda):
            return BlockArg(self.sub(node, scope), None)
        a = node.args
        if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults or len(a.args) > 1:
            return None
        if not a.args:
            return BlockArg(self.sub(node.body, scope), None)
        name = a.args[0].arg
        return BlockArg(self.sub(node.body, {**scope, name: ROW}), _binder([name]))

    def _keyed(self, node: ast.Call, scope: dict[str, Kind]) -> Slot | None:
        kw = {k.arg: k.value for k in node.keywords}
        key, render = kw.get("key"), kw.get("render")
        if (
            len(node.args) != 1
            or set(kw) != {"key", "render"}
            or not isinstance(key, ast.Lambda)
            or not isinstance(render, ast.Lambda)
        ):
            return None
        specs: list[str | list[Any]] = []
        for fn in (key, render):
            a = fn.args
            if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or len(a.args) != 1:
                return None
            specs.append(a.args[0].arg)
        items = self.thunk(node.args[0], scope)
        row_scope = {**scope, **dict.fromkeys(_spec_names(specs), ROW)}
        key_thunk = self.thunk(key.body, row_scope)
        body = self.sub(render.body, row_scope)
        return CompSlot(items, _binder(specs), [], body, key_thunk)

    # -- code generation ---------------------------------------------------------------------

    def _generate(self) -> None:
        """Compile every thunk in one module, with the user's filename and line numbers."""
        free = self.func.__code__.co_freevars
        factory_body: list[ast.stmt] = [
            ast.Assign([ast.Name(n, ast.Store())], ast.Constant(None)) for n in free
        ]
        for i, (thunk, expr) in enumerate(self.thunks):
            args = ast.arguments(
                posonlyargs=[],
                args=[ast.arg(p) for p in thunk.params],
                kwonlyargs=[],
                kw_defaults=[],
                defaults=[],
            )
            ret = ast.copy_location(ast.Return(copy.deepcopy(expr)), expr)
            fn = ast.FunctionDef(
                name=f"__pylive_{i}", args=args, body=[ret], decorator_list=[], returns=None
            )
            factory_body.append(ast.copy_location(fn, expr))
        factory_body.append(ast.Pass())
        no_args = ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[])
        factory = ast.FunctionDef(
            name="__pylive_factory", args=no_args, body=factory_body, decorator_list=[]
        )
        module = ast.fix_missing_locations(ast.Module([factory], []))
        module_code = compile(module, self.filename, "exec")
        factory_code = next(c for c in module_code.co_consts if isinstance(c, types.CodeType))
        codes = {c.co_name: c for c in factory_code.co_consts if isinstance(c, types.CodeType)}
        cells = dict(zip(free, self.func.__closure__ or (), strict=True))
        for i, (thunk, _) in enumerate(self.thunks):
            code = codes[f"__pylive_{i}"].replace(
                co_name=self.func.__name__, co_qualname=self.func.__qualname__
            )
            closure = tuple(cells[n] for n in code.co_freevars)
            thunk.fn = types.FunctionType(code, self.globals, self.func.__name__, None, closure)
