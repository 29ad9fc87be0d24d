"""Helpers for the browser tests (``from e2e.support import ...``): server processes (the
gallery, or any app) and checks of the page's state."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
MAIN = "[data-phx-main]"
"""The main LiveView's container."""


class ServerProcess:
    """``python ARGS...`` in a subprocess serving HTTP on ``port`` (a real hypercorn). It can
    be stopped and started again on the same port, to test reconnection. The repository and
    ``tests/`` are on its import path."""

    def __init__(self, port: int, log: Path, args: Sequence[str]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.args = list(args)
        self.tmp = log.parent / f"tmp-{port}"
        """The server's temporary directory (``TMPDIR``): its upload files, and no one else's."""
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Launch the server and wait until it answers HTTP."""
        path = os.pathsep.join([str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])
        self.tmp.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, *self.args],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": path.rstrip(os.pathsep), "TMPDIR": str(self.tmp)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60  # a loaded CI machine starts Python slowly
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/", timeout=10) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.args} did not start on {self.url}:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Stop the server like Ctrl-C would (live sockets close with 1001) and wait."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=60)  # closing sockets, then hypercorn's graceful shutdown
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise


class GalleryServer(ServerProcess):
    """The gallery: ``python -m gallery --port PORT``."""

    def __init__(self, port: int, log: Path) -> None:
        super().__init__(port, log, ["-m", "gallery", "--port", str(port)])


def app_server(app: str, port: int, log: Path) -> ServerProcess:
    """``pylive serve MODULE:APP`` on ``port`` (e.g. ``e2e.crash_app:app``)."""
    return ServerProcess(port, log, ["-m", "pylive.cli", "serve", app, "--port", str(port)])


@contextmanager
def running_app(app: str, where: Path) -> Iterator[ServerProcess]:
    """``pylive serve MODULE:APP`` on a free port for the block, logging to ``where``."""
    from served import free_port

    process = app_server(app, free_port(), where / "server.log")
    process.start()
    try:
        yield process
    finally:
        process.stop()


def module_server(app: str) -> Any:
    """A module-scoped fixture serving ``app`` (``MODULE:APP``) with ``pylive serve`` for the
    module's tests: ``server = module_server("fault_apps:app")`` replaces the gallery."""

    @pytest.fixture(scope="module")
    def server(
        client_bundle: Path, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[ServerProcess]:
        with running_app(app, tmp_path_factory.mktemp(app.partition(":")[0])) as process:
            yield process

    return server


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2b8d2a30000000049454e44ae426082"
)
"""A 1x1 PNG, for upload tests."""


def open_page(page: Page, path: str) -> None:
    """Go to ``path`` and wait until its main LiveView has joined."""
    page.goto(path)
    connected(page)


def focused_id(page: Page) -> str:
    """The ``id`` of the focused element (empty if it has none)."""
    found: str = page.evaluate("document.activeElement && document.activeElement.id")
    return found


def settle(page: Page) -> None:
    """Wait until the client's delayed focus calls are done: ``focus``, ``focus_first`` and
    ``pop_focus`` focus again two animation frames later, which would take the focus back from
    a key pressed in between."""
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => "
        "requestAnimationFrame(() => requestAnimationFrame(done))))"
    )


def connected(page: Page) -> None:
    """Wait until the main LiveView has joined (the client sets ``phx-connected``)."""
    page.wait_for_selector(f"{MAIN}.phx-connected", state="attached")


def mark_document(page: Page) -> None:
    """Tag the current document, so that ``same_document`` can tell a reload happened."""
    page.evaluate("window.__pyliveTestMark = true")


def same_document(page: Page) -> bool:
    """True when the page was not reloaded since ``mark_document``."""
    return bool(page.evaluate("window.__pyliveTestMark === true"))


def record_container_classes(page: Page) -> None:
    """Record every ``class`` value the main container takes from now on (MutationObserver),
    to check passing states such as ``phx-error`` afterwards."""
    page.evaluate(
        """() => {
            const el = document.querySelector("[data-phx-main]");
            window.__pyliveClasses = [];
            new MutationObserver(() => window.__pyliveClasses.push(el.className))
                .observe(el, {attributes: true, attributeFilter: ["class"]});
        }"""
    )


def container_classes_seen(page: Page) -> set[str]:
    """Every class the container had since ``record_container_classes``."""
    seen: list[str] = page.evaluate("window.__pyliveClasses")
    return {name for value in seen for name in value.split()}


def record_console(page: Page) -> list[str]:
    """Record every console message of the page from now on, as ``"<type>: <text>"`` (the
    list fills as messages arrive)."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    return messages


def enable_client_debug(page: Page) -> None:
    """Turn on the official client's debug log (``liveSocket.enableDebug()``) for the pages
    loaded from now on: it logs what it does (joins, "view crashed"...) to the console."""
    page.add_init_script("sessionStorage.setItem('phx:live-socket:debug', 'true')")
