"""Reading a render function's source: the AST of its ``def``, with the file's line numbers.

Also the one source rewrite the compiler does: locals used once are inlined into the template.
"""

from __future__ import annotations

import ast
import inspect
import types

__all__ = ["Unsupported", "inline_single_use", "parse_function"]

NESTED_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class Unsupported(Exception):
    """The function cannot be compiled (the message says why); it is walked at runtime instead."""


def parse_function(func: types.FunctionType) -> tuple[ast.FunctionDef, str]:
    if func.__name__ == "<lambda>":
        raise Unsupported("lambdas have no reliable source")
    if hasattr(func, "__wrapped__"):
        raise Unsupported("wrapped by a decorator: the source is not what runs")
    code = func.__code__
    if code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        raise Unsupported("generator or async function")
    try:
        lines, start = inspect.getsourcelines(func)
    except (OSError, TypeError) as e:
        raise Unsupported(f"no source: {e}") from None
    source = "".join(lines)
    offset = start - 1
    if source[:1].isspace():  # a method or nested function: keep columns, shift lines
        source, offset = "if 1:\n" + source, start - 2
    try:
        tree = ast.parse(source, code.co_filename)
    except SyntaxError as e:
        raise Unsupported(f"source does not parse: {e}") from None
    ast.increment_lineno(tree, offset)
    node = tree.body[0]
    if isinstance(node, ast.If):
        node = node.body[0]
    if not isinstance(node, ast.FunctionDef) or node.name != func.__name__:
        raise Unsupported("source does not match the function")
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    lines_run = {line for *_, line in code.co_lines() if line is not None}
    params = [a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]]
    if (
        first != code.co_firstlineno
        or not lines_run <= set(range(first, (node.end_lineno or first) + 1))
        or node.body[-1].lineno not in lines_run
        or tuple(params) != code.co_varnames[: len(params)]
    ):
        raise Unsupported("source is stale: it does not match the function's code")
    return node, code.co_filename


def _uses(name: str, node: ast.AST) -> list[bool]:
    """One entry per load of ``name`` in ``node``: whether it sits inside a nested scope."""
    found: list[bool] = []

    def visit(n: ast.AST, nested: bool) -> None:
        if isinstance(n, ast.Name) and n.id == name:
            found.append(nested)
        for c in ast.iter_child_nodes(n):
            visit(c, nested or isinstance(n, NESTED_SCOPES))

    visit(node, False)
    return found


class _Substitute(ast.NodeTransformer):
    def __init__(self, name: str, value: ast.expr) -> None:
        self.name, self.value = name, value

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self.value if node.id == self.name else node


def inline_single_use(
    cells: list[tuple[str, ast.expr]], result: ast.expr
) -> tuple[list[tuple[str, ast.expr]], ast.expr]:
    """Substitute locals used exactly once, directly in the returned template.

    ``rows = [tr[...] for u in users]; return table[rows]`` then compiles the rows as a
    comprehension instead of an opaque value. Other locals stay cells (computed once per render).
    """
    changed = True
    while changed:
        changed = False
        for idx in range(len(cells) - 1, -1, -1):
            name, value = cells[idx]
            in_result = _uses(name, result)
            elsewhere = sum(len(_uses(name, v)) for n, v in cells if n != name)
            if in_result == [False] and elsewhere == 0:
                result = _Substitute(name, value).visit(result)
                del cells[idx]
                changed = True
                break
    return cells, result
