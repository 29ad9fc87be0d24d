"""First paint in a real browser: pylive's gallery next to pyview, cold and warm loads.

Run ``python -m benchmarks.firstpaint`` (``nox -s firstpaint``; ``--quick`` for a short run,
``--runs N`` for N loads per subject, page and profile). Headless Chromium (Debian's, at
``/usr/bin/chromium`` or ``$PYLIVE_CHROMIUM``, with the flags of ``tests/e2e/conftest.py``) is
driven by Playwright. Four subjects, each served by hypercorn in its own subprocess:

* **pylive**: the gallery (``python -m gallery --port N``: ``/demos/counter``,
  ``/demos/table?rows=1000``), with its navigation and its two stylesheets (written into the
  page);
* **pylive-bare**: pylive with exactly pyview's markup and no stylesheet
  (``benchmarks/firstpaint_pylive_app.py``), the like-for-like comparison; it declines
  permessage-deflate, pylive's default, as the gallery does;
* **pylive-bare+deflate**: the same with ``LiveApp(websocket_compression=True)``: what the
  extension does to the join reply on the emulated link;
* **pyview** (pyview-web, when importable): the same pages in ``benchmarks/live_pyview_app.py``,
  with pyview's client bundle mounted (``benchmarks/firstpaint_pyview_app.py``);
* **static**: the gallery's pages as static HTML without any script, with the same stylesheets
  and compression (``benchmarks/firstpaint_static_app.py``): the paint no live page can beat.

Each *cold* load is a fresh browser context (empty cache, no cookies); a *warm* load follows in
the same context (a new tab, the HTTP cache filled by the cold load). Subjects alternate load by
load, so a disturbance on the machine hits both. Two network profiles: loopback, and Chromium's
emulated link (``Network.emulateNetworkConditions``: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s
up, the common "slow 4G / fast 3G" mobile profile).

Per load: time to first byte (the document's response headers delivered to the page: the
navigation's ``requestStart`` plus CDP's ``receiveHeadersEnd - sendStart``, since Chromium's
emulated latency holds the headers back after the navigation timeline stamps ``responseStart``),
first contentful paint, DOMContentLoaded, time until the ``[data-phx-main]`` container has the
``phx-connected`` class (a MutationObserver installed before the page's scripts stamps
``performance.now()``), all from the navigation start; bytes transferred (CDP
``Network.loadingFinished`` ``encodedDataLength``: headers and body as on the wire) of the HTML
document, of the scripts and of the stylesheets; and the WebSocket payload received until the
figures are read (the join reply as decoded text: permessage-deflate may shrink it on the
wire, and CDP does not report the compressed size). For the warm load also: when the HTML was
fully received (navigation ``responseEnd``, not before the headers' delivery), when the new
document ran its first script (this benchmark's init script), the live socket's WebSocket
handshake (CDP: request sent to response received) and its join (its first frame sent to the
first frame received), and the connected time over the sum HTML + handshake + join: a page
cannot connect sooner than that without a socket opened before its HTML arrived. Figures are
medians. Browser contexts bypass the pages' Content-Security-Policy: Playwright's
``wait_for_function`` evaluates its predicate with ``eval``, which the gallery's policy refuses;
the pages load the same resources.

The "floor" of the emulated link is 3 round trips (document, script, WebSocket upgrade) plus the
cold load's HTML and JS bytes at the link's download rate: no client that opens its WebSocket
once its script has run can be connected sooner. pylive opens it while its client downloads
(``pylive-preconnect.js``), so its upgrade overlaps the download and it can beat that floor.

It prints figures; it never asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import os
import platform
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.live import (
    Server,
    gallery_server,
    hypercorn_server,
    pyview_available,
    running,
    split_cpus,
)

__all__ = ["main"]

CHROMIUM = os.environ.get("PYLIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [  # tests/e2e/conftest.py
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000

PAGES = {"counter": "/demos/counter", "table 1,000 rows": "/demos/table?rows=1000"}


@dataclass(frozen=True)
class Profile:
    name: str
    latency_ms: float = 0.0
    down_bps: float = 0.0  # bits per second; 0: not throttled
    up_bps: float = 0.0

    @property
    def throttled(self) -> bool:
        return self.down_bps > 0

    def floor_ms(self, nbytes: float) -> float:
        """3 round trips + ``nbytes`` at the download rate."""
        return 3 * self.latency_ms + nbytes * 8 / self.down_bps * 1000


LOOPBACK = Profile("loopback")
MOBILE = Profile("mobile (150 ms, 1.6 Mbit/s down, 750 kbit/s up)", 150.0, 1.6e6, 750e3)

# Stamps the time the main container gets ``phx-connected``; runs before the page's scripts.
CONNECTED_PROBE = """
(() => {
  window.__firstScript = performance.now();
  const check = () => {
    if (window.__phxConnected !== undefined) return;
    const main = document.querySelector('[data-phx-main]');
    if (main && main.classList.contains('phx-connected')) {
      window.__phxConnected = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['class'],
  });
})();
"""

TIMINGS = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {
    ttfb: nav.responseStart,
    responseEnd: nav.responseEnd,
    requestStart: nav.requestStart,
    dcl: nav.domContentLoadedEventStart,
    fcp: fcp ? fcp.startTime : null,
    connected: window.__phxConnected ?? null,
    firstScript: window.__firstScript ?? null,
  };
}
"""

