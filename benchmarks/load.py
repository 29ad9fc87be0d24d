"""Many connected LiveViews on one server: memory per idle view, event latency, joins per second.

Run ``nox -s load`` or ``python -m benchmarks.load`` (pyview-web is measured too when it can
be imported). Each subject's server runs in a subprocess on 127.0.0.1 (hypercorn, asyncio
worker, one process); this process is the load generator (asyncio, the ``websockets`` client):

* **pylive**: the gallery's counter (``python -m gallery``, so ``pylive serve``);
* **pyview**: the same counter in pyview-web (``benchmarks/live_pyview_app.py`` on hypercorn);
* **echo**: a raw ASGI WebSocket echo on hypercorn (``benchmarks/live_echo.py``), the floor:
  what hypercorn and the kernel keep per connection with no framework at all.

Every client offers permessage-deflate as browsers do (``--no-deflate``: none offers it); the
header of the run says which servers accepted. A client opens the page once, then every
connection joins the view with its tokens, as a browser tab does after the page load. At 1,
50 and ``--views`` (10,000) connected views it reports the joins per second of the new
connections, then sends ``--rate`` events per second to random views for ``--seconds`` and
reports the latency of their replies (p50, p99). At the top level it reports the server's RSS
(every process of the server) and the RSS per idle view: the growth from the server's RSS
after a warm-up, divided by the number of views. Every LiveView sends a Phoenix heartbeat
every 30 seconds, like the official client. ``--soak SECONDS`` then keeps the events and
heartbeats going and samples the RSS every 10 seconds, to show whether it grows.

Raises this process's open-file limit as far as the hard limit allows (one descriptor per
connection). Figures and ratios only; never assertions. Compare subjects within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import os
import random
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from benchmarks.live import (
    _REF,
    COUNTER_PATH,
    Page,
    Server,
    free_port,
    gallery_server,
    get_page,
    hypercorn,
    pyview_available,
    table,
)

__all__ = ["LoadClient", "main", "server_rss"]

HEARTBEAT_EVERY = 30.0
"""Seconds between two heartbeats of one connection (the official client's default)."""
OPENING = 64
"""Connections being opened at once."""
WARM_UP_VIEWS = 20


def server_rss(pid: int) -> int:
    """Resident bytes of process ``pid`` and all its descendants (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def raise_open_files(wanted: int) -> int:
    """Raise the soft RLIMIT_NOFILE towards ``wanted`` (bounded by the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


@dataclass
class View:
    """One connection (and, for a LiveView, its joined channel)."""

    ws: ClientConnection
    topic: str = ""
    join_ref: str | None = None
    ref: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def request(self, topic: str, event: str, payload: object, join_ref: str | None) -> str:
        """Send a frame and return the reply with its ref (frames in between are skipped)."""
        async with self.lock:
            self.ref += 1
            ref = str(self.ref)
            await self.ws.send(json.dumps([join_ref, ref, topic, event, payload]))
            while True:
                frame = await self.ws.recv()
                assert isinstance(frame, str)
                m = _REF.match(frame)
                if m is None or m.group(1) == ref:  # the echo's replies carry no ref
                    return frame


@dataclass
class LoadClient:
    """Opens views on one server and drives them.

    ``page`` is None for the echo, whose "join" is the WebSocket handshake alone.
    """

    port: int
    page: Page | None
    path: str = COUNTER_PATH
    deflate: bool = True
    views: list[View] = field(default_factory=list)
    extensions: set[str] = field(default_factory=set)

    @classmethod
    def for_live(cls, port: int, path: str = COUNTER_PATH, deflate: bool = True) -> LoadClient:
        return cls(port, get_page(port, path), path, deflate)

    async def _open_one(self) -> View:
        page = self.page
        if page is None:
            url, headers = f"ws://127.0.0.1:{self.port}/echo?reply=64", {}
        else:
            url, headers = page.socket_request(self.port)
        ws = await connect(
            url,
            additional_headers=headers,
            compression="deflate" if self.deflate else None,
            ping_interval=None,
            max_size=None,
            proxy=None,
            open_timeout=120,
        )
        assert ws.response is not None
        self.extensions.add(ws.response.headers.get("Sec-WebSocket-Extensions", "none"))
        view = View(ws)
        if page is None:  # one round trip, as a join is: the floor's buffers are set up
            await view.request("", "join", {}, None)
        else:
            view.topic = f"lv:{page.view_id}"
            view.join_ref = "1"
            payload = {
                "url": f"http://127.0.0.1:{self.port}{self.path}",
                "params": {"_csrf_token": page.csrf, "_mounts": 0},
                "session": page.session,
                "static": page.static,
            }
            reply = json.loads(await view.request(view.topic, "phx_join", payload, "1"))
            if reply[4].get("status") != "ok":
                raise RuntimeError(f"join failed: {reply[4]}")
        return view

    async def open(self, total: int) -> float:
        """Open views until there are ``total``; returns the seconds it took."""
        started = time.perf_counter()
        missing = total - len(self.views)
        gate = asyncio.Semaphore(OPENING)

        async def one() -> None:
            async with gate:
                self.views.append(await self._open_one())

        async with asyncio.TaskGroup() as tg:
            for _ in range(missing):
                tg.create_task(one())
        return time.perf_counter() - started

    async def event(self, view: View) -> float:
        """One click (or one echo round trip); seconds until its reply."""
        started = time.perf_counter()
        if self.page is None:
            await view.request("", "event", {}, None)
        else:
            payload = {"type": "click", "event": "inc", "value": {}}
            reply = json.loads(await view.request(view.topic, "event", payload, view.join_ref))
            if reply[4].get("status") != "ok":
                raise RuntimeError(f"event failed: {reply[4]}")
        return time.perf_counter() - started

    async def steady(self, rate: float, seconds: float) -> list[float]:
        """Events at ``rate`` per second to random views for ``seconds``; their latencies."""
        latencies: list[float] = []

        async def one(view: View) -> None:
            latencies.append(await self.event(view))

        async with asyncio.TaskGroup() as tg:
            start = time.perf_counter()
            for k in range(max(1, round(rate * seconds))):
                delay = start + k / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tg.create_task(one(random.choice(self.views)))
        return latencies

    async def heartbeats(self) -> None:
        """Forever: every view sends a heartbeat about every ``HEARTBEAT_EVERY`` seconds
        (views opened meanwhile included), as the official client does: each second, the
        next ``1 / HEARTBEAT_EVERY`` of the views."""
        if self.page is None:
            return  # the echo has no heartbeat timeout, and its replies carry no ref
        pending: set[asyncio.Task[None]] = set()
        k = 0
        while True:
            await asyncio.sleep(1)
            views = self.views
            for _ in range(math.ceil(len(views) / HEARTBEAT_EVERY)):
                k = (k + 1) % len(views)
                task = asyncio.create_task(self._heartbeat(views[k]))
                pending.add(task)
                task.add_done_callback(pending.discard)

    @staticmethod
    async def _heartbeat(view: View) -> None:
        """Send a heartbeat now, whatever the view is waiting for (its reply is skipped by the
        view's next request): a heartbeat held up behind a slow request could come too late."""
        frame = json.dumps([None, "heartbeat", "phoenix", "heartbeat", {}])
        with contextlib.suppress(ConnectionClosed):
            await view.ws.send(frame)

    async def close(self) -> None:
        async with asyncio.TaskGroup() as tg:
            for view in self.views:
                tg.create_task(view.ws.close())
        self.views.clear()


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Level:
    views: int
    joins_per_s: float
    p50_ms: float
    p99_ms: float
    events: int


@dataclass
class Result:
    subject: str
    extensions: str
    levels: list[Level] = field(default_factory=list)
    base_rss: int = 0
    full_rss: int = 0
    soak: list[tuple[float, int]] = field(default_factory=list)

    @property
    def per_view(self) -> float:
        top = self.levels[-1].views if self.levels else 0
        return (self.full_rss - self.base_rss) / top if top else 0.0


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(
    name: str, server: Server, levels: Sequence[int], args: argparse.Namespace
) -> Result:
    assert server.proc is not None
    pid = server.proc.pid
    live = name != "echo"
    client = (
        LoadClient.for_live(server.port, deflate=not args.no_deflate)
        if live
        else LoadClient(server.port, None, deflate=not args.no_deflate)
    )
    await client.open(WARM_UP_VIEWS)  # imports, first renders, buffers: not per view
    await client.steady(100, 0.5)
    await client.close()
    await asyncio.sleep(1)
    result = Result(name, "")
    result.base_rss = server_rss(pid)
    beating = asyncio.create_task(client.heartbeats())
    try:
        for n in levels:
            before = len(client.views)
            took = await client.open(n)
            print(f"  {name}: {n:,} views connected ({took:.1f} s)", flush=True)
            await asyncio.sleep(1)
            # this process's own collector must not walk its n connections amid the events (a
            # full collection here took 0.8 s at 10,000): their latencies are the server's
            gc.collect()
            gc.freeze()
            if n == levels[-1]:
                result.full_rss = server_rss(pid)
            lat = await client.steady(args.rate, args.seconds)
            result.levels.append(
                Level(
                    n,
                    (n - before) / took,
                    _quantile(lat, 0.5) * 1000,
                    _quantile(lat, 0.99) * 1000,
                    len(lat),
                )
            )
        if args.soak:
            started = time.perf_counter()
            while (elapsed := time.perf_counter() - started) < args.soak:
                result.soak.append((elapsed, server_rss(pid)))
                await client.steady(args.rate, min(10.0, args.soak - elapsed))
            result.soak.append((time.perf_counter() - started, server_rss(pid)))
    finally:
        beating.cancel()
        result.extensions = ", ".join(sorted(client.extensions))
        await client.close()
    return result


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def _kib(n: float) -> str:
    return f"{n / 1024:,.1f} KiB"


def report(results: list[Result], args: argparse.Namespace) -> None:
    offer = "none" if args.no_deflate else "permessage-deflate offered"
    print(f"\nExtensions ({offer}): " + "; ".join(f"{r.subject}: {r.extensions}" for r in results))
    rows = []
    for r in results:
        for lv in r.levels:
            rows.append(
                [
                    r.subject,
                    f"{lv.views:,}",
                    f"{lv.joins_per_s:,.0f}",
                    f"{lv.p50_ms:.2f} ms",
                    f"{lv.p99_ms:.2f} ms",
                    f"{lv.events:,}",
                ]
            )
    print(f"\nEvents at {args.rate:g}/s for {args.seconds:g} s at each level")
    print(table(["subject", "views", "joins/s", "event p50", "event p99", "events"], rows))
    by = {r.subject: r for r in results}
    floor = by.get("echo")
    peer = by.get("pyview")
    rows = []
    for r in results:
        rows.append(
            [
                r.subject,
                _mib(r.base_rss),
                _mib(r.full_rss),
                _kib(r.per_view),
                _kib(r.per_view - floor.per_view) if floor and r is not floor else "",
                f"{peer.per_view / r.per_view:.2f}x"
                if peer and r is not peer and r.per_view
                else "",
            ]
        )
    top = results[0].levels[-1].views if results and results[0].levels else 0
    print(f"\nServer memory (RSS of the server's processes) with {top:,} idle views")
    head = ["subject", "RSS after warm-up", f"RSS at {top:,}", "per view", "above echo"]
    print(table([*head, "pyview/subject"], rows))
    for r in results:
        if r.soak:
            samples = ", ".join(f"{t:.0f} s {_mib(rss)}" for t, rss in r.soak)
            print(f"\nSoak, {r.subject}: {samples}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--views", type=int, default=10_000, help="views at the top level")
    parser.add_argument("--rate", type=float, default=200.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="event phase per level")
    parser.add_argument("--soak", type=float, default=0.0, help="soak seconds (default off)")
    parser.add_argument("--no-deflate", action="store_true", help="clients offer no deflate")
    parser.add_argument("--no-pyview", action="store_true", help="skip pyview")
    parser.add_argument(
        "--pyview-python", metavar="PATH", help="a Python with pyview-web (default: this one)"
    )
    parser.add_argument("--only", choices=("pylive", "pyview", "echo"), action="append")
    args = parser.parse_args(argv)
    levels = sorted({n for n in (1, 50, args.views) if n <= args.views})
    limit = raise_open_files(args.views + 1000)
    if limit < args.views + 100:
        parser.error(f"open-file limit {limit} is too low for {args.views:,} views")

    servers: dict[str, Server] = {"pylive": gallery_server("asyncio")}
    if (args.pyview_python or pyview_available()) and not args.no_pyview:
        port = free_port()
        command = hypercorn("benchmarks.live_pyview_app:app", port, "asyncio")
        servers["pyview"] = Server(
            "pyview",
            [args.pyview_python or sys.executable, *command[1:]],
            port,
            "benchmarks/live_pyview_app.py",
            env={"PYVIEW_SECRET": "benchmarks-load-not-secret"},
        )
    port = free_port()
    servers["echo"] = Server(
        "echo", hypercorn("benchmarks.live_echo:app", port, "asyncio"), port, "live_echo.py"
    )
    if args.only:
        servers = {k: v for k, v in servers.items() if k in args.only}
    print(
        f"Load: {args.views:,} views per server, events {args.rate:g}/s; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}; "
        + time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    )
    results = []
    for name, server in servers.items():  # one at a time: they share the CPUs
        server.start(None)
        try:
            server.wait_ready(COUNTER_PATH if name != "echo" else "/")
            results.append(asyncio.run(measure(name, server, levels, args)))
        except Exception:
            print(f"--- {name} server output (tail) ---\n{server.output()}", file=sys.stderr)
            raise
        finally:
            server.stop()
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
