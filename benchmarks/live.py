"""End-to-end LiveView benchmark: real servers, a real WebSocket, the Phoenix V2 wire protocol.

Run ``python -m benchmarks.live`` (``nox -s bench`` runs it after ``benchmarks.engine``). Three
subjects, each served by hypercorn (asyncio worker) in its own subprocess, driven one at a time
by the client of this process over ``ws://127.0.0.1``:

* **pylive**: the gallery (``python -m gallery --port N``: ``/demos/counter``,
  ``/demos/table?rows=1000``);
* **pyview** (pyview-web, when importable): the same pages in ``benchmarks/live_pyview_app.py``;
* **echo**: ``benchmarks/live_echo.py``, a raw ASGI WebSocket echo. It answers each frame the
  size of pylive's event push with a frame the size of pylive's reply: the floor.

The client does what the official one does: GET the page (keeping cookies), read ``id``,
``data-phx-session`` and ``data-phx-static`` of the ``[data-phx-main]`` container and the
``csrf-token`` meta, connect to ``/live/websocket?_csrf_token=…&vsn=2.0.0``, send ``phx_join``,
then push ``event`` messages (``{"type":"click","event":…,"value":…}``) and wait for the
``phx_reply`` with the same ref. A round trip (RTT) is from just before ``send`` to the arrival of
that reply; the reply is decoded after the clock stops. Subjects are measured in interleaved
rounds, so a disturbance on the machine hits all of them alike. Figures are medians.

The client's WebSocket is ``benchmarks.wire.LeanWebSocket``, a blocking socket that adds almost
nothing to a round trip, as a browser's native WebSocket does. The counter is measured once more
through the ``websockets`` library's asyncio client, whose own cost raises every round trip
(echo included) by a constant; both sets of verdicts are printed.

Also measured in this process, on the very view class the pylive server runs: render+diff of
each update through ``pylive.view_tree.ViewTree.diff`` (the seam the channel calls), and
pyview's render (``LiveView.render(...).tree()``) + ``calc_diff`` for the same updates.

It prints figures and PASS/MISS against the targets of issue #4; it never asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import http.client
import importlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks.wire import LeanWebSocket, Wire, open_wire

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
COUNTER_PATH = "/demos/counter"
COUNTER = "counter click"
COUNTER_LIBRARY = "counter click (websockets client)"
CONNECTIONS = 50  # the closed-loop counter: connections, each with one event in flight
TABLE_PATH = "/demos/table"

Json = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# Servers


@dataclass
class Server:
    """A subject's server process (hypercorn, asyncio worker) on 127.0.0.1:port."""

    name: str
    argv: list[str]
    port: int
    description: str
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log: Any = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, cpus: set[int] | None) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))

        def pin() -> None:
            if cpus:
                os.sched_setaffinity(0, cpus)

        self.proc = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            preexec_fn=pin,
        )

    def wait_ready(self, probe: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited:\n{self.output()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", probe)
                status = conn.getresponse().status
                conn.close()
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} server not ready after {timeout:.0f}s:\n{self.output()}")

    def output(self) -> str:
        if self.log is None:
            return ""
        self.log.seek(0)
        return str(self.log.read()[-4000:].decode(errors="replace"))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log is not None:
            self.log.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hypercorn(app: str, port: int, worker_class: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "hypercorn",
        "--worker-class",
        worker_class,
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ]


def hypercorn_server(
    name: str, app: str, worker_class: str, description: str, env: dict[str, str] | None = None
) -> Server:
    """A subject served by ``hypercorn`` (``app``: ``module:attribute``) on a free port."""
    port = free_port()
    return Server(name, hypercorn(app, port, worker_class), port, description, env=env or {})


def pyview_available() -> bool:
    return importlib.util.find_spec("pyview") is not None


# ---------------------------------------------------------------------------------------------
# The page: container attributes, CSRF meta, the container's inner HTML


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


class _PageParser(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for m in re.finditer("\n", text):
            self.line_starts.append(m.end())
        self.csrf: str | None = None
        self.container: dict[str, str] | None = None
        self.inner: tuple[int, int] | None = None
        self._depth = -1  # -1: outside the container

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and a.get("name") == "csrf-token":
            self.csrf = a.get("content")
        if self._depth >= 0:
            if tag not in _VOID:
                self._depth += 1
        elif self.container is None and "data-phx-main" in a:
            self.container = a
            self._depth = 0
            start_text = self.get_starttag_text() or ""
            self.inner = (self._offset() + len(start_text), -1)

    def handle_endtag(self, tag: str) -> None:
        if self._depth < 0 or tag in _VOID:
            return
        if self._depth == 0:
            assert self.inner is not None
            self.inner = (self.inner[0], self._offset())
            self._depth = -1
        else:
            self._depth -= 1


@dataclass
class Page:
    view_id: str
    session: str
    static: str
    csrf: str
    cookies: str
    html_bytes: int  # the container's inner HTML (the LiveView's dead render)

    def socket_request(self, port: int) -> tuple[str, dict[str, str]]:
        """The live socket's URL and the headers the browser sends to open it for this page."""
        url = (
            f"ws://127.0.0.1:{port}/live/websocket"
            f"?_csrf_token={quote(self.csrf, safe='')}&vsn=2.0.0"
        )
        headers = {"Origin": f"http://127.0.0.1:{port}"}
        if self.cookies:
            headers["Cookie"] = self.cookies
        return url, headers


def get_page(port: int, path: str) -> Page:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept": "text/html"})
    resp = conn.getresponse()
    body = resp.read().decode()
    cookies = "; ".join(c.split(";", 1)[0] for c in resp.msg.get_all("Set-Cookie") or [])
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {resp.status}")
    parser = _PageParser(body)
    parser.feed(body)
    parser.close()
    c = parser.container
    if c is None or parser.csrf is None or parser.inner is None or parser.inner[1] < 0:
        raise RuntimeError(f"GET {path}: no [data-phx-main] container or csrf-token meta")
    start, end = parser.inner
    return Page(
        view_id=c["id"],
        session=c.get("data-phx-session", ""),
        static=c.get("data-phx-static", ""),
        csrf=parser.csrf,
        cookies=cookies,
        html_bytes=len(body[start:end].encode()),
    )


# ---------------------------------------------------------------------------------------------
# Clients


_REF = re.compile(r'\[\s*(?:null|"[^"]*")\s*,\s*"([^"]*)"')
"""The ref (second element) of a V2 frame, read without decoding the frame."""


def compact(obj: Any) -> int:
    """Bytes of ``obj`` as compact JSON (pyview sends spaces after separators; pylive none)."""
    return len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode())


@dataclass
class Reply:
    rtt_ns: int
    frame_bytes: int
    diff_bytes: int
    diff: Any


class LiveClient:
    """One LiveView joined over the Phoenix V2 protocol, like the official client does."""

    def __init__(self, port: int, path: str, wire: str) -> None:
        self.port = port
        self.path = path
        self.wire = wire
        self.ref = 0
        self.join_ref = ""
        self.topic = ""
        self.ws: Wire | None = None
        self.page: Page | None = None
        self.join_rendered: Json = {}
        self.join_frame_bytes = 0

    def _next_ref(self) -> str:
        self.ref += 1
        return str(self.ref)

    async def open(self) -> None:
        page = await asyncio.to_thread(get_page, self.port, self.path)
        self.page = page
        self.ws = await open_wire(self.wire, *page.socket_request(self.port))
        self.topic = f"lv:{page.view_id}"
        self.join_ref = self._next_ref()
        payload = {
            "url": f"http://127.0.0.1:{self.port}{self.path}",
            "params": {"_csrf_token": page.csrf, "_mounts": 0},
            "session": page.session,
            "static": page.static,
        }
        frame, _ = await self._request("phx_join", payload, self.join_ref, self.join_ref)
        reply = json.loads(frame)[4]
        if reply.get("status") != "ok":
            raise RuntimeError(f"join {self.path} failed: {reply}")
        self.join_rendered = reply["response"]["rendered"]
        self.join_frame_bytes = len(frame.encode())

    async def _request(
        self, event: str, payload: Json, ref: str, join_ref: str | None, topic: str | None = None
    ) -> tuple[str, int]:
        assert self.ws is not None
        text = json.dumps([join_ref, ref, topic or self.topic, event, payload])
        ws = self.ws
        t0 = time.perf_counter_ns()
        await ws.send(text)
        while True:
            frame = await ws.recv()
            m = _REF.match(frame)
            if m is not None and m.group(1) == ref:
                return frame, time.perf_counter_ns() - t0

    def _event_text(self, event: str, value: Json, ref: str) -> str:
        payload = {"type": "click", "event": event, "value": value}
        return json.dumps([self.join_ref, ref, self.topic, "event", payload])

    def event_frame(self, event: str, value: Json) -> str:
        """What ``push`` would send next (to size the echo's frames)."""
        return self._event_text(event, value, str(self.ref + 1))

    def next_event(self, event: str, value: Json) -> tuple[str, str | None]:
        """The next event's frame and the ref its reply carries (for ``closed_loop``)."""
        ref = self._next_ref()
        return self._event_text(event, value, ref), ref

    async def push(self, event: str, value: Json) -> Reply:
        payload = {"type": "click", "event": event, "value": value}
        frame, rtt = await self._request("event", payload, self._next_ref(), self.join_ref)
        reply = json.loads(frame)[4]
        if reply.get("status") != "ok":
            raise RuntimeError(f"event {event} failed: {reply}")
        diff = reply["response"].get("diff", {})
        return Reply(rtt, len(frame.encode()), compact(diff), diff)

    async def heartbeat(self) -> None:
        """Keeps the server's heartbeat watchdog quiet between rounds."""
        await self._request("heartbeat", {}, self._next_ref(), None, "phoenix")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


class EchoClient:
    """The floor: a frame of ``send_size`` bytes out, a frame of ``reply_size`` bytes back."""

    def __init__(self, port: int, frame: str, reply_size: int, wire: str) -> None:
        self.port = port
        self.frame = frame
        self.reply_size = reply_size
        self.wire = wire
        self.ws: Wire | None = None

    async def open(self) -> None:
        url = f"ws://127.0.0.1:{self.port}/echo?reply={self.reply_size}"
        self.ws = await open_wire(self.wire, url, {})

    async def push(self) -> Reply:
        ws = self.ws
        assert ws is not None
        t0 = time.perf_counter_ns()
        await ws.send(self.frame)
        frame = await ws.recv()
        rtt = time.perf_counter_ns() - t0
        _REF.match(frame)  # the same per-frame check the LiveView client makes
        return Reply(rtt, len(frame.encode()), 0, None)

    def next_event(self) -> tuple[str, str | None]:
        """The frame to send, and None: any frame answers it."""
        return self.frame, None

    async def heartbeat(self) -> None:
        pass

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Budget:
    """Per subject and scenario: at most ``iters`` samples or ``seconds``, whichever first."""

    iters: int
    seconds: float
    warmup: int
    rounds: int = 5


@dataclass
class RoundTrips:
    rtt_ns: list[int] = field(default_factory=list)

    @property
    def median_us(self) -> float:
        return statistics.median(self.rtt_ns) / 1e3

    @property
    def p90_us(self) -> float:
        return _quantile(self.rtt_ns, 0.9) / 1e3


@dataclass
class Samples(RoundTrips):
    frame_bytes: list[int] = field(default_factory=list)
    diff_bytes: list[int] = field(default_factory=list)
    last_diff: Any = None

    def add(self, r: Reply) -> None:
        self.rtt_ns.append(r.rtt_ns)
        self.frame_bytes.append(r.frame_bytes)
        self.diff_bytes.append(r.diff_bytes)
        self.last_diff = r.diff


def _quantile(values: Sequence[float], q: float) -> float:
    s = sorted(values)
    return float(s[min(len(s) - 1, int(q * len(s)))])


def _no_value(k: int) -> Json:
    return {}


@dataclass
class Driver:
    """Sends the k-th update of a scenario to one subject: ``event`` with ``value(k)``."""

    client: LiveClient | EchoClient
    event: str = ""
    value: Callable[[int], Json] = _no_value

    async def push(self, k: int) -> Reply:
        if isinstance(self.client, EchoClient):
            return await self.client.push()
        return await self.client.push(self.event, self.value(k))


async def interleaved(subjects: dict[str, Driver], budget: Budget) -> dict[str, Samples]:
    """Warm every subject up, then measure them in alternating rounds."""
    out = {name: Samples() for name in subjects}
    k = dict.fromkeys(subjects, 0)
    for name, driver in subjects.items():
        for _ in range(budget.warmup):
            await driver.push(k[name])
            k[name] += 1
    per_round = max(1, budget.iters // budget.rounds)
    round_seconds = budget.seconds / budget.rounds
    for _ in range(budget.rounds):
        for name, driver in subjects.items():
            await driver.client.heartbeat()
            deadline = time.perf_counter() + round_seconds
            for _ in range(per_round):
                out[name].add(await driver.push(k[name]))
                k[name] += 1
                if time.perf_counter() > deadline:
                    break
    return out


@dataclass
class Load(RoundTrips):
    """Closed-loop figures of one subject: each of its connections keeps one event in flight."""

    events: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


NextEvent = Callable[[], tuple[str, "str | None"]]


def closed_loop(
    conns: Sequence[tuple[LeanWebSocket, NextEvent]], seconds: float, out: Load
) -> None:
    """Send one event on every connection, and the next one on a connection as soon as its
    reply arrives, for ``seconds``; then wait for the replies still due. ``NextEvent`` gives a
    frame and the ref of its reply (None: any frame is the reply)."""
    pending: dict[int, tuple[str | None, int]] = {}
    with selectors.DefaultSelector() as selector:

        def send(i: int) -> None:
            ws, next_event = conns[i]
            text, ref = next_event()
            pending[i] = (ref, time.perf_counter_ns())
            ws.write(text)

        for i, (ws, _) in enumerate(conns):
            selector.register(ws.fileno(), selectors.EVENT_READ, i)
            send(i)
        started = time.perf_counter()
        deadline = started + seconds
        while pending:
            ready = selector.select(timeout=10)
            if not ready:
                raise RuntimeError(f"{len(pending)} replies overdue by 10 s")
            for key, _ in ready:
                i, ws = key.data, conns[key.data][0]
                while True:  # every frame read already, which the selector cannot see
                    frame = ws.read()
                    done = time.perf_counter_ns()
                    ref, t0 = pending.get(i, ("", 0))  # ("", 0): a frame nobody waits for
                    m = _REF.match(frame)
                    if t0 and (ref is None or (m is not None and m.group(1) == ref)):
                        del pending[i]
                        out.rtt_ns.append(done - t0)
                        out.events += 1
                        if time.perf_counter() < deadline:
                            send(i)
                    if not ws.buffered():
                        break
        out.seconds += time.perf_counter() - started


async def interleaved_loads(
    subjects: dict[str, list[tuple[LiveClient | EchoClient, NextEvent]]],
    seconds: float,
    rounds: int,
) -> dict[str, Load]:
    """Warm every subject up (a tenth of ``seconds``), then run ``closed_loop`` on each in
    ``rounds`` alternating rounds of ``seconds / rounds``."""
    out = {name: Load() for name in subjects}

    def conns(name: str) -> list[tuple[LeanWebSocket, NextEvent]]:
        pairs = []
        for client, next_event in subjects[name]:
            assert isinstance(client.ws, LeanWebSocket)
            pairs.append((client.ws, next_event))
        return pairs

    for name in subjects:
        closed_loop(conns(name), seconds / 10, Load())
    for _ in range(rounds):
        for name in subjects:
            for client, _ in subjects[name]:
                await client.heartbeat()
            closed_loop(conns(name), seconds / rounds, out[name])
    return out


def time_updates(
    event: Callable[[int], None], render_diff: Callable[[], Any], budget: Budget
) -> tuple[list[float], Any]:
    """For k = 0, 1, …: run ``event(k)`` untimed, then time ``render_diff()``. Returns the
    seconds per render+diff after warm-up, and the last diff. The cyclic GC stays on (as in a
    server)."""
    times: list[float] = []
    out: Any = None
    for k in range(budget.warmup):
        event(k)
        out = render_diff()
    deadline = time.perf_counter() + budget.seconds
    k = budget.warmup
    while len(times) < budget.iters and time.perf_counter() < deadline:
        event(k)
        t0 = time.perf_counter()
        out = render_diff()
        times.append(time.perf_counter() - t0)
        k += 1
    return times, out


def row_of(k: int, n_rows: int) -> int:
    """The row touched by the k-th update: walks every row (389 is prime to 1,000)."""
    return (k * 389 + 17) % n_rows


# ---------------------------------------------------------------------------------------------
# In-process render+diff


@dataclass
class InProcess:
    source: str
    touch: list[float] = field(default_factory=list)
    tick: list[float] = field(default_factory=list)
    touch_bytes: int = 0
    tick_bytes: int = 0
    note: str = ""


def run_sync(coro: Awaitable[Any]) -> Any:
    """Run a coroutine that never suspends (mount/handle_event of these views) to its end."""
    it = coro.__await__()
    try:
        while True:
            next(it)
    except StopIteration as stop:
        return stop.value


def gallery_app() -> tuple[Any, str]:
    """The LiveApp the pylive server runs, for the in-process figures."""
    from gallery.app import app

    return app, "gallery.app:app"


def pylive_in_process(app: Any, source: str, n_rows: int, budget: Budget) -> InProcess:
    """Mount the table view as the server does, then time ``ViewTree.diff`` after each event
    (what ``LiveViewChannel._render`` runs: diff, then mark the effects rendered)."""
    from pylive.effects import Effects
    from pylive.lifecycle import mount_view
    from pylive.socket import Socket
    from pylive.view_tree import ViewTree

    query = f"rows={n_rows}"
    match = app.runtime.router.match(TABLE_PATH, query)
    if match is None:
        return InProcess(source, note=f"{source} has no route {TABLE_PATH}")
    effects = Effects.for_view()
    socket = Socket("phx-inprocess", effects)
    uri = f"http://127.0.0.1{TABLE_PATH}?{query}"
    view = run_sync(mount_view(match, socket, effects, {}, uri))
    tree = ViewTree(socket, effects, app.runtime.tokens, connected=True)

    def render_diff() -> Any:
        out = run_sync(tree.diff(view, effects.assigns, effects.changed))
        effects.rendered()
        return out

    render_diff()  # the join

    def touch(k: int) -> None:
        run_sync(view.handle_event(socket, "touch", {"row": str(row_of(k, n_rows))}))

    def tick(k: int) -> None:
        run_sync(view.handle_event(socket, "tick", {}))

    result = InProcess(source)
    result.touch, diff = time_updates(touch, render_diff, budget)
    result.touch_bytes = compact(diff or {})
    result.tick, diff = time_updates(tick, render_diff, budget)
    result.tick_bytes = compact(diff or {})
    return result


def pyview_in_process(n_rows: int, budget: Budget) -> InProcess:
    """pyview's path for the same view: ``render(...).tree()`` then ``calc_diff`` (what its
    websocket handler runs for an event on Python < 3.14)."""
    from pyview.live_socket import UnconnectedSocket
    from pyview.meta import PyViewMeta
    from pyview.template.render_diff import calc_diff

    from benchmarks.live_pyview_app import PyviewTable, make_rows

    view = PyviewTable()
    sock: Any = UnconnectedSocket()
    run_sync(view.mount(sock, {}))
    sock.context["rows"] = make_rows(n_rows)
    meta = PyViewMeta(socket=sock)
    prev: list[Any] = [run_sync(view.render(sock.context, meta)).tree()]

    def render_diff() -> Any:
        new = run_sync(view.render(sock.context, meta)).tree()
        diff = calc_diff(prev[0], new)
        prev[0] = new
        return diff

    def touch(k: int) -> None:
        run_sync(view.handle_event("touch", {"row": str(row_of(k, n_rows))}, sock))

    def tick(k: int) -> None:
        run_sync(view.handle_event("tick", {}, sock))

    result = InProcess("benchmarks.live_pyview_app")
    result.touch, diff = time_updates(touch, render_diff, budget)
    result.touch_bytes = compact(diff)
    result.tick, diff = time_updates(tick, render_diff, budget)
    result.tick_bytes = compact(diff)
    return result


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Results:
    rtt: dict[str, dict[str, Samples]] = field(default_factory=dict)  # scenario -> subject
    joins: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # subject -> sizes
    inproc: dict[str, InProcess] = field(default_factory=dict)
    loads: dict[str, Load] = field(default_factory=dict)  # subject -> CONNECTIONS closed loop


async def measure_e2e(servers: dict[str, Server], n_rows: int, scale: float) -> Results:
    res = Results()
    live = [name for name in ("pylive", "pyview") if name in servers]
    echo_port = servers["echo"].port
    table_path = f"{TABLE_PATH}?rows={n_rows}"

    def budget(iters: int, seconds: float, warmup: int, rounds: int = 5) -> Budget:
        return Budget(max(rounds, round(iters * scale)), seconds * scale, warmup, rounds)

    async def counter(label: str, wire: str) -> None:
        counters = {name: LiveClient(servers[name].port, COUNTER_PATH, wire) for name in live}
        for client in counters.values():
            await client.open()
        probe = await counters["pylive"].push("inc", {})
        frame = counters["pylive"].event_frame("inc", {})
        echo = EchoClient(echo_port, frame, probe.frame_bytes, wire)
        await echo.open()
        subjects = {"echo": Driver(echo)}
        subjects |= {name: Driver(client, "inc") for name, client in counters.items()}
        print(f"  {label} ...", flush=True)
        res.rtt[label] = await interleaved(subjects, budget(3000, 20, 300, rounds=10))
        await echo.close()
        for client in counters.values():
            await client.close()

    # -- counter click ------------------------------------------------------------------------
    await counter(COUNTER, "lean")

    # -- counter click on CONNECTIONS connections at once -------------------------------------
    many = {
        name: [LiveClient(servers[name].port, COUNTER_PATH, "lean") for _ in range(CONNECTIONS)]
        for name in live
    }
    for clients in many.values():
        for client in clients:
            await client.open()
    probe = await many["pylive"][0].push("inc", {})
    frame = many["pylive"][0].event_frame("inc", {})
    echoes = [EchoClient(echo_port, frame, probe.frame_bytes, "lean") for _ in range(CONNECTIONS)]
    for echo in echoes:
        await echo.open()
    loads: dict[str, list[tuple[LiveClient | EchoClient, NextEvent]]] = {
        "echo": [(echo, echo.next_event) for echo in echoes]
    }
    for name, clients in many.items():
        loads[name] = [(c, functools.partial(c.next_event, "inc", {})) for c in clients]
    print(f"  {COUNTER}, {CONNECTIONS} connections ...", flush=True)
    res.loads = await interleaved_loads(loads, 20 * scale, rounds=10)
    for pairs in loads.values():
        for each, _ in pairs:
            await each.close()

    # -- table: one cell (touch row i), and an assign the rows do not read (tick) -------------
    tables = {name: LiveClient(servers[name].port, table_path, "lean") for name in live}
    for name, client in tables.items():
        await client.open()
        assert client.page is not None
        res.joins[name] = (
            client.page.html_bytes,
            compact(client.join_rendered),
            client.join_frame_bytes,
        )

    def touched(k: int) -> Json:
        return {"row": str(row_of(k, n_rows))}

    for label, event, value in (
        (f"{n_rows:,}-row table: touch row i", "touch", touched),
        (f"{n_rows:,}-row table: tick (header)", "tick", _no_value),
    ):
        probe = await tables["pylive"].push(event, value(0))
        frame = tables["pylive"].event_frame(event, value(0))
        echo = EchoClient(echo_port, frame, probe.frame_bytes, "lean")
        await echo.open()
        subjects = {"echo": Driver(echo)}
        subjects |= {name: Driver(client, event, value) for name, client in tables.items()}
        print(f"  {label} ...", flush=True)
        res.rtt[label] = await interleaved(subjects, budget(600, 15, 10))
        await echo.close()
    for client in tables.values():
        await client.close()

    # -- counter click again, through the websockets library's client (for reference) --------
    await counter(COUNTER_LIBRARY, "websockets")
    return res


# ---------------------------------------------------------------------------------------------
# Report


def _fmt_us(us: float | None) -> str:
    if us is None:
        return "n/a"
    return f"{us / 1e3:,.2f} ms" if us >= 10_000 else f"{us:,.0f} µs"


def _fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1e3:,.3f} ms"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return "n/a"
    return f"{a / b:,.2f}x"


def _verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "MISS")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def report(res: Results, n_rows: int, show: bool) -> None:
    def rtt(scenario: str, subject: str) -> float | None:
        samples = res.rtt[scenario].get(subject)
        return samples.median_us if samples else None

    def size(scenario: str, subject: str, attr: str) -> str:
        samples = res.rtt[scenario].get(subject)
        return "n/a" if samples is None else f"{statistics.median(getattr(samples, attr)):.0f}"

    scenarios = list(res.rtt)
    counter, touch = COUNTER, scenarios[1]

    rows = []
    for scn in scenarios:
        e, pl, pv = rtt(scn, "echo"), rtt(scn, "pylive"), rtt(scn, "pyview")
        pl_p90 = res.rtt[scn]["pylive"].p90_us
        n_pv = str(len(res.rtt[scn]["pyview"].rtt_ns)) if "pyview" in res.rtt[scn] else "-"
        n_pl = str(len(res.rtt[scn]["pylive"].rtt_ns))
        rows.append(
            [
                scn,
                _fmt_us(e),
                _fmt_us(pl),
                _fmt_us(pl_p90),
                _fmt_us(pv),
                _ratio(pl, e),
                _ratio(pv, pl),
                n_pl,
                n_pv,
            ]
        )
    print("\nRound trip: client send -> phx_reply received (median; p90 for pylive)")
    head = ["scenario", "echo", "pylive", "pylive p90", "pyview", "pylive/echo"]
    print(table([*head, "pyview/pylive", "n pylive", "n pyview"], rows))

    rows = [
        [
            name,
            f"{load.per_second:,.0f}",
            _fmt_us(load.median_us),
            _fmt_us(load.p90_us),
            _ratio(load.median_us, res.loads["echo"].median_us),
            str(load.events),
        ]
        for name, load in res.loads.items()
    ]
    print(
        f"\n{COUNTER}, {CONNECTIONS} connections at once, each with one event in flight "
        "(closed loop; round trip median and p90)"
    )
    print(table(["subject", "events/s", "RTT", "RTT p90", "RTT/echo", "events"], rows))

    def server(scn: str, subject: str) -> float | None:
        t, e = rtt(scn, subject), rtt(scn, "echo")
        return None if t is None or e is None else t - e

    rows = []
    for scn in scenarios:
        pl, pv = server(scn, "pylive"), server(scn, "pyview")
        rows.append([scn, _fmt_us(pl), _fmt_us(pv), _ratio(pv, pl)])
    print("\nServer time ~ median RTT - median echo RTT (echo frames sized like pylive's)")
    print(table(["scenario", "pylive", "pyview", "pyview/pylive"], rows))

    rows = []
    for scn in scenarios:
        rows.append(
            [
                scn,
                size(scn, "pylive", "diff_bytes"),
                size(scn, "pylive", "frame_bytes"),
                size(scn, "pyview", "diff_bytes"),
                size(scn, "pyview", "frame_bytes"),
            ]
        )
    print("\nReply bytes (median): diff = response.diff as compact JSON; frame = whole text frame")
    print(table(["scenario", "pylive diff", "pylive frame", "pyview diff", "pyview frame"], rows))
    if show:
        for scn, by_subject in res.rtt.items():
            for name, samples in by_subject.items():
                if name != "echo":
                    print(f"  {scn} / {name}: {json.dumps(samples.last_diff)[:200]}")

    pl_ip, pv_ip = res.inproc.get("pylive"), res.inproc.get("pyview")
    rows = []
    for label, attr in (("touch row i", "touch"), ("tick (header)", "tick")):
        a = _median(getattr(pl_ip, attr)) if pl_ip else None
        b = _median(getattr(pv_ip, attr)) if pv_ip else None
        a_bytes = str(getattr(pl_ip, f"{attr}_bytes")) if pl_ip else "n/a"
        b_bytes = str(getattr(pv_ip, f"{attr}_bytes")) if pv_ip else "n/a"
        n = str(len(getattr(pl_ip, attr))) if pl_ip else "-"
        rows.append(
            [
                f"{n_rows:,}-row table: {label}",
                _fmt_ms(a),
                a_bytes,
                _fmt_ms(b),
                b_bytes,
                _ratio(b, a),
                n,
            ]
        )
    source = pl_ip.source if pl_ip else "?"
    print(
        f"\nIn-process render+diff (median; pylive: ViewTree.diff on {source}; "
        "pyview: render().tree() + calc_diff)"
    )
    if pl_ip and pl_ip.note:
        print(f"  note: {pl_ip.note}")
    print(
        table(["update", "pylive", "bytes", "pyview", "bytes", "pyview/pylive", "n pylive"], rows)
    )

    rows = []
    for name, (html, rendered, frame) in res.joins.items():
        rows.append([name, f"{html:,}", f"{rendered:,}", f"{frame:,}", _ratio(rendered, html)])
    print(
        f"\nJoin of the {n_rows:,}-row table: the container's inner HTML of the GET vs the join "
        "reply's `rendered` (compact JSON)"
    )
    print(table(["subject", "HTML bytes", "rendered bytes", "join frame", "rendered/HTML"], rows))

    c_e, c_pl, c_pv = rtt(counter, "echo"), rtt(counter, "pylive"), rtt(counter, "pyview")
    w_e, w_pl, w_pv = (rtt(COUNTER_LIBRARY, s) for s in ("echo", "pylive", "pyview"))
    assert c_e is not None and c_pl is not None and w_e is not None and w_pl is not None
    touch_bytes = statistics.median(res.rtt[touch]["pylive"].diff_bytes)
    touch_frame = statistics.median(res.rtt[touch]["pylive"].frame_bytes)
    srv_pl, srv_pv = server(touch, "pylive"), server(touch, "pyview")
    assert srv_pl is not None
    ip_pl = _median(pl_ip.touch) if pl_ip else None
    ip_pv = _median(pv_ip.touch) if pv_ip else None
    tick_ip = _median(pl_ip.tick) if pl_ip else None
    html, rendered, _ = res.joins["pylive"]
    m_e, m_pl = res.loads["echo"].median_us, res.loads["pylive"].median_us
    m_pv = res.loads["pyview"].median_us if "pyview" in res.loads else None

    def at_least(x: float | None, factor: float, y: float | None) -> bool | None:
        return None if x is None or y is None else x >= factor * y

    checks: list[tuple[bool | None, str, str]] = [
        (
            c_pl <= 1.5 * c_e,
            "counter RTT: pylive <= 1.5x echo",
            f"{_ratio(c_pl, c_e)} ({_fmt_us(c_pl)} vs {_fmt_us(c_e)})",
        ),
        (
            at_least(c_pv, 2, c_pl),
            "counter RTT: pylive >= 2x faster than pyview",
            f"{_ratio(c_pv, c_pl)} ({_fmt_us(c_pl)} vs {_fmt_us(c_pv)})",
        ),
        (
            m_pl <= 1.5 * m_e,
            f"counter RTT at {CONNECTIONS} connections: pylive <= 1.5x echo",
            f"{_ratio(m_pl, m_e)} ({_fmt_us(m_pl)} vs {_fmt_us(m_e)})",
        ),
        (
            at_least(m_pv, 2, m_pl),
            f"counter RTT at {CONNECTIONS} connections: pylive >= 2x faster than pyview",
            f"{_ratio(m_pv, m_pl)} ({_fmt_us(m_pl)} vs {_fmt_us(m_pv)})",
        ),
        (
            touch_bytes <= 64,
            "table one-cell change: pylive reply diff <= 64 bytes",
            f"{touch_bytes:.0f} bytes (whole frame {touch_frame:.0f})",
        ),
        (
            at_least(srv_pv, 10, srv_pl),
            "table one-cell change: server time >= 10x faster than pyview (RTT - echo)",
            f"{_ratio(srv_pv, srv_pl)} ({_fmt_us(srv_pl)} vs {_fmt_us(srv_pv)})",
        ),
        (
            at_least(ip_pv, 10, ip_pl),
            "table one-cell change: render+diff >= 10x faster than pyview (in-process)",
            f"{_ratio(ip_pv, ip_pl)} ({_fmt_ms(ip_pl)} vs {_fmt_ms(ip_pv)})",
        ),
        (
            None if tick_ip is None else tick_ip < 1e-4,
            "table, unrelated assign changed: pylive render+diff < 0.1 ms (in-process)",
            _fmt_ms(tick_ip),
        ),
        (
            rendered <= 1.1 * html,
            "table join: pylive rendered <= 1.1x HTML",
            f"{_ratio(rendered, html)} ({rendered:,} vs {html:,} bytes)",
        ),
    ]
    print("\nTargets (issue #4; round trips measured with the lean client, see benchmarks/wire.py)")
    for ok, what, figure in checks:
        print(f"  [{_verdict(ok)}] {what}: {figure}")
    print("  the same counter targets through the websockets library's client (a higher floor):")
    for ok, what, figure in (
        (w_pl <= 1.5 * w_e, "counter RTT: pylive <= 1.5x echo", f"{_ratio(w_pl, w_e)}"),
        (
            at_least(w_pv, 2, w_pl),
            "counter RTT: pylive >= 2x faster than pyview",
            f"{_ratio(w_pv, w_pl)}",
        ),
    ):
        print(f"    [{_verdict(ok)}] {what}: {figure}")
    if c_pv is None:
        print("  (pyview-web not installed here: comparisons with it are n/a; nox -s bench has it)")


