"""Python client for the conformance oracle (``oracle.mjs``).

The official Phoenix LiveView client is the judge of every diff pylive emits:
``Oracle`` starts one long-lived ``node oracle.mjs`` process and sends it cases
(a join payload, a list of diffs and the HTML the server expects after each
step); the client's own code merges/patches them and reports what it shows.

    oracle = Oracle()
    result = oracle.check(join, [diff1], ["<p>0</p>", "<p>1</p>"], mode="dom")
    assert result.ok, result.describe(join, [diff1])
    oracle.close()

Modes: ``"merge"`` runs the client's ``Rendered`` class only (fast, no DOM);
``"dom"`` runs the real ``LiveSocket`` in jsdom (streams, phx-update, component
patches, morphdom). The npm packages are pinned in ``package-lock.json``; when
``node_modules`` is missing (fresh clone) ``npm ci`` is run once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import queue
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "oracle.mjs"
PINNED = ("phoenix_live_view", "phoenix", "jsdom")
MIN_NODE = (20, 19)

Mode = Literal["merge", "dom"]
Json = Any  # a JSON-compatible value (rendered trees are nested dicts/lists/strings/ints)


class OracleError(RuntimeError):
    """The oracle itself could not run (node/npm missing, process died, timeout)."""


@dataclass
class OracleResult:
    """Verdict of the official client on one case.

    ``steps[i]`` describes the state after the join (i = 0) or after diff i: ``html``
    (normalised), ``ok`` (matches ``expected[i]``) and on mismatch ``expected``,
    ``mismatch_at``, ``expected_context``, ``actual_context``. ``error`` holds every
    client exception / console.error / error diagnostic (None when there was none);
    ``log`` every ``{"kind", "text"[, "error": true]}`` entry: console output, frames the
    client sent ("sent", dom mode), exceptions and diagnostics.
    """

    ok: bool
    steps: list[dict[str, Any]]
    error: str | None
    log: list[dict[str, Any]] = field(default_factory=list)

    def first_failure(self) -> dict[str, Any] | None:
        """The first step whose HTML did not match (or that raised), if any."""
        return next((s for s in self.steps if s.get("ok") is False or s.get("error")), None)

    def describe(self, join: Json, diffs: Sequence[Json], mode: str = "") -> str:
        """A failure report: the case as JSON, the client error and the first bad step."""
        verdict = "ok" if self.ok else "FAIL"
        lines = [f"oracle verdict{f' ({mode} mode)' if mode else ''}: {verdict}"]
        lines.append("join = " + json.dumps(join, ensure_ascii=False))
        lines.append("diffs = [")
        for i, d in enumerate(diffs):
            lines.append(f"  {json.dumps(d, ensure_ascii=False)},  # step {i + 1}")
        lines.append("]")
        if self.error:
            lines.append("client error:\n  " + self.error.replace("\n", "\n  "))
        bad = self.first_failure()
        if bad is not None:
            lines.append(f"first mismatching step: {bad['step']} (0 = join)")
            if "mismatch_at" in bad:
                lines.append(f"  at char {bad['mismatch_at']}")
                lines.append(f"  expected …{bad['expected_context']}…")
                lines.append(f"  actual   …{bad['actual_context']}…")
                lines.append(f"  expected html: {bad['expected']}")
            lines.append(f"  actual html:   {bad.get('html', '')}")
        elif len(self.steps) < 1 + len(diffs):
            lines.append(f"the client stopped after step {len(self.steps) - 1}")
        noisy = [e for e in self.log if e["kind"] != "sent" and not e.get("error")]
        if noisy:
            lines.append("client log (besides the errors above):")
            lines += [f"  {e['kind']}: {e['text'][:500]}" for e in noisy[:20]]
        return "\n".join(lines)


def _installed(node_modules: Path) -> bool:
    """True when node_modules holds exactly the versions pinned in package.json."""
    pins = json.loads((HERE / "package.json").read_text())["dependencies"]
    for name in PINNED:
        manifest = node_modules / name / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text())["version"] != pins[name]:
            return False
    return True


def ensure_node_modules() -> None:
    """Run ``npm ci`` in this folder unless the pinned packages are installed.

    A lock file in the temp dir serialises concurrent pytest workers.
    """
    node_modules = HERE / "node_modules"
    if _installed(node_modules):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise OracleError(
            f"{node_modules} is missing and npm is not on PATH; install Node.js >= 20.19 "
            f"with npm, then run `npm ci --prefix {HERE}`"
        )
    lock_path = Path(tempfile.gettempdir()) / "pylive-conformance-npm-ci.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed(node_modules):
            return
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0 or not _installed(node_modules):
            raise OracleError(f"`npm ci` in {HERE} failed:\n{proc.stdout}\n{proc.stderr}")


class Oracle:
    """One long-lived Node process judging cases; safe to share between threads."""

    def __init__(self, *, node: str | None = None, timeout: float = 60.0) -> None:
        """Start ``node oracle.mjs`` (``npm ci`` first if needed) and wait until it is ready."""
        node_path = node or shutil.which("node")
        if node_path is None:
            raise OracleError(
                "the conformance oracle needs Node.js >= 20.19 (`node` is not on PATH)"
            )
        self._node = node_path
        ensure_node_modules()
        self._timeout = timeout
        self._lock = threading.Lock()
        self._next_id = 0
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=200)
        self.versions: dict[str, str] = {}
        self._start()

    @property
    def pid(self) -> int | None:
        """Process id of the Node oracle (None while stopped)."""
        return self._proc.pid if self._proc is not None else None

    # -- process management ---------------------------------------------------

    def _start(self) -> None:
        proc = subprocess.Popen(
            [self._node, str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._proc = proc
        self._lines = queue.Queue()
        lines, stderr = self._lines, self._stderr

        def pump_stdout() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)  # EOF: the process is gone

        def pump_stderr() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                stderr.append(line.rstrip("\n"))

        for target in (pump_stdout, pump_stderr):
            threading.Thread(target=target, name=f"oracle-{target.__name__}", daemon=True).start()
        hello = self._read(self._timeout)
        if not hello.get("ready"):
            self._kill()
            raise OracleError(f"oracle failed to start: {hello.get('error')}")
        self.versions = hello["versions"]
        major, minor = (int(x) for x in self.versions["node"].split(".")[:2])
        if (major, minor) < MIN_NODE:
            self._kill()
            raise OracleError(f"node {self.versions['node']} is too old: jsdom needs >= 20.19")

    def _read(self, timeout: float) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self._kill()
            raise OracleError(f"oracle gave no answer within {timeout} s") from None
        if line is None:
            self._kill()
            tail = "\n".join(self._stderr)
            raise OracleError(f"oracle process exited; stderr:\n{tail}")
        result: dict[str, Any] = json.loads(line)
        return result

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        """Stop the Node process (it exits by itself once stdin closes)."""
        with self._lock:
            proc, self._proc = self._proc, None
            if proc is None:
                return
            with contextlib.suppress(OSError):
                assert proc.stdin is not None
                proc.stdin.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self) -> Oracle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests -----------------------------------------------------------------

    def request(self, payload: Mapping[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """Send one raw request (see oracle.mjs) and return its raw response."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()  # first use after close(), a crash or a timeout
            assert self._proc is not None and self._proc.stdin is not None
            self._next_id += 1
            req_id = self._next_id
            line = json.dumps({**payload, "id": req_id})
            try:
                self._proc.stdin.write(line + "\n")
                self._proc.stdin.flush()
            except OSError as e:
                self._kill()
                raise OracleError(f"oracle process is gone: {e}") from e
            response = self._read(timeout or self._timeout)
            if response.get("id") != req_id:
                self._kill()
                raise OracleError(f"oracle answered request {response.get('id')}, not {req_id}")
            return response

    def check(
        self,
        join: Json,
        diffs: Sequence[Json],
        expected: Sequence[str] | None,
        mode: Mode = "merge",
        view_id: str = "phx-oracle",
        keep_cid_attrs: bool = False,
        *,
        extra: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> OracleResult:
        """Replay ``join`` then ``diffs`` through the official client.

        ``expected[i]`` is the HTML the server renders for the view's inner content
        after step i (0 = join); ``None`` only collects what the client shows.
        ``keep_cid_attrs`` keeps data-phx-component/data-phx-view in the comparison.
        ``extra`` adds raw request keys (dom mode: ``url``, ``head``, ``body``,
        ``join_reply``; both: ``raw``, ``timeout_ms``).
        """
        payload: dict[str, Any] = {
            "mode": mode,
            "view_id": view_id,
            "join": join,
            "diffs": list(diffs),
            "expected": None if expected is None else list(expected),
            "keep_cid_attrs": keep_cid_attrs,
            **(extra or {}),
        }
        r = self.request(payload, timeout)
        return OracleResult(ok=bool(r["ok"]), steps=r["steps"], error=r["error"], log=r["log"])


def assert_replays(
    oracle: Oracle,
    join: Json,
    diffs: Sequence[Json],
    expected: Sequence[str],
    **kw: Any,
) -> OracleResult:
    """Assert the official client shows ``expected`` after the join and each diff.

    On failure the AssertionError prints the join payload, the diff sequence and
    the first mismatching step (expected vs actual), so a shrunk property-test
    case reads as a ready-made reproduction.
    """
    result = oracle.check(join, diffs, expected, **kw)
    if not result.ok:
        raise AssertionError(result.describe(join, diffs, kw.get("mode", "merge")))
    return result
