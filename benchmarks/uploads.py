"""Upload throughput and the server's peak memory: a file over the live socket next to a plain
HTTP multipart upload of the same file to Starlette, in the same run.

Run ``python -m benchmarks.uploads [--mb 200]`` (``nox -s bench`` runs it). Each subject is a
real server, hypercorn (asyncio worker) in a subprocess of its own, and the client is headless
Chromium (Debian's ``/usr/bin/chromium`` or ``$PYLIVE_CHROMIUM``, driven by Playwright) given
the same file:

* **pylive**: ``pylive_app`` below, a form with ``live_file_input``; the official client sends
  the file over the live socket in chunks of 64,000 bytes (its default) and ``save`` hashes it;
* **Starlette**: ``starlette_app`` below, an HTML form posted as ``multipart/form-data`` to a
  route that reads it with ``request.form()`` (python-multipart; a spooled temporary file) and
  hashes it.

Time runs from choosing the file (pylive) or submitting (Starlette) until the page shows the
digest the server computed. Memory is the server process's peak resident set size (``VmHWM``,
reset through ``/proc/PID/clear_refs`` just before the upload) next to its RSS before. It prints
figures; it never asserts.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio.to_thread
import htpy as h
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from benchmarks.firstpaint import CHROMIUM, CHROMIUM_ARGS
from benchmarks.live import Server, hypercorn_server, table
from gallery.upload import sha256_of
from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket, UploadEntry, live_file_input

__all__ = ["main", "pylive_app", "starlette_app"]


class Receiver(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(digest="")
        chunk_size = int(params.get("chunk_size", 64_000))  # the client's default
        socket.allow_upload(
            "file", accept=None, max_file_size=1 << 40, chunk_size=chunk_size, auto_upload=True
        )

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        async def digest(path: Path, entry: UploadEntry) -> str:
            return await anyio.to_thread.run_sync(sha256_of, path)

        if event == "save":
            socket.assign(digest=" ".join(await socket.consume_uploaded_entries("file", digest)))

    def render(self, assigns: Assigns) -> h.Element:
        return h.form("#f", phx_change="validate", phx_submit="save")[
            live_file_input(assigns.uploads.file),
            h.button("#save")["save"],
            h.p("#progress")[[str(e.progress) for e in assigns.uploads.file.entries]],
            h.output("#digest")[assigns.digest],
        ]


pylive_app = LiveApp([LiveRoute("/", Receiver)], secret_key="bench", compress=False)


async def _form(request: Request) -> HTMLResponse:
    page = h.html[
        h.body[
            h.form(method="post", action="/", enctype="multipart/form-data")[
                h.input(type="file", name="file"), h.button("#save")["save"]
            ]
        ]
    ]
    return HTMLResponse(str(page))


async def _receive(request: Request) -> HTMLResponse:
    async with request.form() as form:
        upload = form["file"]
        assert not isinstance(upload, str)
        digest = hashlib.sha256()
        while chunk := await upload.read(1 << 20):
            digest.update(chunk)
    return HTMLResponse(str(h.html[h.body[h.output("#digest")[digest.hexdigest()]]]))


starlette_app = Starlette(
    routes=[Route("/", _form, methods=["GET"]), Route("/", _receive, methods=["POST"])]
)


def _worker(pid: int) -> int:
    """The process serving the app: hypercorn's one worker, a child of the process it started
    (the other child is multiprocessing's resource tracker)."""
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text():
            return int(child)
    return pid


def _status(pid: int, key: str) -> int:
    """A ``/proc/PID/status`` figure in bytes (``VmRSS``, ``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(key)


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def upload(page: Any, server: Server, url: str, path: Path) -> tuple[float, str, int, int, float]:
    """Seconds, the digest shown, the server's RSS before and its peak during the upload, and
    the CPU seconds it used."""
    assert server.proc is not None
    pid = _worker(server.proc.pid)
    live = server.name == "pylive"
    page.goto(server.base + url)
    if live:
        page.wait_for_selector(".phx-connected")
    before = _status(pid, "VmRSS")
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS
    cpu = _cpu(pid)
    start = time.perf_counter()
    page.set_input_files("input[type=file]", str(path))
    if live:  # auto_upload: the file goes as soon as it is chosen
        page.wait_for_function(
            "document.querySelector('#progress').textContent === '100'", timeout=600_000
        )
    page.click("#save")
    page.wait_for_function(
        "(document.querySelector('#digest')?.textContent ?? '').length === 64", timeout=600_000
    )
    seconds = time.perf_counter() - start
    digest = page.text_content("#digest") or ""
    return seconds, digest, before, _status(pid, "VmHWM"), _cpu(pid) - cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.uploads", description=__doc__)
    parser.add_argument("--mb", type=int, default=200, help="file size in MB (default 200)")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("benchmarks.uploads: playwright is not installed; skipped")
        return 0
    if shutil.which(CHROMIUM) is None or not Path("/proc/self/clear_refs").exists():
        print(f"benchmarks.uploads: needs Chromium at {CHROMIUM} and Linux /proc; skipped")
        return 0
    subjects = [  # (server, app, runs: row label and URL)
        (
            "pylive",
            "pylive_app",
            [
                ("pylive, live socket, 64 kB chunks (default)", "/"),
                ("pylive, live socket, 640 kB chunks", "/?chunk_size=640000"),
            ],
        ),
        ("Starlette", "starlette_app", [("Starlette, HTTP multipart", "/")]),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        path = Path(tmp) / "big.bin"
        with path.open("wb") as file:
            for _ in range(args.mb):
                file.write(os.urandom(1_000_000))
        expected = sha256_of(path)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, app, runs in subjects:
                for label, url in runs:  # a fresh server for each upload
                    server = hypercorn_server(name, f"benchmarks.uploads:{app}", "asyncio", "")
                    server.start(None)
                    try:
                        server.wait_ready("/")
                        page = browser.new_page()
                        seconds, digest, before, peak, cpu = upload(page, server, url, path)
                        page.close()
                    finally:
                        server.stop()
                    rows.append(
                        [
                            label,
                            f"{args.mb / seconds:,.1f} MB/s",
                            f"{before / 1_048_576:,.1f} MiB",
                            f"{peak / 1_048_576:,.1f} MiB",
                            f"{cpu:,.1f} s",
                            "yes" if digest == expected else "NO",
                        ]
                    )
        finally:
            browser.close()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Uploading {args.mb} MB from Chromium to a real server (hypercorn, asyncio worker)")
    print(f"{os.cpu_count()} CPUs, load average {load} (each chunk waits for its reply)")
    print(table(["upload", "throughput", "RSS before", "peak RSS", "server CPU", "checksum"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
