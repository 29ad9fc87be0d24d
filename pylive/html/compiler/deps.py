"""What a template expression reads: the dependency analysis behind change tracking.

Names in a template's scope have a ``Kind`` (the assigns object, a component parameter, the view,
a loop variable, a local). ``Reads`` walks an expression, respecting names bound by nested lambdas
and comprehensions, and sums up what it reads as ``Deps``; ``Const`` decides whether an
expression is constant markup that htpy can render once at compile time.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Protocol

import htpy

from pylive.html import adapter
from pylive.html.compiler.slots import NO_DEPS, Deps

__all__ = [
    "ASSIGNS",
    "INPUT",
    "MISSING",
    "OWNER",
    "PURE_BUILTINS",
    "ROW",
    "Const",
    "Kind",
    "Reads",
    "Resolver",
]

MISSING = object()
"""What ``Resolver.resolve`` returns for a name it cannot resolve at compile time."""

PURE_BUILTINS = frozenset(
    {
        *("abs", "all", "any", "bool", "dict", "enumerate", "filter", "format", "frozenset"),
        *("int", "isinstance", "len", "list", "map", "max", "min", "range", "repr", "reversed"),
        *("round", "set", "sorted", "str", "sum", "tuple", "zip"),
    }
)


class Resolver(Protocol):
    """Compile-time knowledge of the function's globals (implemented by the compiler)."""

    def resolve(self, node: ast.AST, scope: dict[str, Kind]) -> Any:
        """The value of a global name / module attribute chain, else MISSING."""

    def is_code(self, value: Any, name: str | None = None) -> bool:
        """Whether a global is template code (never treated as mutable state)."""


@dataclass(frozen=True, slots=True)
class Kind:
    """What a name in the template's scope is, for dependency analysis."""

    role: str  # "assigns" | "input" | "owner" | "row" | "cell"
    deps: Deps = NO_DEPS


ASSIGNS, INPUT, OWNER, ROW = Kind("assigns"), Kind("input"), Kind("owner"), Kind("row")


class Reads:
    """Collects what an expression reads, respecting names bound by lambdas/comprehensions."""

    def __init__(self, compiler: Resolver, scope: dict[str, Kind]) -> None:
        self.compiler = compiler
        self.scope = scope
        self.names: set[str] = set()
        self.params: set[str] = set()
        self.any = self.owner = self.globals = self.inputs = self.volatile = False

    def deps(self) -> Deps:
        untracked = self.globals and not (self.names or self.any or self.inputs)
        return Deps(frozenset(self.names), self.any, self.volatile or self.owner or untracked)

    def _assigns(self, node: ast.expr, bound: frozenset[str]) -> str | None:
        if isinstance(node, ast.Name) and node.id not in bound:
            return node.id if self.scope.get(node.id) is ASSIGNS else None
        return None

    def visit(self, node: ast.AST, bound: frozenset[str]) -> None:
        if isinstance(node, ast.Attribute):
            holder = self._assigns(node.value, bound)
            if holder is not None:
                self.params.add(holder)
                self.names.add(node.attr)
                return
            value = self.compiler.resolve(node, self.scope)
            if value is not MISSING and self.compiler.is_code(value):
                return
        if isinstance(node, ast.Subscript):
            holder = self._assigns(node.value, bound)
            if holder is not None:
                self.params.add(holder)
                key = _const_str(node.slice)
                if key is None:
                    self.any = True
                    self.visit(node.slice, bound)
                else:
                    self.names.add(key)
                return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            holder = self._assigns(node.func.value, bound)
            if holder is not None:  # a method of the assigns object: it may read anything
                self.params.add(holder)
                self.any = True
                for c in [*node.args, *node.keywords]:
                    self.visit(c, bound)
                return
        if isinstance(node, ast.Name):
            self._name(node.id, bound)
        elif isinstance(node, ast.Lambda):
            a = node.args
            for d in [*a.defaults, *(d for d in a.kw_defaults if d is not None)]:
                self.visit(d, bound)
            inner = {p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]}
            inner |= {p.arg for p in (a.vararg, a.kwarg) if p is not None}
            self.visit(node.body, bound | inner)
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            inner_bound = set(bound)
            for i, gen in enumerate(node.generators):
                self.visit(gen.iter, bound if i == 0 else frozenset(inner_bound))
                inner_bound |= {n.id for n in ast.walk(gen.target) if isinstance(n, ast.Name)}
                for cond in gen.ifs:
                    self.visit(cond, frozenset(inner_bound))
            parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            for part in parts:
                self.visit(part, frozenset(inner_bound))
        else:
            for child in ast.iter_child_nodes(node):
                self.visit(child, bound)

    def _name(self, name: str, bound: frozenset[str]) -> None:
        if name in bound:
            return
        kind = self.scope.get(name)
        if kind is None:
            value = self.compiler.resolve(ast.Name(name), {})
            if not self.compiler.is_code(value, name):
                self.globals = True
            return
        self.params.add(name)
        if kind is ASSIGNS:
            self.any = True
        elif kind is INPUT:
            self.names.add(name)
        elif kind is OWNER:
            self.owner = True
        elif kind is ROW:
            self.inputs = True
        else:  # a local computed before the return
            self.names |= kind.deps.names
            self.any = self.any or kind.deps.any
            self.volatile = self.volatile or kind.deps.volatile


def _const_str(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class Const:
    """Whether an expression is a constant htpy node (literals and element constructors only)."""

    def __init__(self, compiler: Resolver, scope: dict[str, Kind]) -> None:
        self.compiler = compiler
        self.scope = scope

    def check(self, node: ast.AST | None) -> bool:
        if node is None:
            return True
        if isinstance(node, ast.Constant):
            return node.value is None or isinstance(node.value, str | int)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return all(self.check(e) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(map(self.check, node.keys)) and all(map(self.check, node.values))
        if isinstance(node, ast.Starred):
            return self.check(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            return isinstance(node.operand, ast.Constant) and type(node.operand.value) is int
        if isinstance(node, ast.Name | ast.Attribute):
            return isinstance(self.compiler.resolve(node, self.scope), adapter.BaseElement)
        if isinstance(node, ast.Call):
            return (
                isinstance(self.compiler.resolve(node.func, self.scope), adapter.BaseElement)
                and all(map(self.check, node.args))
                and all(self.check(k.value) for k in node.keywords)
            )
        if isinstance(node, ast.Subscript):
            head = node.value
            fragment = self.compiler.resolve(head, self.scope) is htpy.fragment
            return (fragment or self.check(head)) and self.check(node.slice)
        return False
