"""A bounded FIFO from any number of producers to one consumer: a LiveView's mailbox.

Producers wait while it is full; closing it ends it. The consumer either takes items with
``get_nowait`` in a task its owner starts only while the box holds mail (``wake``: called when
an item comes in and when the box closes, so an idle LiveView holds no task at all), or
iterates it with ``async for``, parking on one Event only while the box is empty. Nothing but
the queued items is kept: the queue and the Events exist only while needed, which matters at
ten thousand idle views.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

import anyio

__all__ = ["Mailbox"]

T = TypeVar("T")


class Mailbox(Generic[T]):
    """``await box.put(x)`` from anywhere; ``get_nowait`` or ``async for`` in one consumer."""

    __slots__ = ("_closed", "_items", "_parked", "_room", "_size", "_wake")

    def __init__(self, size: int, wake: Callable[[], None] | None = None) -> None:
        """``wake``: called after an item is queued and when the box closes (the owner starts
        its consumer then, if none runs)."""
        self._size = size
        self._items: deque[T] | None = None  # while items are queued
        self._closed = False
        self._parked: anyio.Event | None = None  # an ``async for`` consumer waiting for items
        self._room: anyio.Event | None = None  # producers waiting for room
        self._wake = wake

    def __len__(self) -> int:
        return 0 if self._items is None else len(self._items)

    async def put(self, item: T) -> None:
        """Queue ``item``, waiting while the box is full; ``anyio.ClosedResourceError`` once
        it is closed."""
        while not self._closed and self._items is not None and len(self._items) >= self._size:
            room = self._room = self._room or anyio.Event()
            await room.wait()
        self.put_nowait(item)

    def put_nowait(self, item: T) -> None:
        """Queue ``item`` now; ``anyio.WouldBlock`` if the box is full, errors as ``put``."""
        if self._closed:
            raise anyio.ClosedResourceError
        items = self._items
        if items is None:
            items = self._items = deque()
        elif len(items) >= self._size:
            raise anyio.WouldBlock
        items.append(item)
        parked = self._parked
        if parked is not None:
            self._parked = None
            parked.set()
        if self._wake is not None:
            self._wake()

    async def deliver(self, item: T) -> bool:
        """``put``, returning False instead of raising once the box is closed."""
        try:
            await self.put(item)
        except anyio.ClosedResourceError:
            return False
        return True

    def offer(self, item: T) -> bool:
        """``put_nowait``, returning False instead of raising if the box is full or closed."""
        try:
            self.put_nowait(item)
        except (anyio.WouldBlock, anyio.ClosedResourceError):
            return False
        return True

    def get_nowait(self) -> T:
        """The next item; ``anyio.WouldBlock`` if the box is empty, ``anyio.EndOfStream`` once
        it is closed."""
        if self._closed:
            raise anyio.EndOfStream
        items = self._items
        if items is None:
            raise anyio.WouldBlock
        item = items.popleft()
        if not items:
            self._items = None
        room = self._room
        if room is not None:
            self._room = None
            room.set()
        return item

    @property
    def closed(self) -> bool:
        """Whether the box was closed."""
        return self._closed

    def close(self) -> list[T]:
        """End the box (idempotent): producers get errors, the consumer's loop ends. Returns
        the items queued and never taken."""
        if self._closed:
            return []
        self._closed = True
        left = list(self._items or ())
        self._items = None
        for event in (self._parked, self._room):
            if event is not None:
                event.set()
        self._parked = self._room = None
        if self._wake is not None:
            self._wake()
        return left

    def __aiter__(self) -> Mailbox[T]:
        return self

    async def __anext__(self) -> T:
        while True:
            try:
                return self.get_nowait()
            except anyio.WouldBlock:
                pass
            except anyio.EndOfStream:
                raise StopAsyncIteration from None
            parked = self._parked = anyio.Event()
            await parked.wait()
