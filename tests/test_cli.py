"""``pylive serve``, the real command in a subprocess: an app that cannot be loaded is one line
and a non-zero exit; pylive's log lines have hypercorn's format (time, process id, level)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from served import WAIT, free_port, join, serving

from pylive.cli import GC_THRESHOLD
from pylive.testing.phoenix import Frame

pytestmark = pytest.mark.anyio

HYPERCORN_LINE = re.compile(
    r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] "
    r"\[(?P<pid>\d+)\] \[(?P<level>[A-Z]+)\] (?P<msg>.*)$"
)
"""A log line as hypercorn writes them: ``[2026-12-03 08:00:00 +0000] [123] [INFO] ...``."""

APP = """
from htpy import button, p

from pylive import LiveApp, LiveRoute, LiveView


class Fragile(LiveView):
    async def handle_event(self, socket, event, params):
        raise RuntimeError("the handler broke")

    def render(self, assigns):
        return p[button(phx_click="break")["break"]]


app = LiveApp([LiveRoute("/", Fragile)], secret_key="test")
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the websockets client needs asyncio; the server runs in a subprocess


def _serve(where: Path, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pylive.cli", "serve", target, "--port", str(free_port())],
        cwd=where,
        env={**os.environ, "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        timeout=WAIT,
    )


def test_a_missing_attribute_is_one_line_naming_module_and_attribute(tmp_path: Path) -> None:
    (tmp_path / "web.py").write_text(APP)
    result = _serve(tmp_path, "web:missing")
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "pylive serve: cannot load 'web:missing': module 'web' has no attribute 'missing'"
    ], result.stderr


def test_a_missing_module_is_one_line_naming_it(tmp_path: Path) -> None:
    result = _serve(tmp_path, "nowhere:app")
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pylive serve: cannot load 'nowhere:app': no module named 'nowhere'")


async def _crash_log(tmp_path: Path, source: str) -> str:
    """Serve ``source`` as ``web:app`` with ``pylive serve``, crash its view with a click and
    return the server's output once the traceback is in it."""
    (tmp_path / "web.py").write_text(source)
    port = free_port()
    command = [sys.executable, "-m", "pylive.cli", "serve", "web:app", "--port", str(port)]
    with serving(command, tmp_path, port) as server:
        ws, topic = await join(server, "/")
        async with ws:
            click = {"type": "click", "event": "break", "value": {"value": ""}}
            await ws.send(Frame("1", "2", topic, "event", click).encode())
            return await server.wait_for_log("RuntimeError: the handler broke")


async def test_a_crash_in_a_view_is_logged_like_hypercorns_own_lines(tmp_path: Path) -> None:
    log = await _crash_log(tmp_path, APP)
    lines = log.splitlines()
    running = next(line for line in lines if "Running on" in line)  # hypercorn's own line
    crash = next(line for line in lines if "crashed" in line)  # pylive.channel's
    ours, theirs = HYPERCORN_LINE.match(crash), HYPERCORN_LINE.match(running)
    assert theirs is not None, running
    assert ours is not None, f"{crash!r} is not formatted like {running!r}"
    assert (ours["level"], ours["pid"]) == ("ERROR", theirs["pid"])
    assert ours["msg"].startswith("LiveView") and ours["msg"].endswith("crashed"), crash
    assert lines[lines.index(crash) + 1] == "Traceback (most recent call last):"


async def test_an_app_that_configures_logging_gets_each_line_once_its_way(tmp_path: Path) -> None:
    app = "import logging\nlogging.basicConfig(format='APP %(levelname)s %(message)s')\n" + APP
    log = await _crash_log(tmp_path, app)
    crashes = [line for line in log.splitlines() if "crashed" in line]
    assert len(crashes) == 1 and crashes[0].startswith("APP ERROR LiveView"), log


GC_APP = """
import gc

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def gc_state(request):
    return JSONResponse({"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()})


app = Starlette(routes=[Route("/gc", gc_state)])
"""


async def _gc_state(tmp_path: Path, *options: str) -> Any:
    """The garbage collector's settings in a worker of ``pylive serve web:app *options``."""
    (tmp_path / "web.py").write_text(GC_APP)
    port = free_port()
    command = [sys.executable, "-m", "pylive.cli", "serve", "web:app", "--port", str(port)]
    with serving([*command, *options], tmp_path, port) as server:
        response = await server.get_when_up("/gc")
        assert response.status_code == 200, response.text
        return response.json()


async def test_workers_freeze_the_loaded_app_and_raise_the_gc_thresholds(tmp_path: Path) -> None:
    state = await _gc_state(tmp_path)
    assert state["threshold"] == list(GC_THRESHOLD)
    assert state["frozen"] > 0  # the app's objects, out of every collection


async def test_gc_options_reach_spawned_workers(tmp_path: Path) -> None:
    state = await _gc_state(tmp_path, "--workers", "2", "--gc-threshold", "1000,20,30")
    assert state["threshold"] == [1000, 20, 30]
    assert state["frozen"] > 0


async def test_no_gc_freeze_and_cpythons_thresholds_restore_its_defaults(tmp_path: Path) -> None:
    state = await _gc_state(tmp_path, "--gc-threshold", "700,10,10", "--no-gc-freeze")
    assert state == {"threshold": [700, 10, 10], "frozen": 0}


def test_a_bad_gc_threshold_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pylive.cli", "serve", "web:app", "--gc-threshold", "700,10"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert result.returncode == 2
    assert "--gc-threshold: expected three integers G0,G1,G2, got '700,10'" in result.stderr
