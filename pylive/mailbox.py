"""A bounded FIFO from any number of producers to one consumer task: a LiveView's mailbox.

The items live in an anyio memory object stream (bounded buffer, producers wait while it is full,
closing ends it). Only the consumer's wait differs: anyio's ``receive()`` always yields to the
event loop first and then waits on a fresh Event, two loop turns per message on the event path
(socket reader → mailbox → channel). Here the consumer takes queued items without yielding and
parks on one Event only when the box is empty; producers wake it.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import anyio

__all__ = ["Mailbox"]

T = TypeVar("T")


class Mailbox(Generic[T]):
    """``await box.put(x)`` from anywhere; ``async for x in box`` in the one consumer task."""

    __slots__ = ("_closed", "_event_type", "_in", "_out", "_parked", "_queued")

    def __init__(self, size: int) -> None:
        self._in, self._out = anyio.create_memory_object_stream[T](size)
        self._parked: anyio.Event | None = None
        # items put and not yet taken (an item a full box let in counts once its producer
        # resumes, then wakes the consumer; one whose put failed counts too, as it may be
        # in): the consumer parks when this is 0 instead of catching WouldBlock (dearer)
        self._queued = 0
        self._closed = False
        # anyio.Event() looks the async backend up on every call; its concrete class does not
        self._event_type: type[anyio.Event] | None = None

    async def put(self, item: T) -> None:
        """Queue ``item``, waiting while the box is full; ``anyio.ClosedResourceError`` or
        ``anyio.BrokenResourceError`` once it is closed."""
        try:
            self._in.send_nowait(item)
        except anyio.WouldBlock:
            try:
                await self._in.send(item)
            except BaseException:
                self._queued += 1  # the item may be in anyway: the consumer must look
                self._wake()
                raise
        self._queued += 1
        self._wake()

    def put_nowait(self, item: T) -> None:
        """Queue ``item`` now; ``anyio.WouldBlock`` if the box is full, errors as ``put``."""
        self._in.send_nowait(item)
        self._queued += 1
        self._wake()

    async def deliver(self, item: T) -> bool:
        """``put``, returning False instead of raising once the box is closed."""
        try:
            await self.put(item)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            return False
        return True

    def offer(self, item: T) -> bool:
        """``put_nowait``, returning False instead of raising if the box is full or closed."""
        try:
            self.put_nowait(item)
        except (anyio.WouldBlock, anyio.ClosedResourceError, anyio.BrokenResourceError):
            return False
        return True

    def get_nowait(self) -> T:
        """The next item; ``anyio.WouldBlock`` if the box is empty, ``anyio.EndOfStream`` or
        ``anyio.ClosedResourceError`` once it is closed."""
        item = self._out.receive_nowait()
        self._queued -= 1
        return item

    def close(self) -> list[T]:
        """End the box (idempotent): producers get errors, the consumer's loop ends. Returns
        the items queued and never taken."""
        left: list[T] = []
        try:
            while True:
                left.append(self._out.receive_nowait())
        except (anyio.WouldBlock, anyio.EndOfStream, anyio.ClosedResourceError):
            pass
        self._closed = True
        self._in.close()
        self._out.close()
        self._wake()
        return left

    def _wake(self) -> None:
        parked = self._parked
        if parked is not None:
            self._parked = None
            parked.set()

    def __aiter__(self) -> Mailbox[T]:
        return self

    async def __anext__(self) -> T:
        while True:
            if self._queued > 0 or self._closed:
                try:
                    return self.get_nowait()
                except anyio.WouldBlock:
                    pass
                except (anyio.EndOfStream, anyio.ClosedResourceError):
                    raise StopAsyncIteration from None
            if self._event_type is None:
                self._event_type = type(anyio.Event())
            parked = self._parked = self._event_type()
            await parked.wait()
