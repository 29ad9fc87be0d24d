"""Build ``pylive/client/dist/pylive.js``, the one script a pylive page loads.

The bundle is the official, unmodified browser builds of ``phoenix`` and ``phoenix_live_view``
(pinned in ``package.json`` / ``package-lock.json``, installed with ``npm ci``) followed by
pylive's own ``src/progress.js`` (page-loading bar) and ``src/bootstrap.js`` (creates the
``LiveSocket``). The npm builds are IIFEs that define the globals ``Phoenix`` and ``LiveView``,
so concatenation is all the bundling needed: no bundler, nothing rewritten.

Run by the wheel build hook (``hatch_build.py``, also for ``pip install -e .``), by the test
suite, or by hand::

    python pylive/client/build.py [--force]

It also copies ``src/preconnect.js`` without its comment lines to ``dist/pylive-preconnect.js``:
a few lines the layout writes into each page (or loads as a file), which open the live socket's
WebSocket while the bundle downloads.
Next to each script it writes a ``.gz`` (gzip -9) and a ``.br`` (brotli, quality 11) copy,
which ``pylive.assets.ClientAssets`` serves to browsers that accept them.

Standard library plus ``brotli`` only: the build hook loads this file by path, before pylive's
dependencies exist (``brotli`` is in ``[build-system] requires``). The bundle's first line
records a digest of every input, so an up-to-date bundle (for example one shipped inside an
sdist) is never rebuilt and npm is not needed then.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "BUNDLE",
    "OUTPUTS",
    "PRECONNECT",
    "ClientBuildError",
    "build",
    "inputs_digest",
    "is_fresh",
]

STATIC = Path(__file__).resolve().parent
BUNDLE = STATIC / "dist" / "pylive.js"
"""The output; served at ``<prefix>/live/assets/pylive.js``."""
PRECONNECT = STATIC / "dist" / "pylive-preconnect.js"
"""``src/preconnect.js`` without its comment lines (it goes into every page); written inline by
``Page.head``, or served at ``<prefix>/live/assets/pylive-preconnect.js``."""
PRECONNECT_SOURCE = "src/preconnect.js"
OUTPUTS = tuple(
    path.with_name(path.name + suffix)
    for path in (PRECONNECT, BUNDLE)
    for suffix in (".gz", ".br", "")
)
"""Every file the build writes (all of them go into the wheel and sdist), the bundle last: its
first line records the inputs, so a fresh bundle implies the other files are current."""

OFFICIAL_BUILDS = {
    "phoenix": "priv/static/phoenix.min.js",
    "phoenix_live_view": "priv/static/phoenix_live_view.min.js",
}
"""npm package → its browser build (an IIFE defining the global ``Phoenix`` / ``LiveView``)."""

OWN_SOURCES = ("src/progress.js", "src/bootstrap.js")
"""pylive's own client code, appended in this order after the official builds."""

_STAMP = "/*! pylive client bundle, inputs sha256:"


class ClientBuildError(RuntimeError):
    """The bundle could not be built (npm missing or failing, unexpected package contents)."""


def pinned_versions() -> dict[str, str]:
    """The exact versions ``package.json`` pins, by package name."""
    manifest = json.loads((STATIC / "package.json").read_text("utf-8"))
    pins: dict[str, str] = manifest["dependencies"]
    return pins


def inputs_digest() -> str:
    """sha256 over everything the bundle is made from (manifest, lockfile, sources, this file)."""
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json", *OWN_SOURCES, PRECONNECT_SOURCE, "build.py"):
        digest.update(name.encode() + b"\0" + (STATIC / name).read_bytes() + b"\0")
    return digest.hexdigest()


def is_fresh() -> bool:
    """Whether ``BUNDLE`` exists and was built from the current inputs, with the other
    outputs."""
    if not all(path.is_file() for path in OUTPUTS[:-1]):
        return False
    try:
        with BUNDLE.open("r", encoding="utf-8") as bundle:
            first = bundle.readline()
    except OSError:
        return False
    return first.startswith(_STAMP + inputs_digest())


