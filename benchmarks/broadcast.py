"""Broadcast to a thousand connected views: the time until every client has its diff.

Run ``python -m benchmarks.broadcast`` (``nox -s bench`` runs it); ``--views 200`` for a quick
run. The server is a real pylive server (hypercorn, uvloop worker if installed, else asyncio) in
a subprocess serving ``benchmarks/broadcast_app.py``: a ticker page of 20 rows, as a plain
LiveView (``/plain``: every view renders each tick itself) and as a broadcast view (``/shared``,
``BroadcastView``: one render, one diff, one JSON encoding per tick for all its viewers).

The clients are real WebSocket clients in this process: ``--views`` sockets (the lean client of
``benchmarks.wire``: RFC 6455 by hand over TCP), each joined to the page as the official client
joins, all polled with epoll from one thread. A round: note the time, ``POST /fire`` (the
server broadcasts one tick on the page's topic), then read every socket until each one has a
``diff`` push; **time-to-all** is from before the POST until the last client has read its diff
(so it includes the HTTP request, on a new TCP connection each time, and this client's own
reading of every frame: an upper bound). One warm-up round, then ``--rounds`` measured ones
(fewer, at least three, once ``--budget`` seconds are spent: a round of plain LiveViews takes
seconds under load); p50 and max over them.

Backends: ``memory://`` (one process), and Redis when ``redis-server`` is installed: a real
``redis-server`` on a free port, the viewers on one pylive process and the POST to a second one,
so that every tick crosses Redis. Also printed: the bytes of one client's diff frame and of all
of them per tick, and the viewers' server CPU time per tick (``/proc/<pid>/stat``).

It prints figures and PASS/MISS against the goal of issue #11 (time-to-all p50 < 250 ms with
1,000 views on a 2-core machine); it never asserts.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import platform
import selectors
import shutil
import socket
import statistics
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.live import Server, free_port, get_page, hypercorn
from benchmarks.wire import LeanWebSocket

__all__ = ["main"]

GOAL_MS = 250.0
WARMUP = 1
MIN_ROUNDS = 3
ROUND_TIMEOUT = 30.0
HEARTBEAT_EVERY = 20.0
"""Seconds between heartbeats on every socket (the server closes a socket silent for 60 s)."""


# ---------------------------------------------------------------------------------------------
# Clients


def _frames(buf: bytearray) -> list[bytes]:
    """Take the complete server frames (text or binary payloads) off the front of ``buf``."""
    out: list[bytes] = []
    while len(buf) >= 2:
        opcode, length, start = buf[0] & 0x0F, buf[1] & 0x7F, 2
        if length == 126:
            if len(buf) < 4:
                break
            length, start = struct.unpack_from("!H", buf, 2)[0], 4
        elif length == 127:
            if len(buf) < 10:
                break
            length, start = struct.unpack_from("!Q", buf, 2)[0], 10
        if len(buf) < start + length:
            break
        if opcode == 0x8:
            raise ConnectionError("the server closed a WebSocket")
        out.append(bytes(buf[start : start + length]))
        del buf[: start + length]
    return out


@dataclass(eq=False)
class _Conn:
    sock: socket.socket
    buf: bytearray
    ws: LeanWebSocket
    joined: bool = False


@dataclass
class Round:
    time_to_all_ms: float
    frame_bytes: int
    total_bytes: int
    missing: int


@dataclass
class Crowd:
    """``n`` clients joined to one page of the server on ``port``, polled from this thread."""

    port: int
    path: str
    n: int
    conns: list[_Conn] = field(default_factory=list)
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    last_heartbeat: float = 0.0

    def open(self) -> None:
        page = get_page(self.port, self.path)  # one page: every client joins its view
        url, headers = page.socket_request(self.port)
        join = _json(
            [
                "1",
                "1",
                f"lv:{page.view_id}",
                "phx_join",
                {
                    "url": f"http://127.0.0.1:{self.port}{self.path}",
                    "params": {"_csrf_token": page.csrf, "_mounts": 0},
                    "session": page.session,
                    "static": page.static,
                },
            ]
        )
        # every upgrade request first, then the answers as they come: the joins overlap
        handshakes: dict[socket.socket, bytes] = {}
        for _ in range(self.n):
            sock = LeanWebSocket.open(url, headers)
            sock.setblocking(False)
            handshakes[sock] = b""
            self.selector.register(sock, selectors.EVENT_READ)
        deadline = time.monotonic() + 120
        waiting: set[_Conn] = set()  # joined, the reply not read yet
        while handshakes or waiting:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(handshakes) + len(waiting)} of {self.n} not joined")
            for key, _ in self.selector.select(1.0):
                if isinstance(key.data, _Conn):
                    for frame in self._recv(key.data):
                        if b'"phx_reply"' in frame and key.data in waiting:
                            if b'"status":"ok"' not in frame:
                                raise RuntimeError(f"join refused: {frame[:300]!r}")
                            waiting.discard(key.data)
                    continue
                upgraded = key.fileobj
                assert isinstance(upgraded, socket.socket)
                handshakes[upgraded] += upgraded.recv(65536)
                ws = LeanWebSocket.accept(upgraded, handshakes[upgraded], url)
                if ws is None:
                    continue
                del handshakes[upgraded]
                conn = _Conn(upgraded, bytearray(ws.detach()[1]), ws)
                self.conns.append(conn)
                waiting.add(conn)
                self.selector.modify(upgraded, selectors.EVENT_READ, conn)
                upgraded.setblocking(True)
                upgraded.sendall(ws.frame(join))
                upgraded.setblocking(False)
        self.last_heartbeat = time.monotonic()

    def _recv(self, conn: _Conn) -> list[bytes]:
        """The frames completed by what ``conn`` has to read now."""
        try:
            data = conn.sock.recv(262144)
        except BlockingIOError:
            return []
        if not data:
            raise ConnectionError("the server closed a connection")
        conn.buf += data
        return _frames(conn.buf)

    def _read(self, timeout: float) -> list[tuple[_Conn, list[bytes]]]:
        got = []
        for key, _ in self.selector.select(timeout):
            conn: _Conn = key.data
            frames = self._recv(conn)
            if frames:
                got.append((conn, frames))
        return got

    def heartbeat(self) -> None:
        """Keep every socket alive (the reply is read and ignored with the next round)."""
        if time.monotonic() - self.last_heartbeat < HEARTBEAT_EVERY:
            return
        for conn in self.conns:
            frame = conn.ws.frame(_json([None, "hb", "phoenix", "heartbeat", {}]))
            conn.sock.setblocking(True)
            conn.sock.sendall(frame)
            conn.sock.setblocking(False)
        self.last_heartbeat = time.monotonic()

    def drain(self) -> None:
        """Read whatever is still queued (heartbeat replies)."""
        while self._read(0.05):
            pass

    def round(self, fire: Fire, n: int, retry: bool) -> Round:
        """Broadcast tick ``n`` and wait until every client has its diff."""
        self.heartbeat()
        self.drain()
        pending = set(self.conns)
        frame_bytes = total = 0
        t0 = time.perf_counter()
        fire.post(n)
        last = t0
        deadline = t0 + ROUND_TIMEOUT
        while pending and time.perf_counter() < deadline:
            got = self._read(1.0)
            if not got and retry and len(pending) == len(self.conns):
                t0 = time.perf_counter()  # lost before Redis confirmed the subscription
                fire.post(n)
                continue
            now = time.perf_counter()
            for conn, frames in got:
                for frame in frames:
                    if b'"diff"' in frame and conn in pending:
                        pending.discard(conn)
                        frame_bytes = len(frame)
                        total += len(frame)
                        last = now
        return Round((last - t0) * 1000, frame_bytes, total, len(pending))

    def close(self) -> None:
        for conn in self.conns:
            self.selector.unregister(conn.sock)
            conn.sock.close()
        self.selector.close()


def _json(value: object) -> str:
    import json

    return json.dumps(value, separators=(",", ":"))


class Fire:
    """``POST /fire`` on one server (a new connection each time: hypercorn closes idle
    keep-alive connections after 5 s)."""

    def __init__(self, port: int, kind: str) -> None:
        self.port = port
        self.kind = kind

    def post(self, n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", f"/fire?kind={self.kind}&n={n}")
            response = conn.getresponse()
            response.read()
        finally:
            conn.close()
        if response.status != 200:
            raise RuntimeError(f"POST /fire: HTTP {response.status}")


# ---------------------------------------------------------------------------------------------
# Servers


def _worker_class() -> str:
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def _server(name: str, pubsub: str) -> Server:
    port = free_port()
    argv = hypercorn("benchmarks.broadcast_app:app", port, _worker_class())
    return Server(name, argv, port, name, env={"PYLIVE_PUBSUB": pubsub})


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of process ``pid`` and its children (hypercorn's
    worker)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(_cpu_seconds(int(child)) for child in children)


class RedisProcess:
    """A ``redis-server`` on a free port: no persistence, stopped by its PID."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.TemporaryDirectory()
        self.proc = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", self.dir.name),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self._ping():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.dir.cleanup()


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Result:
    backend: str
    kind: str
    rounds: list[Round]
    cpu_ms: float

    @property
    def times(self) -> list[float]:
        return [r.time_to_all_ms for r in self.rounds]