METRICS = [
    ("ttfb", "time to first byte", "ms"),
    ("fcp", "first contentful paint", "ms"),
    ("dcl", "DOMContentLoaded", "ms"),
    ("connected", "phx-connected", "ms"),
    ("html", "HTML bytes transferred", "B"),
    ("js", "JS bytes transferred", "B"),
    ("css", "CSS bytes transferred", "B"),
    ("ws", "WebSocket payload received (decoded)", "B"),
    ("warm_js", "warm: JS bytes transferred", "B"),
    ("warm_connected", "warm: phx-connected", "ms"),
    ("warm_html", "warm: HTML received", "ms"),
    ("warm_first_script", "warm: the page's first script ran", "ms"),
    ("warm_handshake", "warm: WebSocket handshake", "ms"),
    ("warm_join", "warm: join (sent to reply)", "ms"),
]


@dataclass
class Load:
    ttfb: float | None
    fcp: float | None
    dcl: float | None
    connected: float | None
    html: int
    js: int
    css: int
    ws: int
    html_end: float | None = None
    """The document fully received (navigation ``responseEnd``)."""
    first_script: float | None = None
    """The first script of the new document ran (this benchmark's init script)."""
    handshake: float | None = None
    """The live socket's upgrade: handshake request sent to response received (CDP)."""
    join: float | None = None
    """The socket's first frame (the join) sent to the first frame received (its reply)."""


@dataclass
class Samples:
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, value: float | None) -> None:
        if value is not None:
            self.values.setdefault(key, []).append(value)

    def median(self, key: str) -> float | None:
        vals = self.values.get(key)
        return statistics.median(vals) if vals else None


# ---------------------------------------------------------------------------------------------
# One page load


