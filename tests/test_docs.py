"""The documentation holds together: relative links and anchors resolve, and every Python example
runs.

The examples of a page run in order, in one namespace, as one module whose lines are the page's
lines (a traceback points into the Markdown). A page whose examples define ``test_*`` functions
is a test module: it runs under pytest, in a subprocess, with ``tests/docs_examples`` importable
(``from myapp import app``). An HTML comment on the line before a fence tells the runner more:

* ``<!-- doc-test: file NAME -->``: the block is the file ``NAME`` (``conftest.py``,
  ``pytest.ini``, a module the next examples import), written next to the page's module;
  a Python file is also imported, to check that it loads.
* ``<!-- doc-test: skip REASON -->``: not run (it must still parse).
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import os
import re
import shlex
import subprocess
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", ROOT / "benchmarks" / "README.md", *ROOT.glob("docs/*.md")])
EXAMPLES = ROOT / "tests" / "docs_examples"

NOT_YET: dict[str, str] = {}
"""Pages whose examples only have to parse, for now (remove an entry to run its examples)."""

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_DIRECTIVE = re.compile(r"^<!--\s*doc-test:\s*(file|skip)\b\s*(.*?)\s*-->$")


@dataclass(frozen=True)
class Example:
    lang: str
    code: str
    line: int
    """Line number (1-based) of the example's first line in the page."""
    file: str | None = None
    skip: str | None = None


def doc_examples(page: Path) -> list[Example]:
    text = page.read_text()
    found = []
    for match in _FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 2
        before = text[: match.start()].rstrip("\n").rpartition("\n")[2].strip()
        directive = _DIRECTIVE.match(before)
        key, value = directive.groups() if directive else (None, None)
        if key == "skip" and not value:
            raise AssertionError(f"{page.name}:{line - 1}: doc-test skip needs a reason")
        file = value if key == "file" else None
        skip = value if key == "skip" else None
        found.append(Example(match.group(1), match.group(2), line, file=file, skip=skip))
    return found


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    text = _FENCE.sub("", page.read_text())
    headings = re.findall(r"^#+\s+(.*)$", text, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_relative_links_and_anchors_resolve(page: Path) -> None:
    broken = []
    for target in _LINK.findall(_FENCE.sub("", page.read_text())):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not checked offline
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists() or (anchor and dest.suffix == ".md" and anchor not in _anchors(dest)):
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)}: broken links {broken}"


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_python_examples_parse(page: Path) -> None:
    for example in doc_examples(page):
        if example.lang == "python":
            # snippets may await at top level, as inside an async test
            compile(
                example.code,
                f"{page.name}:{example.line}",
                "exec",
                flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
            )


def _module_source(page: Path, examples: list[Example]) -> str:
    """The examples at their own line numbers, blank lines elsewhere."""
    lines = [""] * (page.read_text().count("\n") + 1)
    for example in examples:
        for offset, code_line in enumerate(example.code.splitlines()):
            lines[example.line - 1 + offset] = code_line
    return "\n".join(lines) + "\n"


def _defines_tests(source: str) -> bool:
    tree = ast.parse(source)
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    return any(isinstance(n, functions) and n.name.startswith("test_") for n in tree.body)


PAGES_WITH_PYTHON = [p for p in PAGES if any(e.lang == "python" for e in doc_examples(p))]


@pytest.mark.parametrize("page", PAGES_WITH_PYTHON, ids=_name)
def test_python_examples_run(page: Path, tmp_path: Path) -> None:
    if _name(page) in NOT_YET:
        pytest.skip(NOT_YET[_name(page)])
    examples = [e for e in doc_examples(page) if e.skip is None]
    files = [e for e in examples if e.file is not None]
    inline = [e for e in examples if e.file is None and e.lang == "python"]
    for example in files:
        (tmp_path / example.file).write_text(example.code)  # type: ignore[operator]
    source = _module_source(page, inline)
    stem = re.sub(r"\W", "_", page.stem)
    if _defines_tests(source):
        _run_with_pytest(page, tmp_path, f"test_docs_{stem}.py", source)
    else:
        modules = [e.file[:-3] for e in files if e.file and e.file.endswith(".py")]
        _run_in_process(_name(page), tmp_path, f"docs_{stem}", source, modules)


def _run_with_pytest(page: Path, where: Path, module: str, source: str) -> None:
    (where / module).write_text(source)
    # this checkout before an installed pylive (an editable install may point elsewhere)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(EXAMPLES), str(where), str(ROOT)])}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", "."]
    result = subprocess.run(
        [*command, module], cwd=where, env=env, capture_output=True, text=True, timeout=600
    )
    report = f"{shlex.join(command)} {module} in {where}:\n{result.stdout}{result.stderr}"
    assert result.returncode == 0, f"the examples of {_name(page)} fail\n{report}"
    assert re.search(r"\b\d+ passed\b", result.stdout), report
    assert not re.search(r"\b\d+ (skipped|xfailed|deselected)\b", result.stdout), report


def _run_in_process(page: str, where: Path, name: str, source: str, modules: list[str]) -> None:
    path = where / f"{name}.py"
    path.write_text(source)
    module = types.ModuleType(name)
    module.__file__ = str(path)
    before = set(sys.modules)
    sys.path.insert(0, str(where))
    sys.modules[name] = module
    try:
        code = compile(source, str(path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(code, module.__dict__)  # runs the page; a coroutine if it awaits
        if inspect.iscoroutine(result):
            asyncio.run(_awaited(result))
        for other in modules:
            importlib.import_module(other)
    except Exception as exc:
        # the page's line, and a traceback without the blank lines around the examples
        lines = [
            f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)
        ]
        at = f"{page}:{lines[-1]}" if lines else page
        details = "".join(traceback.format_exception(exc))
        raise AssertionError(f"{at}: {type(exc).__name__}: {exc}\n\n{details}") from None
    finally:
        sys.path.remove(str(where))
        for loaded in set(sys.modules) - before:
            if str(getattr(sys.modules[loaded], "__file__", "") or "").startswith(str(where)):
                del sys.modules[loaded]


async def _awaited(coroutine: types.CoroutineType[object, object, object]) -> None:
    await coroutine


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^# 2\. run every test.*\n(.+)$", readme, re.MULTILINE)
    assert command is not None, "README's command 2 not found"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert command.group(1) in ci, f".ci/run does not run {command.group(1)!r}"