def measure(
    viewers: Server,
    publisher: Server,
    backend: str,
    kind: str,
    views: int,
    rounds: int,
    budget: float,
) -> Result:
    """``rounds`` measured broadcasts, fewer (at least ``MIN_ROUNDS``) if they take more than
    ``budget`` seconds."""
    crowd = Crowd(viewers.port, f"/{kind}", views)
    fire = Fire(publisher.port, kind)
    try:
        started = time.monotonic()
        crowd.open()
        print(f"  {backend}, {kind}: {views} views joined in {time.monotonic() - started:.1f} s")
        for n in range(WARMUP):
            crowd.round(fire, n, retry=True)
        assert viewers.proc is not None
        cpu0 = _cpu_seconds(viewers.proc.pid)
        done: list[Round] = []
        deadline = time.monotonic() + budget
        while len(done) < rounds and (len(done) < MIN_ROUNDS or time.monotonic() < deadline):
            done.append(crowd.round(fire, WARMUP + len(done), retry=False))
        cpu = (_cpu_seconds(viewers.proc.pid) - cpu0) / len(done) * 1000
    finally:
        crowd.close()
    time.sleep(1.0)  # let the server end the views before the next crowd
    return Result(backend, kind, done, cpu)


def run_backend(backend: str, pubsub: str, views: int, rounds: int, budget: float) -> list[Result]:
    viewers = _server(f"pylive ({backend})", pubsub)
    servers = [viewers]
    publisher = viewers
    if backend == "redis":  # the tick comes from another process, through Redis
        publisher = _server("pylive publisher (redis)", pubsub)
        servers.append(publisher)
    try:
        for server in servers:
            server.start(None)
        for server in servers:
            server.wait_ready("/plain")
        return [
            measure(viewers, publisher, backend, kind, views, rounds, budget)
            for kind in ("plain", "shared")
        ]
    finally:
        for server in servers:
            server.stop()


