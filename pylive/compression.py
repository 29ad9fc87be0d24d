"""Compressed HTTP responses: brotli where the client accepts it, else gzip.

``CompressionMiddleware`` is what ``LiveApp(compress=True)`` (the default) puts around all of
its HTTP routes, the user's own included; ``LiveApp(compress=Compression(...))`` tunes it.
gzip is Starlette's ``GZipMiddleware``; brotli is a responder built on the same Starlette
machinery (``IdentityResponder``: minimum size, streaming, excluded media types, 206 and
``pathsend`` passed through, a response that already has a ``Content-Encoding`` left alone)
whose compressor is the ``brotli`` package's. WebSocket and lifespan scopes pass straight
through.
"""

from __future__ import annotations

from dataclasses import dataclass

import anyio.to_thread
import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware, IdentityResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MINIMUM_SIZE", "Compression", "CompressionMiddleware", "accepted_encodings"]

MINIMUM_SIZE = 500
"""Bodies shorter than this go out as they are (Starlette's ``GZipMiddleware`` default)."""

BROTLI_QUALITY = 4
"""On-the-fly brotli quality (0 to 11): about as small as gzip -9, and faster."""

GZIP_LEVEL = 9
"""gzip level (1 to 9; Starlette's default)."""


@dataclass(frozen=True, slots=True)
class Compression:
    """How ``LiveApp`` compresses its HTTP responses (``LiveApp(compress=Compression(...))``)."""

    minimum_size: int = MINIMUM_SIZE
    """Bodies shorter than this many bytes go out as they are."""
    gzip_level: int = GZIP_LEVEL
    """1 (fastest) to 9 (smallest)."""
    brotli_quality: int = BROTLI_QUALITY
    """0 (fastest) to 11 (smallest; too slow for responses made per request)."""

    def __post_init__(self) -> None:
        if self.minimum_size < 0:
            raise ValueError(f"minimum_size must be 0 or more, not {self.minimum_size}")
        if not 1 <= self.gzip_level <= 9:
            raise ValueError(f"gzip_level must be 1 to 9, not {self.gzip_level}")
        if not 0 <= self.brotli_quality <= 11:
            raise ValueError(f"brotli_quality must be 0 to 11, not {self.brotli_quality}")


_THREAD_MINIMUM_SIZE = 128 * 1024
"""Chunks at least this large are compressed in a worker thread (as Starlette's gzip does)."""


def accepted_encodings(accept_encoding: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` value allows (lower case; ``q=0`` refused)."""
    accepted: set[str] = set()
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        quality = params.strip().lower()
        if not name:
            continue
        if quality.startswith("q=") and _is_zero(quality[2:]):
            continue
        accepted.add(name)
    return accepted


def _is_zero(value: str) -> bool:
    try:
        return float(value) == 0
    except ValueError:
        return False


class BrotliResponder(IdentityResponder):
    """Starlette's responder logic with a ``brotli.Compressor`` (flushed per streamed chunk)."""

    content_encoding = "br"

    def __init__(self, app: ASGIApp, minimum_size: int, quality: int) -> None:
        super().__init__(app, minimum_size)
        self.quality = quality
        self._compressor: brotli.Compressor | None = None

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if len(body) >= _THREAD_MINIMUM_SIZE:
            return await anyio.to_thread.run_sync(self._compress, body, more_body)
        return self._compress(body, more_body)

    def _compress(self, body: bytes, more_body: bool) -> bytes:
        if self._compressor is None:
            self._compressor = brotli.Compressor(quality=self.quality)
        out: bytes = self._compressor.process(body)
        tail: bytes = self._compressor.flush() if more_body else self._compressor.finish()
        return out + tail


class CompressionMiddleware:
    """Compress HTTP responses of at least ``settings.minimum_size`` bytes: ``br`` if the
    request accepts it, else ``gzip`` if accepted, else none (``Vary: Accept-Encoding`` either
    way)."""

    def __init__(self, app: ASGIApp, settings: Compression = Compression()) -> None:
        self.app = app
        self.settings = settings
        self.gzip = GZipMiddleware(
            app, minimum_size=settings.minimum_size, compresslevel=settings.gzip_level
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accepted = accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        responder: ASGIApp
        settings = self.settings
        if "br" in accepted:
            responder = BrotliResponder(self.app, settings.minimum_size, settings.brotli_quality)
        elif "gzip" in accepted:
            responder = self.gzip
        else:
            responder = IdentityResponder(self.app, settings.minimum_size)
        await responder(scope, receive, _single_vary(send))


def _single_vary(send: Send) -> Send:
    """``send`` with repeated ``Vary`` values merged (the app may have set one already)."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(raw=message.setdefault("headers", []))
            values = [v.strip() for line in headers.getlist("vary") for v in line.split(",")]
            unique = list({v.lower(): v for v in reversed(values) if v}.values())[::-1]
            if len(unique) < len(values):
                headers["vary"] = ", ".join(unique)
        await send(message)

    return wrapped
