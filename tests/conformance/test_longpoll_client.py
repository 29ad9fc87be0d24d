"""The official phoenix client's ``LongPoll`` transport (npm ``phoenix``, in Node) against a
real pylive server: it opens a session, joins, clicks, sends a binary frame as a base64 line,
and when its session is gone (410) it reconnects and rejoins by itself. Served by two worker
processes sharing a real ``redis-server``, every request reaches the session wherever it
lands."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e.support import ServerProcess, app_server
from redis_support import RedisServer, redis_server
from served import free_port

from pylive.testing.page import parse_page

__all__ = ["redis_server"]  # the fixture, imported for this module

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "longpoll_client.mjs"
WAIT = 60.0
"""Seconds any answer may take (a restart and the client's reconnect included)."""


class NodeClient:
    """``node longpoll_client.mjs``: commands in on stdin, JSON events out on stdout."""

    def __init__(self, config: dict[str, Any]) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.fail("the long-poll client test needs Node.js (`node` is not on PATH)")
        self.proc = subprocess.Popen(
            [node, str(SCRIPT), json.dumps(config)],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.seen: list[dict[str, Any]] = []
        # a thread reads the lines: select() on the pipe cannot see lines that an earlier
        # readline already pulled into the file object's buffer (two lines written at once)
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put("")  # the client exited

    def command(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def next(self, key: str) -> Any:
        """The value of the next event carrying ``key`` (earlier events are kept in ``seen``)."""
        while True:
            try:
                line = self._lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(
                    f"no {key!r} from the client within {WAIT} s; saw {self.seen}"
                ) from None
            assert line, f"the client exited; saw {self.seen}"
            event = json.loads(line)
            self.seen.append(event)
            if key in event:
                return event[key]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.command("close")
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = app_server("e2e.longpoll_app:app", free_port(), tmp_path / "server.log")
    process.start()
    try:
        yield process
    finally:
        process.stop()


def client_for(server: ServerProcess) -> NodeClient:
    """Load the page as a browser would, and start the client on its socket."""
    with urllib.request.urlopen(server.url + "/", timeout=10) as response:
        html = response.read().decode()
        cookie = response.headers["set-cookie"].split(";", 1)[0]
    page = parse_page(html, server.url + "/")
    assert page is not None and page.csrf_token is not None
    socket = server.url.replace("http://", "ws://") + page.socket_path
    config = {
        "socket": socket,
        "csrf": page.csrf_token,
        "cookie": cookie,
        "topic": page.topic,
        "join": page.join_payload(),
    }
    return NodeClient(config)


def test_the_official_long_poll_client_joins_clicks_and_sends_binary(
    server: ServerProcess,
) -> None:
    client = client_for(server)
    try:
        joined = client.next("joined")
        assert "Count: " in json.dumps(joined["rendered"])
        client.command("click")
        assert client.next("clicked") == {"diff": {"0": "1"}}
        client.command("binary")  # decoded by the server, answered as for any unjoined topic
        assert client.next("binary_reply") == {
            "status": "error",
            "response": {"reason": "unmatched topic"},
        }
        assert {"transport": "open"} in client.seen
    finally:
        client.close()


def test_a_lost_session_is_gone_and_the_client_reconnects_and_rejoins(
    server: ServerProcess,
) -> None:
    client = client_for(server)
    try:
        client.next("joined")
        client.command("click")
        assert client.next("clicked") == {"diff": {"0": "1"}}
        request = urllib.request.Request(server.url + "/drop", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read() == b"dropped"  # the server closed every session
        rejoined = client.next("joined")  # it reconnects: a new session, then rejoins
        # the held poll answered 410 to a client holding a token: "session gone"
        assert {"transport": "error", "error": "410"} in client.seen
        assert {"transport": "close", "code": 3410} in client.seen
        assert '"0":"0"' in json.dumps(rejoined["rendered"], separators=(",", ":"))
        client.command("click")
        assert client.next("clicked") == {"diff": {"0": "1"}}
    finally:
        client.close()


def test_two_workers_sharing_redis_serve_one_long_poll_client(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    port = free_port()
    args = ["--workers", "2", "--pubsub", redis_server.url]
    process = ServerProcess(
        port,
        tmp_path / "server.log",
        ["-m", "pylive.cli", "serve", "e2e.longpoll_app:app", "--port", str(port), *args],
    )
    process.start()
    client = client_for(process)
    try:
        client.next("joined")
        for count in range(1, 8):  # requests spread over both workers
            client.command("click")
            assert client.next("clicked") == {"diff": {"0": str(count)}}
        assert not any("close" in str(event) for event in client.seen), client.seen
    finally:
        client.close()
        process.stop()