def build(*, force: bool = False, log: Callable[[str], None] = print) -> Path:
    """Make ``BUNDLE`` current: ``npm ci`` if the pinned packages are not installed, then
    concatenate. Does nothing when the bundle is already fresh (unless ``force``)."""
    if not force and is_fresh():
        return BUNDLE
    pins = pinned_versions()
    if force or _installed_versions(pins) != pins:
        _npm_ci(log)
        installed = _installed_versions(pins)
        if installed != pins:
            raise ClientBuildError(f"npm ci installed {installed}, package.json pins {pins}")
    # the bundle last: a bundle with a fresh stamp implies every other output matches it
    _write_script(PRECONNECT, _without_comment_lines(STATIC / PRECONNECT_SOURCE))
    _write_script(BUNDLE, _bundle_text(pins).encode("utf-8"))
    sizes = ", ".join(f"{path.name} {path.stat().st_size // 1024} KiB" for path in OUTPUTS)
    log(f"pylive: built {BUNDLE.parent} ({sizes})")
    return BUNDLE


def _installed_versions(pins: dict[str, str]) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in pins:
        manifest = STATIC / "node_modules" / name / "package.json"
        try:
            versions[name] = json.loads(manifest.read_text("utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            versions[name] = None
    return versions


def _npm_ci(log: Callable[[str], None]) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise ClientBuildError(
            "pylive needs npm (Node.js >= 20) to build its browser client from the pinned "
            f"official packages in {STATIC}/package-lock.json. Install Node.js and npm, then "
            "retry (or run: python pylive/client/build.py)."
        )
    log(f"pylive: npm ci in {STATIC}")
    command = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
    done = subprocess.run(command, cwd=STATIC, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ClientBuildError(f"npm ci failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def _bundle_text(pins: dict[str, str]) -> str:
    parts = [
        f"{_STAMP}{inputs_digest()}\n"
        " * Generated by pylive/client/build.py; do not edit. Contents: the official npm builds\n"
        " * of " + ", ".join(f"{name}@{version}" for name, version in pins.items()) + ",\n"
        " * unmodified, then pylive's page-loading bar and bootstrap.\n */\n"
    ]
    for name, relative in OFFICIAL_BUILDS.items():
        package = STATIC / "node_modules" / name
        source = (package / relative).read_text("utf-8")
        if "sourceMappingURL" in source:
            raise ClientBuildError(f"{name}: unexpected source map reference in {relative}")
        license_text = (package / "LICENSE.md").read_text("utf-8").replace("*/", "* /")
        parts.append(f"/*! {name}@{pins[name]} ({relative})\n{license_text.strip()}\n*/\n")
        parts.append(source.rstrip() + "\n")
    for relative in OWN_SOURCES:
        parts.append(f"/* pylive {relative} */\n")
        parts.append((STATIC / relative).read_text("utf-8").rstrip() + "\n")
    return "".join(parts)


def _without_comment_lines(source: Path) -> bytes:
    """``source`` without the lines that hold only a ``//`` comment."""
    lines = source.read_text("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.lstrip().startswith("//")).encode("utf-8")


def _write_script(path: Path, data: bytes) -> None:
    """``path`` with its gzip and brotli copies, the copies first."""
    _write_atomically(path.with_name(path.name + ".gz"), gzip.compress(data, 9, mtime=0))
    _write_atomically(path.with_name(path.name + ".br"), _brotli(data))
    _write_atomically(path, data)


def _brotli(data: bytes) -> bytes:
    try:
        import brotli
    except ImportError as exc:
        raise ClientBuildError(
            "pylive's client build needs the brotli package (pip install brotli)"
        ) from exc
    compressed: bytes = brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)
    return compressed


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".pylive-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Command line: build the bundle (``--force`` reinstalls and rebuilds)."""
    parser = argparse.ArgumentParser(description="Build pylive's browser client bundle.")
    parser.add_argument("--force", action="store_true", help="npm ci and rebuild regardless")
    args = parser.parse_args(argv)
    try:
        path = build(force=args.force)
    except ClientBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{path} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
