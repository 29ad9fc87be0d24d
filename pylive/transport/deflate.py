"""Whether a live socket may use permessage-deflate (RFC 7692), and hypercorn's side of it.

Every browser offers permessage-deflate. A server that accepts keeps a zlib compressor and
decompressor per connection (hypercorn through wsproto, with 15-bit windows: over 100 KiB per
idle connection), which dwarfs what an idle LiveView costs. Phoenix declines by default
(``compress: false`` in the socket's ``websocket`` options); pylive does the same unless the
app says otherwise (``LiveApp(websocket_compression=True)``).

The extension is negotiated by the server during the handshake, and ASGI gives the app no say:
hypercorn 0.18 accepts the offer whenever it is made, with no setting to decline it (hypercorn
issue #307). ``decline_unless_allowed`` installs a small adapter into hypercorn: its handshake
then drops the client's offer unless the code that accepts the connection runs inside
``allow_deflate(True)``. ``pylive serve`` (and so ``python -m gallery``) installs it; other
WebSocket routes of the same server keep hypercorn's behaviour (they never set the flag, whose
default is hypercorn's "accept"). Under another server the server decides: uvicorn accepts
unless started with ``--ws-per-message-deflate false``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["allow_deflate", "decline_unless_allowed"]

_ALLOWED: ContextVar[bool] = ContextVar("pylive_websocket_deflate", default=True)
"""Read by the adapter when the app accepts; True (hypercorn's own behaviour) unless set."""


@contextmanager
def allow_deflate(allowed: bool) -> Iterator[None]:
    """Accept the WebSocket inside this block to allow (or decline) a permessage-deflate offer.

    It takes effect where ``decline_unless_allowed`` is installed; it does nothing elsewhere.
    """
    token = _ALLOWED.set(allowed)
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def decline_unless_allowed() -> None:
    """Make hypercorn's WebSocket handshake honour ``allow_deflate`` (idempotent).

    hypercorn builds a ``Handshake`` from the request headers and calls its ``accept`` when the
    app sends ``websocket.accept``, in the app's own task: the subclass installed here forgets
    the client's extension offer at that moment if the app declined it. Covers HTTP/1.1 and
    HTTP/2 WebSockets, on every worker class.
    """
    from hypercorn.protocol import ws_stream

    if getattr(ws_stream.Handshake, "pylive_deflate_policy", False):
        return

    class Handshake(ws_stream.Handshake):
        pylive_deflate_policy = True

        def accept(
            self, subprotocol: str | None, additional_headers: Iterable[tuple[bytes, bytes]]
        ) -> Any:
            if not _ALLOWED.get():
                self.extensions = None  # as if the client offered none
            return super().accept(subprotocol, additional_headers)

    ws_stream.Handshake = Handshake  # type: ignore[misc]
