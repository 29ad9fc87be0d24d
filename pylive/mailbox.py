"""Memory-stream send/receive that skip anyio's scheduling checkpoint when they need not wait.

anyio's ``send``/``receive`` always yield to the event loop first, even when the item can move
at once; on the event path (socket reader → channel mailbox → outbox → writer) those extra loop
turns cost more than rendering a small diff. These helpers wait only when they must.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeVar

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

__all__ = ["drain", "put"]

T = TypeVar("T")


async def put(stream: MemoryObjectSendStream[T], item: T) -> None:
    """Send ``item``, waiting only while the stream is full."""
    try:
        stream.send_nowait(item)
    except anyio.WouldBlock:
        await stream.send(item)


class drain(AsyncIterator[T]):  # lower case: used like a function, `async for x in drain(s)`
    """Iterate items until the stream ends, waiting only while it is empty.

    A plain iterator, not an async generator: leaving the loop early leaves nothing to finalize.
    """

    __slots__ = ("_stream",)

    def __init__(self, stream: MemoryObjectReceiveStream[T]) -> None:
        self._stream = stream

    async def __anext__(self) -> T:
        try:
            return self._stream.receive_nowait()
        except anyio.WouldBlock:
            try:
                return await self._stream.receive()
            except anyio.EndOfStream:
                raise StopAsyncIteration from None
        except anyio.EndOfStream:
            raise StopAsyncIteration from None
