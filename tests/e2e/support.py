"""Helpers for the browser tests (``from e2e.support import ...``): the gallery server
process and checks of the page's state."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
MAIN = "[data-phx-main]"
"""The main LiveView's container."""


class GalleryServer:
    """``python -m gallery --port PORT`` in a subprocess: a real hypercorn. It can be stopped
    and started again on the same port, to test reconnection."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Launch the server and wait until it answers HTTP."""
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "gallery", "--port", str(self.port)],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the gallery did not start on {self.url}:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Stop the server like Ctrl-C would (live sockets close with 1001) and wait."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise


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
