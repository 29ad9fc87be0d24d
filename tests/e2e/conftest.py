"""Real-browser fixtures: Debian's Chromium driven by Playwright, against the gallery served
by a real hypercorn (``python -m gallery``) in a subprocess.

One browser for all of them (package scope: it is closed before any other test runs), one
server per test module (a module serves another app by overriding ``server``), a fresh browser
context (cookies, storage) per test. Every test here gets the ``e2e`` marker (``pytest -m e2e``
/ ``-m "not e2e"``). ``PYLIVE_CHROMIUM`` overrides the browser path (default
``/usr/bin/chromium``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from served import free_port

from e2e.support import ROOT, GalleryServer, ServerProcess

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("PYLIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000
"""Longest wait for anything in the page (reconnects included). It only bounds a failure, so it
is generous: a loaded CI machine is slow, and after a server restart the client's reconnect
backoff alone may wait 5 s."""

try:
    from playwright.sync_api import expect
except ImportError:  # the ``test`` extra is not installed: nothing here can run
    collect_ignore_glob = ["test_*.py"]
else:
    expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory ``e2e``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def client_bundle() -> Path:
    """The client bundle, (re)built if its sources changed since the last build."""
    path = ROOT / "pylive" / "client" / "build.py"
    spec = importlib.util.spec_from_file_location("pylive_client_build", path)
    assert spec is not None and spec.loader is not None
    client_build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(client_build)
    bundle: Path = client_build.build()
    return bundle


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Chromium for every browser test."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (bash .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(
    client_bundle: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GalleryServer]:
    """The gallery on a free port, for the tests of one module."""
    gallery = GalleryServer(free_port(), tmp_path_factory.mktemp("gallery") / "server.log")
    gallery.start()
    yield gallery
    gallery.stop()


@pytest.fixture
def page(browser: Browser, server: ServerProcess) -> Iterator[Page]:
    """A fresh page (new browser context) whose uncaught errors fail the test."""
    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
