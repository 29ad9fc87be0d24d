"""Streams: collections the browser keeps and the server forgets (Phoenix's ``stream/4``).

``socket.stream("songs", songs)`` assigns ``songs`` a ``Stream``: the items to send with the
next render and the instructions for the client (insert at, limit, delete, reset). A template
iterates it like Phoenix's ``@streams.songs``, as ``(dom_id, item)`` pairs, inside a
``phx-update="stream"`` container whose rows carry ``id=dom_id``::

    ul("#songs", phx_update="stream")[[li(id=dom_id)[song.title] for dom_id, song in assigns.songs]]

After each render the runtime replaces the stream with an empty one (``pruned``), without
counting it as changed: the rows live on in the browser's DOM only, so the server's memory does
not grow with the stream. The render engine turns an iterated stream into a comprehension whose
``stream`` entry is ``StreamPatch`` (``pylive.rendered``).

This module knows nothing of sockets: ``StreamBook`` is the per-socket part (each stream's ref
and configured ``dom_id``), used by ``BaseSocket.stream`` and friends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from pylive.errors import PyliveError
from pylive.rendered import StreamPatch

__all__ = [
    "DomId",
    "Stream",
    "StreamBook",
    "StreamError",
    "StreamInsert",
    "item_id",
    "iterated_streams",
]

T = TypeVar("T")

DomId = Callable[[Any], str]
"""Computes the DOM id of a stream item (``stream_configure(name, dom_id=...)``)."""


class StreamError(PyliveError, ValueError):
    """A stream used wrongly: an item without an id, an unknown stream name, a bad option."""


@dataclass(frozen=True, slots=True)
class StreamInsert:
    """One pending insert: the item, its DOM id and where the client puts it."""

    dom_id: str
    item: Any
    at: int
    limit: int | None
    update_only: bool | None


class Stream(Generic[T]):
    """The value of a stream assign: the items to render this time, as ``(dom_id, item)``.

    Iterating yields each pending item once (an item inserted twice shows its last version, at
    the place of its last insert). A stream is immutable: every socket call makes a new one.
    """

    __slots__ = ("deletes", "dom_id", "inserts", "name", "ref", "reset")

    def __init__(
        self,
        name: str,
        ref: str,
        dom_id: DomId,
        inserts: tuple[StreamInsert, ...] = (),
        deletes: tuple[str, ...] = (),
        reset: bool = False,
    ) -> None:
        self.name = name
        """The stream's name (the assign holding it)."""
        self.ref = ref
        """Its ref on the wire (``"0"``, ``"1"``… per view; ``"<cid>-<n>"`` in a component)."""
        self.dom_id = dom_id
        """Computes an item's DOM id."""
        self.inserts = inserts
        """Pending inserts, oldest first."""
        self.deletes = deletes
        """Pending deletes (DOM ids), oldest first."""
        self.reset = reset
        """Whether the client empties the container before these inserts."""

    def __iter__(self) -> Iterator[tuple[str, T]]:
        log = _iterated.log
        if log is not None:
            log.append(self)
        return iter(self.entries())

    def entries(self) -> list[tuple[str, T]]:
        """The pending ``(dom_id, item)`` pairs, each DOM id once (its last insert wins)."""
        last = {ins.dom_id: n for n, ins in enumerate(self.inserts)}
        return [
            (ins.dom_id, ins.item) for n, ins in enumerate(self.inserts) if last[ins.dom_id] == n
        ]

    @property
    def pending(self) -> bool:
        """Whether the next render has anything to tell the client."""
        return bool(self.inserts or self.deletes or self.reset)

    def patch(self) -> StreamPatch:
        """The stream's instruction for the client, as Phoenix orders it (newest first)."""
        return StreamPatch(
            self.ref,
            tuple((i.dom_id, i.at, i.limit, i.update_only) for i in reversed(self.inserts)),
            tuple(reversed(self.deletes)),
            self.reset,
        )

    def pruned(self) -> Stream[T]:
        """This stream once rendered: nothing pending, nothing kept."""
        return Stream(self.name, self.ref, self.dom_id) if self.pending else self

    def _with(
        self,
        inserts: tuple[StreamInsert, ...] = (),
        deletes: tuple[str, ...] = (),
        reset: bool = False,
    ) -> Stream[T]:
        return Stream(
            self.name,
            self.ref,
            self.dom_id,
            self.inserts + inserts,
            self.deletes + deletes,
            self.reset or reset,
        )

    def __repr__(self) -> str:
        pending = f"{len(self.inserts)} inserts, {len(self.deletes)} deletes"
        return (
            f"<Stream {self.name!r} ref={self.ref!r}: {pending}{', reset' if self.reset else ''}>"
        )


