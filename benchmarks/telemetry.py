"""What telemetry costs per event: the counter demo served with nothing listening, and with
``pylive.telemetry.Metrics`` attached; optionally next to a checkout without telemetry.

Run ``python -m benchmarks.telemetry`` (``--baseline DIR``: also serve the counter from the
pylive checkout in ``DIR``, e.g. a git worktree of the commit before telemetry). Each subject is
the gallery's ``Counter`` alone in a ``LiveApp``, served by hypercorn (asyncio) in a subprocess
of its own; this process drives them over ``ws://127.0.0.1`` with ``benchmarks.live``'s client
(the lean blocking WebSocket), in interleaved rounds, and prints the median round trip of a
click and the server's CPU time per click (from ``/proc/PID/task/*/schedstat``, which a busy
machine disturbs far less than wall-clock round trips), each with its ratio to the first
subject. It asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import timeit
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.live import (
    ROOT,
    Budget,
    Driver,
    LiveClient,
    Server,
    free_port,
    interleaved,
    split_cpus,
)
from pylive.telemetry import Metrics, Telemetry

PATH = "/demos/counter"

SERVE = """
import sys
sys.path.insert(0, {root!r})
import asyncio
from hypercorn.asyncio import serve
from hypercorn.config import Config
from gallery.counter import Counter
from pylive import LiveApp, LiveRoute

app = LiveApp([LiveRoute({path!r}, Counter)], secret_key="benchmarks-telemetry-not-secret")
if {metrics!r}:
    from pylive.telemetry import Metrics

    app.telemetry.attach(Metrics())
config = Config()
config.bind = ["127.0.0.1:{port}"]
asyncio.run(serve(app, config))
"""
"""A subject's server: pylive imported from ``root`` (put first on the path)."""


def subject(name: str, root: Path, metrics: bool, description: str) -> Server:
    port = free_port()
    code = SERVE.format(root=str(root), path=PATH, metrics=metrics, port=port)
    return Server(name, [sys.executable, "-c", code], port, description)


def cpu_ns(server: Server) -> int | None:
    """CPU time the server process has used so far, in ns (Linux's schedstat; else None)."""
    assert server.proc is not None
    tasks = Path(f"/proc/{server.proc.pid}/task")
    try:
        return sum(int((t / "schedstat").read_text().split()[0]) for t in tasks.iterdir())
    except OSError:
        return None


async def measure(
    servers: dict[str, Server], budget: Budget
) -> dict[str, tuple[list[int], float | None]]:
    """Each subject's round trips, and its server's CPU time per click (ns)."""
    clients = {name: LiveClient(server.port, PATH, "lean") for name, server in servers.items()}
    for client in clients.values():
        await client.open()
    drivers = {name: Driver(client, "inc") for name, client in clients.items()}
    before = {name: cpu_ns(server) for name, server in servers.items()}
    samples = await interleaved(drivers, budget)
    out: dict[str, tuple[list[int], float | None]] = {}
    for name, server in servers.items():
        start, end = before[name], cpu_ns(server)
        clicks = budget.warmup + len(samples[name].rtt_ns)
        cpu = None if start is None or end is None else (end - start) / clicks
        out[name] = (samples[name].rtt_ns, cpu)
    for client in clients.values():
        await client.close()
    return out


def per_click_costs(n: int = 100_000) -> tuple[float, float]:
    """In this process, the best of 5 runs of ``n``, in ns per click: what the channel checks
    when nothing listens (``telemetry.active`` before timing the event and the render, the
    DEBUG level of its log), and what a ``Metrics`` handler does with the two events a click
    executes (``handle_event`` and ``render``)."""
    idle = Telemetry()
    channel_log = logging.getLogger("pylive.channel")

    def nothing_listens() -> None:
        _ = idle.active or channel_log.isEnabledFor(logging.DEBUG)
        _ = idle.active

    busy = Telemetry()
    busy.attach(Metrics(process=False))
    meta = {"view": "gallery.counter.Counter", "topic": "lv:phx-1", "event": "inc"}

    def metrics_attached() -> None:
        busy.execute("pylive.live_view.handle_event", {"duration": 0.0002}, meta)
        busy.execute("pylive.live_view.render", {"duration": 0.0001, "bytes": 90}, meta)

    def best(job: Callable[[], None]) -> float:
        return min(timeit.repeat(job, number=n, repeat=5)) / n * 1e9

    return best(nothing_listens), best(metrics_attached)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.telemetry", description=__doc__)
    parser.add_argument("--baseline", type=Path, help="a pylive checkout without telemetry")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the budgets")
    args = parser.parse_args(argv)

    servers: dict[str, Server] = {}
    if args.baseline is not None:
        servers["baseline"] = subject(
            "baseline", args.baseline.resolve(), False, f"pylive from {args.baseline}"
        )
    servers["off"] = subject("off", ROOT, False, "this checkout, nothing attached")
    servers["metrics"] = subject("metrics", ROOT, True, "this checkout, Metrics attached")

    client_cpu, server_cpus = split_cpus()
    print("Telemetry overhead: counter click round trips (median of interleaved rounds)")
    print(f"  load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for server in servers.values():
        print(f"  {server.name}: {server.description}")
    try:
        for server in servers.values():
            server.start(server_cpus)
        for server in servers.values():
            server.wait_ready(PATH)
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})
        iters = max(10, round(4000 * args.scale))
        budget = Budget(iters, 30 * args.scale, 300, rounds=10)
        results = asyncio.run(measure(servers, budget))
    finally:
        for server in servers.values():
            server.stop()
    first_rtt, first_cpu = next(iter(results.values()))
    print(
        f"  {'subject':<10} {'RTT median':>11} {'ratio':>6} {'server CPU/click':>17} {'ratio':>6}"
    )
    for name, (rtts, cpu) in results.items():
        median = statistics.median(rtts)
        cpu_text = "n/a" if cpu is None else f"{cpu / 1e3:.1f}µs"
        cpu_ratio = "n/a" if cpu is None or not first_cpu else f"{cpu / first_cpu:.3f}"
        print(
            f"  {name:<10} {median / 1e3:>9.1f}µs {median / statistics.median(first_rtt):>6.3f} "
            f"{cpu_text:>17} {cpu_ratio:>6}"
        )
    print("  (CPU per click: the server's CPU time over all clicks, heartbeats included)")
    idle_ns, metrics_ns = per_click_costs()
    print(
        f"  per click, in this process: {idle_ns:.0f} ns of checks when nothing listens, "
        f"{metrics_ns / 1e3:.1f} µs in the Metrics handler when attached"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
