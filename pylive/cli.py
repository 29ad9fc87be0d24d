"""``pylive serve MODULE:APP``: run an app on hypercorn, closing live sockets on shutdown.

hypercorn alone does not end a shutdown while WebSockets are open (it cancels them after its
graceful timeout; on Python >= 3.12 with asyncio it waits forever, hypercorn issue #308), so
every worker wraps the shutdown trigger: when it fires, each live socket is closed with 1001
(clients reconnect, to the next server if need be) before hypercorn's own graceful phase.
Every worker also lets the app decline permessage-deflate, which hypercorn alone always accepts
(``pylive.transport.deflate``; ``LiveApp(websocket_compression=True)`` accepts it).
Several workers, or ``--reload``, run in spawned processes that share the listening sockets, as
hypercorn's own runner does. docs/deployment.md compares this with other ways of serving.

pylive's log lines (``pylive.*`` loggers) get hypercorn's format (time, process id, level) unless
the app configures logging itself. An app that cannot be loaded (no such module, no such
attribute) is reported in one line, with a non-zero exit code.

A client that stops reading would hold its connection forever: hypercorn waits without limit for
the peer to take what it writes. ``--send-timeout`` (Linux's ``TCP_USER_TIMEOUT`` on the listening
sockets, inherited by every connection) makes the kernel drop a connection whose written data
waited that long unacknowledged or unsent; the app then sees a disconnect.

Every worker tunes Python's cyclic garbage collector once the app is loaded (docs/performance.md,
"Many connections"): ``gc.freeze()`` takes the objects of the loaded app out of every later
collection (``--no-gc-freeze``: not), and ``--gc-threshold`` (default 20000,1,100; CPython's own:
700,10,10) keeps young collections short (a middle generation that never holds the survivors of
more than two young collections) and makes the full collections that walk every connected view's
objects come far less often.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from multiprocessing.connection import wait
from multiprocessing.synchronize import Event
from typing import Any

import anyio
from hypercorn.config import Config, Sockets
from hypercorn.typing import AppWrapper
from hypercorn.utils import (
    NoAppError,
    check_for_updates,
    check_multiprocess_shutdown_event,
    files_to_watch,
    load_application,
    wrap_app,
)

from pylive.app import close_live_sockets
from pylive.transport.deflate import decline_unless_allowed

__all__ = ["main", "serve"]

WORKER_CLASSES = ("asyncio", "uvloop", "trio")

LOG_FORMAT = "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"
LOG_DATE_FORMAT = "[%Y-%m-%d %H:%M:%S %z]"
"""hypercorn's own log format (``hypercorn.logging``), for pylive's loggers under ``serve``."""

SEND_TIMEOUT = 60.0
"""Default ``--send-timeout``: seconds written data may wait for the client (as the heartbeat
timeout, ``LiveApp(heartbeat_timeout=...)``, allows it to stay silent)."""

GC_THRESHOLD = (20_000, 1, 100)
"""Default ``--gc-threshold``: ``gc.set_threshold`` in every worker (CPython's is 700, 10, 10)."""


@dataclass(frozen=True)
class GcTuning:
    """What every worker does to the garbage collector once the app is loaded."""

    threshold: tuple[int, int, int] = GC_THRESHOLD
    freeze: bool = True

    def apply(self) -> None:
        gc.set_threshold(*self.threshold)
        if self.freeze:
            gc.freeze()


def _gc_threshold(text: str) -> tuple[int, int, int]:
    """``--gc-threshold`` as three non-negative integers, e.g. ``20000,1,100``."""
    try:
        g0, g1, g2 = (int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected three integers G0,G1,G2, got {text!r}"
        ) from None
    if min(g0, g1, g2) < 0:
        raise argparse.ArgumentTypeError(f"thresholds cannot be negative: {text!r}")
    return g0, g1, g2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pylive`` command."""
    parser = argparse.ArgumentParser(prog="pylive", description="LiveView for Python")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve an ASGI app on hypercorn")
    run.add_argument("app", metavar="MODULE:APP", help="e.g. myproject.web:app")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    run.add_argument("--reload", action="store_true", help="restart when code changes")
    run.add_argument("--worker-class", choices=WORKER_CLASSES, default="asyncio")
    run.add_argument(
        "--pubsub",
        metavar="URL",
        help="pub/sub backend, e.g. redis://localhost:6379/0 (sets $PYLIVE_PUBSUB; default memory://)",
    )
    run.add_argument(
        "--send-timeout",
        type=float,
        default=SEND_TIMEOUT,
        metavar="SECONDS",
        help="drop a connection whose data waits this long for the client (Linux; 0: never)",
    )
    run.add_argument(
        "--gc-threshold",
        type=_gc_threshold,
        default=GC_THRESHOLD,
        metavar="G0,G1,G2",
        help="gc.set_threshold in each worker (default 20000,1,100; CPython's: 700,10,10)",
    )
    run.add_argument(
        "--gc-freeze",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="gc.freeze() the loaded app in each worker (default on)",
    )
    args = parser.parse_args(argv)
    if args.pubsub:
        os.environ["PYLIVE_PUBSUB"] = args.pubsub  # workers are processes: they inherit it
    if args.worker_class == "trio" and os.environ.get("PYLIVE_PUBSUB", "").startswith("redis"):
        parser.error("a redis:// pub/sub needs asyncio: use --worker-class asyncio or uvloop")

    config = Config()
    config.application_path = args.app
    config.bind = [f"{args.host}:{args.port}"]
    config.workers = max(1, args.workers)
    config.worker_class = args.worker_class
    config.accesslog = "-"
    config.errorlog = "-"
    sockets = config.create_sockets()
    _limit_send_wait(sockets, args.send_timeout)
    tuning = GcTuning(args.gc_threshold, args.gc_freeze)
    if config.workers == 1 and not args.reload:
        _worker(config, tuning, sockets)
        return 0
    return _supervise(config, tuning, sockets, reload=args.reload)


def _limit_send_wait(sockets: Sockets, timeout: float) -> None:
    """Set ``TCP_USER_TIMEOUT`` (where the platform has it) on the TCP listening sockets."""
    option = getattr(socket, "TCP_USER_TIMEOUT", None)
    if option is None or timeout <= 0:
        return
    for sock in [*sockets.secure_sockets, *sockets.insecure_sockets]:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, option, int(timeout * 1000))


async def serve(app: Any, config: Config, *, stop: Callable[[], Awaitable[None]]) -> None:
    """Serve ``app`` in the running event loop (asyncio or trio) until ``stop()`` returns,
    then close every live socket and let hypercorn finish its graceful shutdown."""
    await _serve_on(wrap_app(app, config.wsgi_max_body_size, None), config, None, stop)


async def _serve_on(
    app: AppWrapper, config: Config, sockets: Sockets | None, stop: Callable[[], Awaitable[None]]
) -> None:
    async def shutdown_trigger() -> None:
        await stop()
        await close_live_sockets()

    decline_unless_allowed()  # permessage-deflate only where the app allows it

    if _on_trio():
        from hypercorn.trio.run import worker_serve as trio_serve

        await trio_serve(app, config, sockets=sockets, shutdown_trigger=shutdown_trigger)
    else:
        from hypercorn.asyncio.run import worker_serve as asyncio_serve

        await asyncio_serve(app, config, sockets=sockets, shutdown_trigger=shutdown_trigger)


def _on_trio() -> bool:
    try:
        import trio
    except ImportError:
        return False
    try:
        trio.lowlevel.current_root_task()
    except RuntimeError:
        return False
    return True


async def _signalled() -> None:
    with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async for _ in signals:
            return


def _load_app(config: Config) -> AppWrapper:
    """The app at ``config.application_path``; a one-line ``SystemExit`` if there is none."""
    path = config.application_path
    _log_like_hypercorn()
    try:
        app = load_application(path, config.wsgi_max_body_size)
    except NoAppError as error:
        module, _, attribute = path.rpartition(":") if ":" in path else (path, "", "app")
        module = module.rpartition(":")[2]  # without an "asgi:"/"wsgi:" mode
        if "module not found" in str(error):
            reason = f"no module named {module!r} (not in {os.getcwd()} nor on sys.path)"
        elif "application not found" in str(error):
            reason = f"module {module!r} has no attribute {attribute!r}"
        else:
            reason = str(error)
        raise SystemExit(f"pylive serve: cannot load {path!r}: {reason}") from None
    return app


class _ServeLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes ``pylive`` log records to stderr in hypercorn's format, unless the app has
    configured logging (root handlers): then the record only goes to those, as usual."""

    def emit(self, record: logging.LogRecord) -> None:
        if not logging.getLogger().handlers:
            super().emit(record)


def _log_like_hypercorn() -> None:
    """Give the ``pylive`` loggers hypercorn's format (levels stay Python's defaults)."""
    pylive_logger = logging.getLogger("pylive")
    if any(isinstance(h, _ServeLogHandler) for h in pylive_logger.handlers):
        return
    handler = _ServeLogHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT, LOG_DATE_FORMAT))
    pylive_logger.addHandler(handler)


