"""Serving the browser client: ``pylive/client/dist/`` at ``<prefix>/live/assets/``.

The bundle (``pylive.js``: the official Phoenix LiveView client plus pylive's bootstrap) is
built from ``pylive/client/`` by ``pylive/client/build.py``, which the wheel build hook runs, so
an installed pylive (wheel or ``pip install -e .``) always has it. Only ``dist/`` is served:
the npm manifests, sources and ``node_modules`` next to it stay private.

Caching: a URL made by ``asset_url`` carries ``?v=<content hash>`` and is answered with
``Cache-Control: public, max-age=31536000, immutable``; any other request (the plain URL, or an
outdated hash after an upgrade) gets ``no-cache``, so the browser revalidates with the ETag
and gets a cheap 304 while the file is unchanged.

The toolkit's stylesheet and script (``pylive/ui/static/``, see ``pylive.ui.files``) are served
the same way at ``<prefix>/live/assets/ui/``, with the compressed copies committed next to them.

Every file is sent with ``x-content-type-options: nosniff`` (``pylive.browser_headers``): the
browser takes it for its declared type only.

Compression: the build also writes ``pylive.js.br`` and ``pylive.js.gz``. A request accepting
``br`` (else ``gzip``) gets that file as it is, with ``Content-Encoding`` and its own ETag;
every response of a file that has such copies carries ``Vary: Accept-Encoding``. A copy is
used only once it has been checked to decompress to the file's current bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
import os
from collections.abc import Callable
from pathlib import Path

import brotli
from starlette.datastructures import Headers, QueryParams
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

from pylive.browser_headers import NOSNIFF
from pylive.compression import accepted_encodings

__all__ = [
    "DIST_DIR",
    "IMMUTABLE",
    "REVALIDATE",
    "ClientAssets",
    "asset_text",
    "asset_url",
    "asset_version",
]

logger = logging.getLogger(__name__)

DIST_DIR = Path(__file__).parent / "client" / "dist"
"""The built client assets (not in git; made by ``pylive/client/build.py``)."""

IMMUTABLE = "public, max-age=31536000, immutable"
"""Cache-Control for a URL whose ``v`` matches the file's content hash."""
REVALIDATE = "no-cache"
"""Cache-Control otherwise: cache, but ask with the ETag before every use."""

_MISSING = (
    "pylive's browser client is not built ({path} is missing).\n"
    "It is made when pylive is installed (pip install . / pip install -e ., which need npm),\n"
    "or by hand: python pylive/client/build.py\n"
)

PRECOMPRESSED: tuple[tuple[str, str, Callable[[bytes], bytes]], ...] = (
    ("br", ".br", brotli.decompress),
    ("gzip", ".gz", gzip.decompress),
)
"""Content coding, file suffix and decoder of the build's compressed copies, preferred first."""

_read: dict[Path, tuple[int, int, str, bytes]] = {}
_checked: dict[tuple[str, str], tuple[tuple[int, int], tuple[int, int], bool]] = {}


def _asset(name: str, directory: Path) -> tuple[str, bytes] | None:
    """Short content hash and bytes of asset ``name`` (None if it does not exist); cached per
    mtime and size."""
    path = directory / name
    try:
        stat = path.stat()
    except OSError:
        return None
    cached = _read.get(path)
    if cached is None or cached[:2] != (stat.st_mtime_ns, stat.st_size):
        data = path.read_bytes()
        cached = (stat.st_mtime_ns, stat.st_size, hashlib.sha256(data).hexdigest()[:16], data)
        _read[path] = cached
    return cached[2], cached[3]


def asset_version(name: str, directory: Path = DIST_DIR) -> str | None:
    """Short content hash of asset ``name`` (None if it does not exist); cached per mtime."""
    found = _asset(name, directory)
    return None if found is None else found[0]


def asset_text(name: str, directory: Path = DIST_DIR) -> str | None:
    """The text of asset ``name`` (UTF-8; None if it does not exist), to write into a page;
    cached per mtime."""
    found = _asset(name, directory)
    return None if found is None else found[1].decode("utf-8")


def asset_url(assets_path: str, name: str, directory: Path = DIST_DIR) -> str:
    """URL of asset ``name`` (a file of ``directory``) under ``assets_path`` with its content
    hash, cacheable forever."""
    version = asset_version(name, directory)
    return f"{assets_path}/{name}" if version is None else f"{assets_path}/{name}?v={version}"


class ClientAssets(StaticFiles):
    """``StaticFiles`` over ``DIST_DIR`` with the cache policy above, and a message saying how
    to build the client when it is missing (instead of a bare 404)."""

    def __init__(self, directory: Path = DIST_DIR) -> None:
        super().__init__(directory=directory, check_dir=False)
        self._dir = directory
        self._warned = False

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file at ``path``, or an explanation if the client bundle is not built. The
        compressed copies are only sent in place of their file, never under their own name."""
        if path.endswith(tuple(suffix for _, suffix, _ in PRECOMPRESSED)):
            raise HTTPException(status_code=404)
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or any(self._dir.glob("*.js")):
                raise
            message = _MISSING.format(path=self._dir / os.path.basename(path))
            if not self._warned:
                self._warned = True
                logger.error(message.rstrip())
            return PlainTextResponse(message, status_code=404)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        """The file, or its compressed copy the request accepts (or a 304), with
        ``Cache-Control`` chosen by the URL's ``v``."""
        variants = _variants(str(full_path), stat_result)
        accepted = accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        chosen = next((v for v in variants if v[0] in accepted), None)
        if chosen is None:
            response = super().file_response(full_path, stat_result, scope, status_code)
        else:
            encoding, path, stat = chosen
            media_type = mimetypes.guess_type(str(full_path))[0] or "application/octet-stream"
            response = FileResponse(
                path,
                status_code=status_code,
                headers={"content-encoding": encoding},
                media_type=media_type,
                stat_result=stat,
            )
            if self.is_not_modified(response.headers, Headers(scope=scope)):
                response = NotModifiedResponse(response.headers)
        if variants:
            response.headers.add_vary_header("Accept-Encoding")
        wanted = QueryParams(scope.get("query_string", b"")).get("v")
        current = asset_version(os.path.basename(full_path), Path(full_path).parent)
        fresh = wanted is not None and wanted == current
        response.headers["Cache-Control"] = IMMUTABLE if fresh else REVALIDATE
        response.headers.update(NOSNIFF)
        return response


def _variants(full_path: str, stat: os.stat_result) -> list[tuple[str, str, os.stat_result]]:
    """The compressed copies of ``full_path`` that decode to its current bytes:
    ``(content coding, path, stat)``, preferred first."""
    found = []
    for encoding, suffix, decode in PRECOMPRESSED:
        path = full_path + suffix
        try:
            copy_stat = os.stat(path)
        except OSError:
            continue
        key = (full_path, encoding)
        stamps = ((stat.st_mtime_ns, stat.st_size), (copy_stat.st_mtime_ns, copy_stat.st_size))
        cached = _checked.get(key)
        if cached is None or cached[:2] != stamps:
            try:
                with open(full_path, "rb") as original, open(path, "rb") as compressed:
                    same = decode(compressed.read()) == original.read()
            except Exception:  # unreadable, or not valid compressed data
                same = False
            if not same:
                logger.warning("%s does not match %s: not serving it", path, full_path)
            _checked[key] = cached = (*stamps, same)
        if cached[2]:
            found.append((encoding, path, copy_stat))
    return found
