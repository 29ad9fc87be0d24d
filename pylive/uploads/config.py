"""Upload configs and entries: what ``socket.allow_upload`` sets up and the protocol fills in.

One ``UploadConfig`` per ``allow_upload`` name, kept in the ``uploads`` assign (``Uploads``:
``assigns.uploads.avatar``). The client's form events add ``UploadEntry`` values (validated
against the limits: ``too_many_files``, ``too_large``, ``not_accepted``); the ``allow_upload``
preflight hands out a signed token per valid entry; the ``lvu:`` upload channel
(``pylive.upload_channel``) streams the bytes to a temporary file and marks the entry
``received``; the client's ``progress`` events mark it ``done`` at 100. Consuming, cancelling
or the view's end removes the temporary file.
"""

from __future__ import annotations

import contextlib
import copy
import os
import secrets
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "ExternalPresign",
    "ProgressCallback",
    "UploadConfig",
    "UploadEntry",
    "UploadWriter",
    "Uploads",
    "WriterFactory",
    "upload_errors",
]

ProgressCallback = Callable[[str, "UploadEntry", Any], Awaitable[None] | None]
"""``progress(name, entry, socket)``: called after every progress update of an entry."""

ExternalPresign = Callable[["UploadEntry", Any], Awaitable[Mapping[str, Any]] | Mapping[str, Any]]
"""``external(entry, socket)``: the metadata for a client uploader; must contain ``uploader``."""


class UploadWriter(Protocol):
    """Where an entry's bytes go (``allow_upload(writer=...)``; default: a temporary file).

    ``write`` gets each chunk in order; ``close`` is called once, with ``"done"`` after the
    last byte, ``"cancel"`` when the upload ends early (cancel, abort, closed tab, view end,
    chunk timeout) or ``"error"`` (too many bytes, a failed write). ``meta()`` is what the
    consume callback gets in place of the file path."""

    async def write(self, chunk: bytes) -> None: ...

    async def close(self, reason: str) -> None: ...

    def meta(self) -> Any: ...


WriterFactory = Callable[["UploadEntry"], UploadWriter]
"""``writer(entry)``: a fresh writer for one entry's upload."""

MAX_CHUNK_SIZE = 1_000_000
"""Chunks ride one WebSocket frame each; the socket refuses frames above 1 MiB."""


@dataclass(eq=False)
class Transfer:
    """Where an entry's bytes are: kept by the upload channel, shared by the entry's
    snapshots."""

    path: Path | None = None
    bytes_received: int = 0
    received: bool = False
    release: Callable[[], None] | None = None
    writer_meta: Any = None


@dataclass(eq=False)
class UploadEntry:
    """One file of an upload, as the client described it, and how far it got.

    A template sees a new object whenever something it may show changed (``renew``): the
    render engine reuses a comprehension's row for the same item, so an entry is never changed
    in place once rendered."""

    ref: str
    upload_ref: str
    upload_name: str
    client_name: str
    client_size: int
    client_type: str
    client_last_modified: int | None = None
    client_relative_path: str = ""
    client_meta: Any = None
    progress: int = 0
    """Percentage the client reported (only increases)."""
    preflighted: bool = False
    done: bool = False
    """Progress reached 100: the client finished sending."""
    valid: bool = True
    errors: list[str] = field(default_factory=list)
    meta: Mapping[str, Any] | None = None
    """External uploads: what the presign function returned."""
    transfer: Transfer = field(default_factory=lambda: Transfer(), repr=False)
    """The bytes' side, shared by every snapshot of this entry (see ``renew``)."""

    @property
    def path(self) -> Path | None:
        """The temporary file the bytes go to (None before the upload channel joined)."""
        return self.transfer.path

    @path.setter
    def path(self, value: Path | None) -> None:
        self.transfer.path = value

    @property
    def bytes_received(self) -> int:
        """Bytes the server received so far."""
        return self.transfer.bytes_received

    @bytes_received.setter
    def bytes_received(self, value: int) -> None:
        self.transfer.bytes_received = value

    @property
    def received(self) -> bool:
        """All declared bytes arrived and the writer closed."""
        return self.transfer.received

    @received.setter
    def received(self, value: bool) -> None:
        self.transfer.received = value

    @property
    def release(self) -> Callable[[], None] | None:
        """Ends the entry's upload channel (set by the channel while it runs)."""
        return self.transfer.release

    @release.setter
    def release(self, value: Callable[[], None] | None) -> None:
        self.transfer.release = value

    @property
    def writer_meta(self) -> Any:
        """What a custom writer's ``meta()`` returned once the upload was done."""
        return self.transfer.writer_meta

    @writer_meta.setter
    def writer_meta(self, value: Any) -> None:
        self.transfer.writer_meta = value

    def discard(self) -> None:
        """Forget the bytes: delete the temporary file and end the upload channel."""
        release, self.release = self.release, None
        if release is not None:
            release()
        path, self.path = self.path, None
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


