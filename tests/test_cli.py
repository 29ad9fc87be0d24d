"""``pylive serve``, the real command in a subprocess: an app that cannot be loaded is one line
and a non-zero exit; pylive's log lines have hypercorn's format (time, process id, level)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from served import WAIT, free_port, join, serving

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
