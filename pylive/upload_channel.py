"""The ``lvu:<entry ref>`` upload channel: one per file the official client sends.

The join carries the token the ``allow_upload`` preflight signed: ``[view id, config ref,
entry ref, cid]``, bound to the LiveView (found among the connection's channels as ``lv:<id>``), its
upload and the entry, which must match the topic. Binary ``chunk`` pushes are appended to a
temporary file with anyio's file I/O (never held in memory), counted against the size the
client declared and the config's ``max_file_size``; one more byte than allowed ends the upload
with ``file_size_limit_exceeded``. A chunk that does not come within ``chunk_timeout`` of the
previous one ends it too. When the last byte is written the entry is ``received``; the channel
then waits until the view consumes or cancels the entry (``phx_close``), or the client leaves.
An upload that ends before all bytes arrived deletes its file; so does the view's end.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import anyio

from pylive.channel import LiveViewChannel
from pylive.connection import Connection
from pylive.mailbox import Mailbox
from pylive.phoenix_socket import Outlet
from pylive.runtime import Runtime
from pylive.transport.serializer import Message
from pylive.uploads.config import UploadConfig, UploadEntry, UploadWriter

__all__ = ["TempFileWriter", "UploadChannel"]

logger = logging.getLogger(__name__)

_RELEASE = object()
"""Mail: the view consumed or cancelled the entry; the channel closes."""


class UploadChannel:
    """Serves topic ``lvu:<entry ref>`` for one entry's upload."""

    def __init__(self, join: Message, outlet: Outlet, connection: Connection[Runtime]) -> None:
        self._join_msg = join
        self._out = outlet
        self._tokens = connection.runtime.tokens
        self._channels = connection.channels
        self._mail = Mailbox[Any](64)

    async def deliver(self, message: Message) -> None:
        """Queue a client message."""
        await self._mail.put(message)

    def close(self) -> None:
        """Close the mailbox (idempotent)."""
        self._mail.close()

    async def run(self) -> bool:
        """Join (token check), then receive chunks until done, released or gone (the upload
        holds its task all along); messages that came in too late are answered as for a topic
        not joined."""
        try:
            await self._serve()
        finally:
            await self._out.unhandled(self._mail.close())
        return True

    async def _serve(self) -> None:
        found = self._verify()
        if isinstance(found, str):
            await self._out.reply(self._join_msg.ref, {"reason": found}, status="error")
            return
        config, entry = found
        entry.bytes_received = 0
        entry.received = False
        try:
            writer = config.writer(entry) if config.writer else await TempFileWriter.open(entry)
        except Exception:
            logger.exception("%s: the upload writer could not start", self._out.topic)
            await self._out.reply(self._join_msg.ref, {"reason": "writer_error"}, status="error")
            return
        entry.release = self._release
        self._writer, self._closed = writer, False
        try:
            await self._out.reply(self._join_msg.ref, {})
            if entry.client_size == 0:
                await self._finish(entry, "done")
            await self._receive(config, entry, writer)
        finally:
            if entry.release == self._release:
                entry.release = None
            with anyio.CancelScope(shield=True):
                await self._finish(entry, "cancel")  # no effect once done

    async def _finish(self, entry: UploadEntry, reason: str) -> None:
        """Close the writer once: ``done`` marks the entry received."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._writer.close(reason)
        except Exception:
            logger.exception("%s: closing the upload writer failed", self._out.topic)
            if reason == "done":
                raise
        if reason == "done":
            entry.writer_meta = self._writer.meta()
            entry.received = True

    def _verify(self) -> tuple[UploadConfig, UploadEntry] | str:
        payload = self._join_msg.payload
        token = payload.get("token") if isinstance(payload, dict) else None
        claims = self._tokens.verify("upload", token)
        if not (isinstance(claims, list) and len(claims) == 4):
            return "invalid_token"
        view_id, config_ref, entry_ref, cid = claims
        if self._out.topic != f"lvu:{entry_ref}":
            return "invalid_token"
        view = self._channels.get(f"lv:{view_id}")
        if not isinstance(view, LiveViewChannel):
            return "disallowed"
        found = view.upload_entry(config_ref, entry_ref, cid)
        if found is None or not found[1].valid or found[0].external is not None:
            return "disallowed"
        if found[1].release is not None or found[1].received:
            return "already_registered"
        return found

    def _release(self) -> None:
        try:
            self._mail.put_nowait(_RELEASE)
        except (anyio.WouldBlock, anyio.ClosedResourceError, anyio.BrokenResourceError):
            self._mail.close()

    async def _receive(
        self, config: UploadConfig, entry: UploadEntry, writer: UploadWriter
    ) -> None:
        limit = min(entry.client_size, config.max_file_size)
        timeout: float | None = None  # the chunk timer starts with the first chunk
        while True:
            mail: Any = None
            with anyio.move_on_after(timeout):
                try:
                    mail = await self._mail.__anext__()
                except StopAsyncIteration:
                    return
            if mail is None:
                logger.info("%s: no chunk for %.0f s, upload dropped", self._out.topic, timeout)
                await self._finish(entry, "cancel")
                await self._out.close()
                return
            if mail is _RELEASE:
                await self._out.close()
                return
            if not isinstance(mail, Message):
                continue
            if mail.event == "phx_leave":
                await self._out.close()
                await self._out.reply(mail.ref, {})
                return
            if mail.event != "chunk" or not isinstance(mail.payload, bytes) or entry.received:
                await self._out.reply(mail.ref, {"reason": "unexpected"}, status="error")
                continue
            chunk: bytes = mail.payload
            if entry.bytes_received + len(chunk) > limit:
                await self._finish(entry, "error")  # gone before the client hears of it
                reply = {"reason": "file_size_limit_exceeded", "limit": limit}
                await self._out.reply(mail.ref, reply, status="error")
                await self._out.close()
                return
            try:
                await writer.write(chunk)
                entry.bytes_received += len(chunk)
                if entry.bytes_received == entry.client_size:
                    await self._finish(entry, "done")
            except Exception:
                logger.exception("%s: writing the upload failed", self._out.topic)
                await self._finish(entry, "error")
                await self._out.reply(mail.ref, {"reason": "writer_error"}, status="error")
                await self._out.close()
                return
            timeout = None if entry.received else config.chunk_timeout
            await self._out.reply(mail.ref, {})


class TempFileWriter:
    """The default writer: a temporary file (``entry.path``), deleted unless done."""

    def __init__(self, entry: UploadEntry, file: Any) -> None:
        self._entry = entry
        self._file = file

    @classmethod
    async def open(cls, entry: UploadEntry) -> TempFileWriter:
        """A fresh temporary file for ``entry``."""
        fd, name = tempfile.mkstemp(prefix="pylive-upload-")
        os.close(fd)
        entry.path = Path(name)
        return cls(entry, await anyio.open_file(name, "wb"))

    async def write(self, chunk: bytes) -> None:
        """Append ``chunk`` (in a worker thread: the event loop goes on)."""
        await self._file.write(chunk)

    async def close(self, reason: str) -> None:
        """Close the file; delete it unless the upload is ``done``."""
        await self._file.aclose()
        if reason != "done":
            path, self._entry.path = self._entry.path, None
            if path is not None:
                await anyio.Path(path).unlink(missing_ok=True)

    def meta(self) -> Path | None:
        """The file's path."""
        return self._entry.path
