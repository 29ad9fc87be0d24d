"""Upload throughput and server memory: a file over the live socket next to a plain HTTP
multipart upload of the same file to Starlette, in the same run.

Run ``python -m benchmarks.uploads [--mb 200]`` (``nox -s bench`` runs it with the default
50 MB). Both run in-process over ASGI (no network): pylive's through ``pylive.testing`` as the
official client sends it (change, preflight, ``lvu:`` channel, binary chunks of 64,000 bytes,
a progress event per chunk), Starlette's through httpx's ASGI transport to a route that reads the
form (``request.form()``: a spooled temporary file) and hashes it. Memory is ``tracemalloc``'s
peak above what was allocated before the upload (the file's bytes, held by the client, are
counted out). It prints figures; it never asserts.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import os
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
import htpy as h
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from benchmarks.live import table
from gallery.upload import sha256_of
from pylive import (
    Assigns,
    LiveApp,
    LiveRoute,
    LiveView,
    Socket,
    UploadEntry,
    live_file_input,
)
from pylive.testing import UploadFile, live

__all__ = ["main"]


class Receiver(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(digest="")
        socket.allow_upload("file", accept=None, max_file_size=1 << 40)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        def digest(path: Path, entry: UploadEntry) -> str:
            return sha256_of(path)

        socket.assign(digest=" ".join(await socket.consume_uploaded_entries("file", digest)))

    def render(self, assigns: Assigns) -> h.Element:
        return h.form("#f", phx_change="validate", phx_submit="save")[
            live_file_input(assigns.uploads.file), h.p("#digest")[assigns.digest]
        ]


async def _multipart(request: Request) -> PlainTextResponse:
    form = await request.form()
    upload = form["file"]
    digest = hashlib.sha256()
    while chunk := await upload.read(1 << 20):  # type: ignore[union-attr]
        digest.update(chunk)
    await form.close()
    return PlainTextResponse(digest.hexdigest())


async def run_pylive(data: bytes) -> tuple[float, str]:
    app = LiveApp([LiveRoute("/", Receiver)], secret_key="bench")
    async with live(app, "/", check_diffs=False, timeout=600) as view:
        start = time.perf_counter()
        await view.upload("input[type=file]", [UploadFile("big.bin", data)])
        await view.submit("#f")
        return time.perf_counter() - start, view.element("#digest").text


async def _raw(request: Request) -> PlainTextResponse:
    digest = hashlib.sha256()
    async for chunk in request.stream():
        digest.update(chunk)
    return PlainTextResponse(digest.hexdigest())


def _has_multipart() -> bool:
    return importlib.util.find_spec("python_multipart") is not None


async def run_starlette(data: bytes) -> tuple[float, str]:
    multipart = _has_multipart()
    routes = [Route("/upload", _multipart if multipart else _raw, methods=["POST"])]
    transport = httpx.ASGITransport(app=Starlette(routes=routes))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=600) as c:
        start = time.perf_counter()
        if multipart:
            response = await c.post("/upload", files={"file": ("big.bin", data)})
        else:  # python-multipart missing: the raw body, streamed
            response = await c.post("/upload", content=data)
        return time.perf_counter() - start, response.text


def measure(run: Any, data: bytes) -> tuple[float, int, str]:
    """Seconds, peak bytes allocated above the start, and the digest the server computed."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    seconds, digest = anyio.run(run, data)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return seconds, peak, digest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.uploads", description=__doc__)
    parser.add_argument("--mb", type=int, default=50, help="file size in MB (default 50)")
    args = parser.parse_args(argv)
    data = os.urandom(args.mb * 1_000_000)
    expected = hashlib.sha256(data).hexdigest()
    rows = []
    plain = (
        "Starlette multipart" if _has_multipart() else "Starlette raw body (no python-multipart)"
    )
    for name, run in (("pylive (live socket)", run_pylive), (plain, run_starlette)):
        seconds, peak, digest = measure(run, data)
        same = "yes" if digest == expected else "NO"
        rate = args.mb / seconds
        rows.append([name, f"{rate:,.1f} MB/s", f"{peak / 1_048_576:,.1f} MiB", same])
    print(f"Uploading {args.mb} MB in-process (tracemalloc peak above the start)")
    print(table(["server", "throughput", "peak memory", "checksum"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