def item_id(item: Any) -> Any:
    """An item's ``id`` attribute, or its ``"id"`` key for a mapping; None without one."""
    return item.get("id") if isinstance(item, Mapping) else getattr(item, "id", None)


def default_dom_id(name: str) -> DomId:
    """``f"{name}-{item.id}"`` (or ``item["id"]`` for a mapping), as Phoenix's default."""

    def dom_id(item: Any) -> str:
        key = item_id(item)
        if key is None:
            raise StreamError(
                f"stream {name!r}: item {item!r} has no id (an `id` attribute, or an 'id' key "
                f"for a mapping); give it one, or call socket.stream_configure({name!r}, "
                f"dom_id=...) before socket.stream({name!r}, ...)"
            )
        return f"{name}-{key}"

    return dom_id


_NO_STREAMS: Mapping[str, Any] = MappingProxyType({})


class StreamBook:
    """One socket's streams: their refs and configured DOM ids (no items: those are in the
    ``Stream`` assigns until the next render)."""

    __slots__ = ("_configured", "_refs")

    def __init__(self) -> None:
        # replaced, never changed in place: a socket without streams shares the empty tables
        self._configured: Mapping[str, DomId] = _NO_STREAMS
        self._refs: Mapping[str, str] = _NO_STREAMS

    def configure(self, name: str, dom_id: DomId) -> None:
        """Set how stream ``name`` computes DOM ids (before its first ``stream``)."""
        if name in self._refs:
            raise StreamError(f"cannot configure stream {name!r} after it has been streamed")
        if name in self._configured:
            raise StreamError(f"cannot re-configure stream {name!r} after it has been configured")
        if not callable(dom_id):
            raise StreamError(
                f"stream {name!r}: dom_id must be a function of an item, got {dom_id!r}"
            )
        self._configured = {**self._configured, name: dom_id}

    def stream(
        self,
        data: Mapping[str, Any],
        name: str,
        items: Iterable[Any],
        *,
        at: int,
        limit: int | None,
        reset: bool,
        prefix: str,
    ) -> Stream[Any] | None:
        """The stream ``name`` with ``items`` inserted (created on first use); None when
        nothing changes (no items, no reset)."""
        _check_name(name)
        _check_at_limit(name, at, limit)
        current = data.get(name)
        if name in self._refs and isinstance(current, Stream):
            stream = current
        else:
            if name in data and not isinstance(current, Stream):
                raise StreamError(
                    f"stream {name!r}: the assign {name!r} already holds {current!r}, not a stream"
                )
            ref = self._refs.get(name)
            if ref is None:
                ref = f"{prefix}{len(self._refs)}"
                self._refs = {**self._refs, name: ref}
            dom_id = self._configured.get(name) or default_dom_id(name)
            stream = Stream(name, ref, dom_id)
            current = None
        inserts = tuple(_insert(stream, item, at, limit, None) for item in items)
        if current is not None and not inserts and not reset:
            return None
        if reset:  # the client shows exactly these items: what was pending is moot
            return Stream(stream.name, stream.ref, stream.dom_id, inserts, (), True)
        return stream._with(inserts)

    def insert(
        self,
        data: Mapping[str, Any],
        name: str,
        item: Any,
        *,
        at: int,
        limit: int | None,
        update_only: bool,
    ) -> Stream[Any]:
        """Stream ``name`` with ``item`` inserted (or updated in place on the client)."""
        _check_at_limit(name, at, limit)
        stream = self._existing(data, name, "stream_insert")
        return stream._with((_insert(stream, item, at, limit, update_only),))

    def delete(self, data: Mapping[str, Any], name: str, item: Any) -> Stream[Any]:
        """Stream ``name`` with ``item``'s element deleted on the client."""
        stream = self._existing(data, name, "stream_delete")
        return stream._with(deletes=(_dom_id(stream, item),))

    def delete_by_dom_id(self, data: Mapping[str, Any], name: str, dom_id: str) -> Stream[Any]:
        """Stream ``name`` with the element of id ``dom_id`` deleted on the client."""
        stream = self._existing(data, name, "stream_delete_by_dom_id")
        if not isinstance(dom_id, str) or not dom_id:
            raise StreamError(f"stream {name!r}: a DOM id is a non-empty string, got {dom_id!r}")
        return stream._with(deletes=(dom_id,))

    def _existing(self, data: Mapping[str, Any], name: str, call: str) -> Stream[Any]:
        stream = data.get(name) if name in self._refs else None
        if not isinstance(stream, Stream):
            known = ", ".join(repr(n) for n in self._refs) or "none"
            raise StreamError(
                f"{call}({name!r}, ...): no stream named {name!r}; call "
                f"socket.stream({name!r}, items) first (streams of this socket: {known})"
            )
        return stream

    def prune(self, data: MutableMapping[str, Any], names: Iterable[str]) -> None:
        """After a render: forget what the streams among ``names`` sent."""
        for name in names:
            stream = data.get(name)
            if isinstance(stream, Stream) and stream.pending:
                data[name] = stream.pruned()