def load(context: Any, url: str, profile: Profile, live: bool) -> Load:
    """Open ``url`` in a new tab of ``context``; wait until connected (a live page) or loaded;
    read the figures."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    if profile.throttled:
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": profile.latency_ms,
                "downloadThroughput": profile.down_bps / 8,
                "uploadThroughput": profile.up_bps / 8,
            },
        )
    kinds: dict[str, str] = {}
    sizes: dict[str, int] = {}

    document_timing: list[dict[str, float]] = []

    def on_response(ev: dict[str, Any]) -> None:
        kinds[ev["requestId"]] = ev.get("type", "")
        if ev.get("type") == "Document" and "timing" in ev["response"]:
            document_timing.append(ev["response"]["timing"])

    def on_finished(ev: dict[str, Any]) -> None:
        sizes[ev["requestId"]] = int(ev.get("encodedDataLength", 0))

    ws_received = [0]
    ws_times: dict[str, float] = {}  # the first of each WebSocket event (CDP seconds)

    def on_frame(ev: dict[str, Any]) -> None:
        ws_received[0] += len(ev["response"].get("payloadData", "").encode())
        ws_times.setdefault("received", ev["timestamp"])

    def ws_event(name: str) -> Any:
        return lambda ev: ws_times.setdefault(name, ev["timestamp"])

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.webSocketFrameReceived", on_frame)
    cdp.on("Network.webSocketFrameSent", ws_event("sent"))
    cdp.on("Network.webSocketWillSendHandshakeRequest", ws_event("handshake"))
    cdp.on("Network.webSocketHandshakeResponseReceived", ws_event("upgraded"))
    cdp.on("Network.loadingFinished", on_finished)
    try:
        page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        if live:
            page.wait_for_function("window.__phxConnected !== undefined", timeout=TIMEOUT_MS)
        page.wait_for_load_state("load", timeout=TIMEOUT_MS)
        timings = page.evaluate(TIMINGS)
        if timings["fcp"] is None:  # paint entries are queued after the frame is presented
            with contextlib.suppress(Exception):
                page.wait_for_function(
                    "performance.getEntriesByName('first-contentful-paint').length > 0",
                    timeout=2_000,
                )
            timings = page.evaluate(TIMINGS)
        # loadingFinished of the last script may trail the page's own view of it
        deadline = time.monotonic() + 2
        while set(kinds) - set(sizes) and time.monotonic() < deadline:
            page.wait_for_timeout(20)
    finally:
        with contextlib.suppress(Exception):
            cdp.detach()
        page.close()
    ttfb = timings["ttfb"]
    if document_timing:
        # Chromium's emulated latency holds the headers back after the navigation timeline
        # stamps responseStart: take the headers' delivery (CDP) on the page's clock instead.
        t = document_timing[0]
        ttfb = max(ttfb, timings["requestStart"] + t["receiveHeadersEnd"] - t["sendStart"])

    def between(start: str, end: str) -> float | None:
        if start in ws_times and end in ws_times:
            return (ws_times[end] - ws_times[start]) * 1000
        return None

    by_kind = {"Document": 0, "Script": 0, "Stylesheet": 0}
    for rid, kind in kinds.items():
        if kind in by_kind:
            by_kind[kind] += sizes.get(rid, 0)
    return Load(
        ttfb=ttfb,
        fcp=timings["fcp"],
        dcl=timings["dcl"],
        connected=timings["connected"],
        html=by_kind["Document"],
        js=by_kind["Script"],
        css=by_kind["Stylesheet"],
        ws=ws_received[0],
        html_end=None if ttfb is None else max(ttfb, timings["responseEnd"]),
        first_script=timings["firstScript"],
        handshake=between("handshake", "upgraded"),
        join=between("sent", "received"),
    )


def visit(browser: Any, url: str, profile: Profile, samples: Samples, live: bool = True) -> None:
    """A cold load in a fresh context, then a warm one in the same context."""
    # bypass_csp: Playwright's wait_for_function evaluates its predicate with eval, which the
    # gallery's strict policy refuses; what the pages load does not change
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(CONNECTED_PROBE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        cold = load(context, url, profile, live)
        warm = load(context, url, profile, live)
    finally:
        context.close()
    for key in ("ttfb", "fcp", "dcl", "connected", "html", "js", "css", "ws"):
        samples.add(key, getattr(cold, key))
    samples.add("warm_js", warm.js)
    samples.add("warm_connected", warm.connected)
    samples.add("warm_html", warm.html_end)
    samples.add("warm_first_script", warm.first_script)
    samples.add("warm_handshake", warm.handshake)
    samples.add("warm_join", warm.join)
    if warm.connected and warm.html_end and warm.handshake and warm.join:
        budget = warm.html_end + warm.handshake + warm.join
        samples.add("warm_over_budget", warm.connected / budget)


# ---------------------------------------------------------------------------------------------
# Report


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "B":
        return f"{value:,.0f} B"
    return f"{value:,.1f} ms"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "n/a"
    if b == 0:
        return "n/a" if a == 0 else "inf"
    return f"{a / b:.2f}x"


RATIOS = [
    ("pylive", "pyview"),
    ("pylive-bare", "pyview"),
    ("pylive", "static"),
    ("pylive-bare", "pylive-bare+deflate"),
]
"""Ratio columns, a/b, printed when both subjects ran."""


def table(
    profile: Profile, page: str, results: dict[str, Samples], names: list[str], runs: int
) -> None:
    print(f"\n### {page}: {profile.name} (median of {runs} loads)\n")
    ratios = [(a, b) for a, b in RATIOS if a in names and b in names]
    head = ["metric", *names, *(f"{a}/{b}" for a, b in ratios)]
    rows = []
    for key, label, unit in METRICS:
        meds = {n: results[n].median(key) for n in names}
        row = [label, *(fmt(meds[n], unit) for n in names)]
        row += [ratio(meds[a], meds[b]) for a, b in ratios]
        rows.append(row)
    if profile.throttled:
        floors = {}
        for n in names:
            html, js = results[n].median("html"), results[n].median("js")
            floors[n] = profile.floor_ms((html or 0) + (js or 0))
        row = ["floor: 3 RTT + (HTML+JS)/bandwidth", *(fmt(floors[n], "ms") for n in names)]
        row += [ratio(floors[a], floors[b]) for a, b in ratios]
        rows.append(row)
        over = {n: results[n].median("connected") for n in names}
        row = ["phx-connected / floor", *(ratio(over[n], floors[n]) for n in names)]
        rows.append(row + [""] * len(ratios))
    warm = {n: results[n].median("warm_over_budget") for n in names}
    row = ["warm: phx-connected / (HTML + handshake + join)"]
    row += [("n/a" if warm[n] is None else f"{warm[n]:.2f}x") for n in names]
    rows.append(row + [""] * len(ratios))
    print("| " + " | ".join(head) + " |")
    print("| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


# ---------------------------------------------------------------------------------------------
# Main


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="loads per subject/page/profile")
    parser.add_argument("--quick", action="store_true", help="3 loads each (a short run)")
    parser.add_argument("--worker-class", default="asyncio", help="hypercorn worker class")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("playwright is not installed (nox -s firstpaint installs it)")
    if shutil.which(CHROMIUM) is None:
        sys.exit(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set PYLIVE_CHROMIUM)")

    gallery = gallery_server(args.worker_class)
    servers: dict[str, Server] = {"pylive": gallery}
    servers["pylive-bare"] = hypercorn_server(
        "pylive-bare",
        "benchmarks.firstpaint_pylive_app:app",
        args.worker_class,
        "benchmarks/firstpaint_pylive_app.py (pyview's markup, no stylesheet)",
    )
    servers["pylive-bare+deflate"] = hypercorn_server(
        "pylive-bare+deflate",
        "benchmarks.firstpaint_pylive_app:app_deflate",
        args.worker_class,
        "the same with websocket_compression=True (permessage-deflate accepted)",
    )
    if pyview_available():
        servers["pyview"] = hypercorn_server(
            "pyview",
            "benchmarks.firstpaint_pyview_app:app",
            args.worker_class,
            "benchmarks/firstpaint_pyview_app.py",
        )
    servers["static"] = hypercorn_server(
        "static",
        "benchmarks.firstpaint_static_app:app",
        args.worker_class,
        "benchmarks/firstpaint_static_app.py (the gallery's pages without scripts)",
        env={"PYLIVE_STATIC_ORIGIN": gallery.base},
    )
    names = list(servers)

    client_cpu, server_cpus = split_cpus()
    client_cpus = None if client_cpu is None else {client_cpu}

    print("# First paint: pylive next to pyview in headless Chromium\n")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"Python {platform.python_version()}"
    )
    if client_cpus:
        print(
            f"browser pinned to CPU {','.join(map(str, sorted(client_cpus)))}, servers to CPU "
            f"{','.join(map(str, sorted(server_cpus or ())))}"
        )
    print(
        f"pylive {version('pylive-web')}, pyview-web {version('pyview-web')}, "
        f"playwright {version('playwright')}, hypercorn {version('hypercorn')} "
        f"({args.worker_class} worker)"
    )
    for s in servers.values():
        print(f"  {s.name}: {s.description} on {s.base}")
    if "pyview" not in servers:
        print("pyview-web is not importable: pylive's figures alone")

    results: dict[tuple[str, str], dict[str, Samples]] = {}
    started = time.monotonic()
    with running(servers, server_cpus), sync_playwright() as pw:
        if client_cpus:
            os.sched_setaffinity(0, client_cpus)  # inherited by the driver and Chromium
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        finally:
            if client_cpus:
                os.sched_setaffinity(0, client_cpus | (server_cpus or set()))
        print(f"chromium {browser.version}")
        try:
            for profile in (LOOPBACK, MOBILE):
                for page_name, path in PAGES.items():
                    res = {n: Samples() for n in names}
                    # one unrecorded visit each: server imports, template caches, browser warm-up
                    for n in names:
                        visit(browser, servers[n].base + path, profile, Samples(), n != "static")
                    for i in range(runs):
                        order = names if i % 2 == 0 else names[::-1]
                        for n in order:
                            visit(browser, servers[n].base + path, profile, res[n], n != "static")
                    results[(profile.name, page_name)] = res
        finally:
            browser.close()

    for profile in (LOOPBACK, MOBILE):
        for page_name in PAGES:
            table(profile, page_name, results[(profile.name, page_name)], names, runs)
    print(
        "\nTimes are from the navigation start. Bytes are as transferred (headers included;"
        " compressed if the server compressed). Warm: a second tab in the same context."
    )
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