def _worker(
    config: Config,
    tuning: GcTuning,
    sockets: Sockets | None = None,
    stop_event: Event | None = None,
) -> None:
    """One server process: load the app, tune the garbage collector, serve the app on the
    configured event loop."""
    app = _load_app(config)
    tuning.apply()
    if stop_event is None:
        stop: Callable[[], Awaitable[None]] = _signalled
    else:
        stop = partial(check_multiprocess_shutdown_event, stop_event, anyio.sleep)
    if config.worker_class == "trio":
        if sockets is not None:
            for sock in [*sockets.secure_sockets, *sockets.insecure_sockets]:
                sock.listen(config.backlog)
        anyio.run(_serve_on, app, config, sockets, stop, backend="trio")
        return
    loop_factory = None
    if config.worker_class == "uvloop":
        loop_factory = importlib.import_module("uvloop").new_event_loop  # the "uvloop" extra
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(_serve_on(app, config, sockets, stop))


def _supervise(config: Config, tuning: GcTuning, sockets: Sockets, *, reload: bool) -> int:
    """Run ``config.workers`` worker processes on ``sockets``; restart them all when code
    changes (reload)."""
    if reload:
        _load_app(config)  # to watch its files
    ctx = get_context("spawn")
    stop_event = ctx.Event()
    stopping = False

    def request_stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True
        stop_event.set()

    exitcode = 0
    while not stopping:
        stop_event.clear()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # children inherit: the parent decides
        workers = [
            ctx.Process(target=_worker, args=(config, tuning, sockets, stop_event))
            for _ in range(config.workers)
        ]
        for process in workers:
            process.start()
        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        watched = files_to_watch() if reload else None
        while not stopping:
            if wait([p.sentinel for p in workers], timeout=1):
                request_stop()  # a worker died: stop the others instead of limping on
            elif watched is not None and check_for_updates(watched):
                stop_event.set()
                break
        for process in workers:
            process.join()
            exitcode = exitcode or (process.exitcode or 0)
    for sock in [*sockets.secure_sockets, *sockets.insecure_sockets]:
        sock.close()
    return exitcode


if __name__ == "__main__":
    sys.exit(main())