def _check_name(name: object) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise StreamError(f"a stream name is an identifier (it names an assign), got {name!r}")


def _check_at_limit(name: str, at: object, limit: object) -> None:
    if not isinstance(at, int) or isinstance(at, bool) or at < -1:
        raise StreamError(
            f"stream {name!r}: at= is -1 (append), 0 (prepend) or an index, got {at!r}"
        )
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
        raise StreamError(f"stream {name!r}: limit= is None or an int, got {limit!r}")


def _dom_id(stream: Stream[Any], item: Any) -> str:
    dom_id = stream.dom_id(item)
    if not isinstance(dom_id, str) or not dom_id:
        raise StreamError(
            f"stream {stream.name!r}: dom_id({item!r}) returned {dom_id!r}, not a non-empty string"
        )
    return dom_id


def _insert(
    stream: Stream[Any], item: Any, at: int, limit: int | None, update_only: bool | None
) -> StreamInsert:
    return StreamInsert(_dom_id(stream, item), item, at, limit, update_only)


# ------------------------------------------------------------------ for the walker


class _Iterated(threading.local):
    """The record of the render under way in this thread. A render never awaits, so no other
    task renders meanwhile; a context variable would do too, but setting one leaves a new
    mapping in the task's context, which an idle view would keep (pylive.phoenix_socket)."""

    log: list[Stream[Any]] | None = None


_iterated = _Iterated()


class iterated_streams:  # named as the function it replaces: ``with iterated_streams() as log``
    """Record the streams iterated meanwhile, in order (a template built by plain htpy, then
    walked, turns each stream into a list first: the walker matches them back). A class
    rather than a ``@contextmanager`` generator: every render enters one, and this costs a
    third as much."""

    __slots__ = ("_outer",)

    def __enter__(self) -> list[Stream[Any]]:
        log: list[Stream[Any]] = []
        self._outer = _iterated.log
        _iterated.log = log
        return log

    def __exit__(self, *exc: object) -> None:
        _iterated.log = self._outer


def iterated_log() -> list[Stream[Any]] | None:
    """The record ``iterated_streams`` keeps, if one is under way."""
    return _iterated.log
