"""``python -m gallery [--host 127.0.0.1] [--port 8000] [--pubsub URL]``: serve the gallery on
hypercorn. ``--pubsub redis://localhost:6379/0`` lets several gallery processes share the chat
and the shared counter (docs/scaling.md).

Uses ``pylive serve`` (``pylive.cli``), which also closes live sockets cleanly on Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pylive.cli import main as pylive_main


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and run ``pylive serve gallery.app:app``."""
    parser = argparse.ArgumentParser(prog="python -m gallery", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--worker-class", choices=("asyncio", "uvloop", "trio"), default="asyncio")
    parser.add_argument("--pubsub", metavar="URL", help="pub/sub backend (default memory://)")
    args = parser.parse_args(argv)
    print(f"pylive gallery on http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    return pylive_main(
        [
            *("serve", "gallery.app:app", "--host", args.host, "--port", str(args.port)),
            *("--worker-class", args.worker_class),
            *(("--pubsub", args.pubsub) if args.pubsub else ()),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