EXTRA_ENTRIES = 100
"""Entries kept beyond ``max_entries`` (they show ``too_many_files``); a client listing more
gets no more kept, so a crafted event cannot grow a view's memory or stall the server."""


@dataclass(eq=False)
class UploadConfig:
    """One ``allow_upload``: its limits and its current entries."""

    name: str
    accept: Sequence[str] | None
    """Extensions (``.png``) and MIME types (``image/*``); None accepts any file."""
    max_entries: int = 1
    max_file_size: int = 8_000_000
    chunk_size: int = 64_000
    chunk_timeout: float = 10.0
    """Seconds the server waits for the next chunk before it drops the upload."""
    auto_upload: bool = False
    progress_callback: ProgressCallback | None = None
    external: ExternalPresign | None = None
    writer: WriterFactory | None = None
    ref: str = field(default_factory=lambda: f"phx-{secrets.token_hex(8)}")
    entries: list[UploadEntry] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """``(ref, error)``: ``ref`` is the config's own for ``too_many_files``, else an entry's."""

    def __post_init__(self) -> None:
        if not 0 < self.chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError(f"chunk_size must be between 1 and {MAX_CHUNK_SIZE}")
        if self.max_entries < 1 or self.max_file_size < 1:
            raise ValueError("max_entries and max_file_size must be positive")

    # -- queries

    def entry(self, ref: str) -> UploadEntry | None:
        """The entry with client ref ``ref``."""
        return next((e for e in self.entries if e.ref == ref), None)

    @property
    def accept_attr(self) -> str | None:
        """The ``accept`` attribute of the file input."""
        return None if self.accept is None else ",".join(self.accept)

    def accepts(self, name: str, mime: str) -> bool:
        """Whether a file called ``name`` of type ``mime`` is accepted."""
        if self.accept is None:
            return True
        ext = os.path.splitext(name)[1].lower()
        mime = mime.lower()
        for item in self.accept:
            item = item.lower()
            if item.startswith("."):
                if ext == item:
                    return True
            elif item.endswith("/*"):
                if mime.startswith(item[:-1]):
                    return True
            elif mime == item:
                return True
        return False

    def config_payload(self) -> dict[str, int]:
        """The ``config`` of a preflight reply."""
        return {
            "max_file_size": self.max_file_size,
            "max_entries": self.max_entries,
            "chunk_size": self.chunk_size,
            "chunk_timeout": int(self.chunk_timeout * 1000),
        }

    # -- changes

    def renew(self, entry: UploadEntry) -> UploadEntry:
        """A fresh snapshot of ``entry`` in its place, to change (same transfer)."""
        fresh = copy.copy(entry)
        self.entries = [fresh if e is entry else e for e in self.entries]
        return fresh

    def put_entries(self, raw: object) -> None:
        """Add the entries of a form event's ``uploads`` list (those not known yet) and
        re-validate them all."""
        if not isinstance(raw, list):
            return
        known = {entry.ref for entry in self.entries}
        room = self.max_entries + EXTRA_ENTRIES - len(self.entries)
        for item in raw:
            if not isinstance(item, Mapping) or not isinstance(item.get("ref"), str):
                continue
            if item["ref"] in known:
                continue
            if room <= 0:
                break  # too_many_files already; more entries would only cost memory
            known.add(item["ref"])
            room -= 1
            size = item.get("size")
            modified = item.get("last_modified")
            self.entries.append(
                UploadEntry(
                    ref=item["ref"],
                    upload_ref=self.ref,
                    upload_name=self.name,
                    client_name=str(item.get("name", "")),
                    client_size=size if isinstance(size, int) and size >= 0 else 0,
                    client_type=str(item.get("type") or ""),
                    client_last_modified=modified if isinstance(modified, int) else None,
                    client_relative_path=str(item.get("relative_path") or ""),
                    client_meta=item.get("meta"),
                )
            )
        self.validate()

    def validate(self) -> None:
        """Recompute every error from the limits (entries beyond ``max_entries`` are
        ``too_many_files``, as a config error)."""
        self.errors = [e for e in self.errors if e[1] == "external_client_failure"]
        failed = {ref for ref, _ in self.errors}
        self.entries = [copy.copy(entry) for entry in self.entries]  # fresh snapshots
        for entry in self.entries:
            entry.errors = ["external_client_failure"] if entry.ref in failed else []
            if entry.client_size > self.max_file_size:
                entry.errors.append("too_large")
            if not self.accepts(entry.client_name, entry.client_type):
                entry.errors.append("not_accepted")
            entry.valid = not entry.errors
            self.errors += [(entry.ref, error) for error in entry.errors]
        if len(self.entries) > self.max_entries:
            self.errors.append((self.ref, "too_many_files"))
        self.errors = list(dict.fromkeys(self.errors))

    def cancel(self, ref: str) -> bool:
        """Drop entry ``ref`` and its bytes; False if there is none."""
        entry = self.entry(ref)
        if entry is None:
            return False
        entry.discard()
        self.entries.remove(entry)
        self.validate()
        return True

    def discard_all(self) -> None:
        """Drop every entry's bytes (the view ended)."""
        for entry in self.entries:
            entry.discard()


