"""Developer sessions: tests, lint, typecheck, docs, e2e, fuzz, bench, firstpaint, load and
more (``nox -l``)."""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.error_on_missing_interpreters = False  # shutdown: skip a Python not installed


def _install(session: nox.Session, *extras: str) -> None:
    session.install("-e", f".[{','.join(extras)}]" if extras else ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Every test: unit, protocol, conformance against the official client, browser (e2e)."""
    _install(session, "test")
    npm_ci = ("npm", "ci", "--prefix", "tests/conformance", "--no-audit", "--no-fund")
    session.run(*npm_ci, external=True)
    session.run("pytest", *session.posargs)


@nox.session
def e2e(session: nox.Session) -> None:
    """Real-browser tests only (Debian chromium at /usr/bin/chromium)."""
    _install(session, "test")
    session.run("pytest", "-m", "e2e", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff lint and format check."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the library and its tests (the test extra brings the stubs)."""
    _install(session, "test")
    session.install("mypy")
    session.run("mypy", "--strict", "pylive", "tests")


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site (mkdocs.yml) built into site/, warnings as errors.

    ``nox -s docs -- serve`` previews it at http://127.0.0.1:8000 instead.
    """
    _install(session, "docs")
    session.env["NO_MKDOCS_2_WARNING"] = "1"  # Material's banner about its successor
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:])
    else:
        session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against peers measured in the same run (figures, never assertions)."""
    _install(session, "uvloop", "redis")  # redis: benchmarks.broadcast's Redis backend
    session.install("pyview-web", "websockets", "python-multipart", "playwright")
    session.run("python", "-m", "benchmarks.engine", *session.posargs)
    session.run("python", "-m", "benchmarks.live", *session.posargs)
    session.run("python", "-m", "benchmarks.memory")
    session.run("python", "-m", "benchmarks.stream_memory")
    session.run("python", "-m", "benchmarks.forms")
    session.run("python", "-m", "benchmarks.uploads")
    session.run("python", "-m", "benchmarks.telemetry")
    session.run("python", "-m", "benchmarks.broadcast")


@nox.session
def firstpaint(session: nox.Session) -> None:
    """First paint in headless Chromium (Debian's), pylive next to pyview (figures only)."""
    _install(session)
    session.install("pyview-web", "playwright", "websockets")  # websockets: benchmarks.live
    session.run("python", "-m", "benchmarks.firstpaint", *session.posargs)


@nox.session(python=["3.11", "3.12", "3.13"])
def shutdown(session: nox.Session) -> None:
    """SIGTERM to a real ``pylive serve`` with live clients, on each Python found (skips the
    others): every socket closes with 1001 and the process exits 0 (tests/test_shutdown.py).
    With pyenv, make its versions visible first: ``pyenv shell 3.11.7 3.12.1 3.13.0``."""
    _install(session, "testing")
    session.install("pytest-timeout", "httpx", "websockets", "fastapi", "uvicorn", "anyio")
    session.run("pytest", "tests/test_shutdown.py", *session.posargs)


@nox.session
def vanish(session: nox.Session) -> None:
    """10,000 clients that vanish (silent, or dropped without a close frame), in-process on
    asyncio and trio: no task, socket or memory left behind (tests/test_vanished_clients.py)."""
    _install(session, "test")
    session.env["PYLIVE_VANISH_CYCLES"] = "10000"
    session.run("pytest", "tests/test_vanished_clients.py", "-s", *session.posargs)


@nox.session
def load(session: nox.Session) -> None:
    """10,000 connected views on one server next to pyview-web: memory, latency (figures only)."""
    _install(session)
    session.install("pyview-web", "websockets", "python-multipart")
    session.run("python", "-m", "benchmarks.load", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """The fuzz tests (tests/test_fuzz.py) with 1,000,000 generated inputs in all, random.

    ``nox -s fuzz -- 50000`` runs another total (also ``$PYLIVE_FUZZ_EXAMPLES``); the normal
    test run generates a few hundred, the same ones every time.
    """
    _install(session, "test")
    default = os.environ.get("PYLIVE_FUZZ_EXAMPLES", "1000000")
    session.env["PYLIVE_FUZZ_EXAMPLES"] = session.posargs[0] if session.posargs else default
    session.run("pytest", "tests/test_fuzz.py", "-p", "no:cacheprovider", "--timeout=0", "-q")