def _versions() -> str:
    parts = [f"Python {platform.python_version()}"]
    for dist in ("hypercorn", "websockets", "pyview-web", "htpy", "starlette"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            parts.append(f"{dist} {importlib.metadata.version(dist)}")
    return ", ".join(parts)


@contextlib.contextmanager
def running(servers: dict[str, Server], cpus: set[int] | None) -> Iterator[None]:
    try:
        for s in servers.values():
            s.start(cpus)
        for s in servers.values():
            s.wait_ready(COUNTER_PATH if s.name != "echo" else "/")
        yield
    finally:
        for s in servers.values():
            s.stop()


def gallery_server(worker_class: str) -> Server:
    """pylive's subject: the gallery, whose counter and table demos every benchmark drives."""
    port = free_port()
    command = [sys.executable, "-m", "gallery", "--port", str(port), "--worker-class", worker_class]
    # events come as fast as they are answered: the event rate limit off (pyview has none);
    # and no telemetry handler attached (LiveApp's default; the gallery attaches Metrics)
    env = {"GALLERY_RATE_LIMIT": "off", "GALLERY_METRICS": "off"}
    return Server("pylive", command, port, "gallery (python -m gallery)", env=env)


def split_cpus() -> tuple[int | None, set[int] | None]:
    """The CPU for the client and those for the servers (None, None on fewer than 2 CPUs)."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) < 2:
        return None, None
    return cpus[0], set(cpus[1:])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.live", description=__doc__)
    parser.add_argument("--rows", type=int, default=1000, help="table rows (default 1000)")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply iteration counts and time budgets (e.g. 0.2: quick)",
    )
    parser.add_argument(
        "--worker-class",
        choices=("asyncio", "uvloop"),
        default="asyncio",
        help="hypercorn worker class of every server (default asyncio)",
    )
    parser.add_argument("--no-pyview", action="store_true", help="skip pyview")
    parser.add_argument("--show", action="store_true", help="print the last diff of each subject")
    args = parser.parse_args(argv)

    with_pyview = pyview_available() and not args.no_pyview

    servers: dict[str, Server] = {"pylive": gallery_server(args.worker_class)}
    if with_pyview:
        servers["pyview"] = hypercorn_server(
            "pyview",
            "benchmarks.live_pyview_app:app",
            args.worker_class,
            "benchmarks/live_pyview_app.py",
            env={"PYVIEW_SECRET": "benchmarks-live-not-secret"},
        )
    servers["echo"] = hypercorn_server(
        "echo", "benchmarks.live_echo:app", args.worker_class, "benchmarks/live_echo.py (raw ASGI)"
    )

    client_cpu, server_cpus = split_cpus()

    print(
        f"End-to-end LiveView benchmark: hypercorn ({args.worker_class} worker) servers, one at "
        "a time, driven over ws://127.0.0.1 by a lean blocking WebSocket client (no compression)"
    )
    print(f"  {_versions()}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    if client_cpu is not None:
        print(
            f"  client pinned to CPU {client_cpu}, servers to CPU(s) "
            f"{','.join(map(str, sorted(server_cpus or ())))}"
        )
    else:
        print("  one CPU: client and servers share it (round trips include switching)")
    for s in servers.values():
        print(f"  {s.name}: {s.description}")
    if not with_pyview:
        print(
            "  pyview: not measured ("
            + (
                "--no-pyview"
                if args.no_pyview
                else "pyview-web not importable; `nox -s bench` installs it"
            )
            + ")"
        )

    started = time.perf_counter()
    with running(servers, server_cpus):
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})
        try:
            res = asyncio.run(measure_e2e(servers, args.rows, args.scale))
            print("  in-process render+diff ...", flush=True)
            ip_budget = Budget(max(20, round(400 * args.scale)), 6 * args.scale, 5)
            app, source = gallery_app()
            res.inproc["pylive"] = pylive_in_process(app, source, args.rows, ip_budget)
            if with_pyview:
                res.inproc["pyview"] = pyview_in_process(args.rows, ip_budget)
        except Exception:
            for s in servers.values():
                print(f"--- {s.name} server output (tail) ---\n{s.output()}", file=sys.stderr)
            raise
        finally:
            if client_cpu is not None:
                os.sched_setaffinity(0, {client_cpu, *(server_cpus or ())})
    gc.collect()
    report(res, args.rows, args.show)
    print(
        f"\n({time.perf_counter() - started:.0f} s; figures depend on the machine: compare the "
        "subjects within one run)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
