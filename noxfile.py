"""Developer sessions: tests, lint, typecheck, docs, e2e, fuzz, bench, firstpaint (``nox -l``)."""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck", "docs"]


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
    _install(session, "uvloop")
    session.install("pyview-web", "websockets", "python-multipart")
    session.run("python", "-m", "benchmarks.engine", *session.posargs)
    session.run("python", "-m", "benchmarks.live", *session.posargs)
    session.run("python", "-m", "benchmarks.memory")
    session.run("python", "-m", "benchmarks.stream_memory")
    session.run("python", "-m", "benchmarks.forms")
    session.run("python", "-m", "benchmarks.uploads")


@nox.session
def firstpaint(session: nox.Session) -> None:
    """First paint in headless Chromium (Debian's), pylive next to pyview (figures only)."""
    _install(session)
    session.install("pyview-web", "playwright", "websockets")  # websockets: benchmarks.live
    session.run("python", "-m", "benchmarks.firstpaint", *session.posargs)


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