def upload_errors(upload: UploadConfig, entry: UploadEntry | None = None) -> list[str]:
    """The errors of ``upload`` itself (``too_many_files``), or those of ``entry``."""
    ref = upload.ref if entry is None else entry.ref
    return [error for r, error in upload.errors if r == ref]


class Uploads(Mapping[str, UploadConfig]):
    """The ``uploads`` assign: configs by name, also as attributes (``uploads.avatar``)."""

    def __init__(self) -> None:
        self._configs: dict[str, UploadConfig] = {}

    def __getitem__(self, name: str) -> UploadConfig:
        return self._configs[name]

    def __getattr__(self, name: str) -> UploadConfig:
        try:
            return self._configs[name]
        except KeyError:
            raise AttributeError(f"no upload named {name!r} (allow_upload it first)") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._configs)

    def __len__(self) -> int:
        return len(self._configs)

    def put(self, config: UploadConfig) -> None:
        """Add or replace the config of ``config.name`` (a replaced one drops its bytes)."""
        old = self._configs.get(config.name)
        if old is not None:
            old.discard_all()
        self._configs[config.name] = config

    def remove(self, name: str) -> None:
        """Forget the config ``name`` and drop its bytes."""
        old = self._configs.pop(name, None)
        if old is not None:
            old.discard_all()

    def by_ref(self, ref: object) -> UploadConfig | None:
        """The config whose ref is ``ref`` (stale refs find nothing)."""
        return next((c for c in self._configs.values() if c.ref == ref), None)

    def discard_all(self) -> None:
        """Drop every entry's bytes of every config."""
        for config in self._configs.values():
            config.discard_all()