def report(results: list[Result], views: int) -> None:
    print()
    header = (
        f"{'backend':<8} {'views':<13} {'rounds':>6} {'p50 ms':>8} {'max ms':>8} {'goal':>5} "
        f"{'frame B':>8} {'B/tick':>9} {'CPU ms/tick':>11} {'lost':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        p50, worst = statistics.median(r.times), max(r.times)
        verdict = "PASS" if p50 < GOAL_MS else "MISS"
        frame = statistics.median(x.frame_bytes for x in r.rounds)
        total = statistics.median(x.total_bytes for x in r.rounds)
        lost = sum(x.missing for x in r.rounds)
        label = "plain" if r.kind == "plain" else "broadcast"
        print(
            f"{r.backend:<8} {label:<13} {len(r.rounds):>6} {p50:>8.1f} {worst:>8.1f} {verdict:>5} "
            f"{frame:>8.0f} {total:>9.0f} {r.cpu_ms:>11.1f} {lost:>5}"
        )
    print()
    for backend in dict.fromkeys(r.backend for r in results):
        pair = {r.kind: statistics.median(r.times) for r in results if r.backend == backend}
        if "plain" in pair and "shared" in pair and pair["shared"] > 0:
            print(
                f"{backend}: broadcast views reach all {views} clients "
                f"{pair['plain'] / pair['shared']:.1f}x faster than plain LiveViews (p50)"
            )
    print(
        f"\ngoal: time-to-all p50 < {GOAL_MS:.0f} ms with 1,000 views on a 2-core machine; "
        f"this run: {views} views"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--views", type=int, default=1000, help="connected clients (1000)")
    parser.add_argument("--rounds", type=int, default=15, help="measured broadcasts (15)")
    parser.add_argument(
        "--budget", type=float, default=8.0, help="seconds of measured rounds per case (8)"
    )
    args = parser.parse_args(argv)
    print(
        f"broadcast benchmark: {args.views} views, {args.rounds} rounds; "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
        f"hypercorn {_worker_class()} worker, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    started = time.monotonic()
    results = run_backend("memory", "memory://", args.views, args.rounds, args.budget)
    if shutil.which("redis-server") is None:
        print("redis-server is not installed: the Redis backend is skipped")
    elif importlib.util.find_spec("redis") is None:
        print("the redis extra is not installed: the Redis backend is skipped")
    else:
        redis = RedisProcess()
        try:
            results += run_backend("redis", redis.url, args.views, args.rounds, args.budget)
        finally:
            redis.stop()
    report(results, args.views)
    print(f"(run took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
