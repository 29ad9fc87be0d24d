"""The toolkit's static files: ``pylive-ui.css`` and ``pylive-ui.js`` in ``pylive/ui/static/``.

``LiveApp`` serves them at ``<socket path>/assets/ui/`` with the client bundle's cache policy
(content-hashed URLs, immutable caching) and their precompressed copies (``.br``, ``.gz``,
committed next to them). After editing a file, refresh its copies with
``python -m pylive.ui.files``; a test checks they are current (a stale copy is never served).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

__all__ = ["FILES", "SCRIPT", "STYLESHEET", "UI_DIR", "compress"]

UI_DIR = Path(__file__).parent / "static"
STYLESHEET = "pylive-ui.css"
SCRIPT = "pylive-ui.js"
FILES = (STYLESHEET, SCRIPT)


def compressed(data: bytes) -> dict[str, bytes]:
    """The ``.br`` and ``.gz`` copies of ``data`` (deterministic: no timestamp in the gzip)."""
    return {
        ".br": brotli.compress(data, quality=11),
        ".gz": gzip.compress(data, compresslevel=9, mtime=0),
    }


def compress(directory: Path = UI_DIR) -> list[Path]:
    """Write the compressed copies of every file of ``FILES``; returns the paths written."""
    written = []
    for name in FILES:
        data = (directory / name).read_bytes()
        for suffix, copy in compressed(data).items():
            target = directory / (name + suffix)
            target.write_bytes(copy)
            written.append(target)
    return written


if __name__ == "__main__":
    for path in compress():
        print(path)
