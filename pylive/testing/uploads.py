"""Uploads as the official client sends them (``assets/js/phoenix_live_view/upload_entry.js``,
``live_uploader.js``, ``entry_uploader.js``): the form change listing the chosen files, the
``allow_upload`` preflight, one ``lvu:<entry ref>`` channel per file with binary ``chunk``
pushes, and a ``progress`` event on the view after each acknowledged chunk."""

from __future__ import annotations

import itertools
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pylive.testing.phoenix import Frame

if TYPE_CHECKING:
    from pylive.testing.channel import ViewChannel

__all__ = ["UploadFile", "encode_chunk"]

_REFS = itertools.count()
"""Entry refs: one page-global counter, as the client's."""


@dataclass(frozen=True, slots=True)
class UploadFile:
    """A file to choose in a file input: its name, content and MIME type (guessed from the
    name when empty)."""

    name: str
    content: bytes
    type: str = ""
    last_modified: int = 1_700_000_000_000


def encode_chunk(join_ref: str | None, ref: str, topic: str, data: bytes) -> bytes:
    """A binary ``chunk`` push (Phoenix V2 serializer, kind 0)."""
    fields = [(join_ref or "").encode(), ref.encode(), topic.encode(), b"chunk"]
    return bytes([0, *(len(f) for f in fields)]) + b"".join(fields) + data


def entries_of(files: Sequence[UploadFile], path: str) -> list[dict[str, Any]]:
    """The entries a change event lists for newly chosen ``files``."""
    return [
        {
            "path": path,
            "ref": str(next(_REFS)),
            "last_modified": f.last_modified,
            "name": f.name,
            "relative_path": "",
            "type": f.type or mimetypes.guess_type(f.name)[0] or "",
            "size": len(f.content),
        }
        for f in files
    ]


async def send_entries(
    view: ViewChannel,
    upload_ref: str,
    entries: list[dict[str, Any]],
    files: Sequence[UploadFile],
    percent: int,
    cid: int | None = None,
) -> dict[str, Any]:
    """Preflight ``entries`` and send their bytes up to ``percent`` (the client's steps after
    the change event); returns the preflight response."""
    from pylive.testing.channel import PendingRequest

    preflight = PendingRequest("allow_upload", view._on_event_reply)
    listed = [{k: v for k, v in e.items() if k != "path"} for e in entries]
    payload: dict[str, Any] = {"ref": upload_ref, "entries": listed}
    if cid is not None:  # a LiveComponent's upload
        payload["cid"] = cid
    await view._send("allow_upload", payload, preflight)
    response: dict[str, Any] = preflight.response if isinstance(preflight.response, dict) else {}
    if "error" in response:
        return response
    config = response.get("config") or {}
    chunk_size = int(config.get("chunk_size") or 64_000)
    tokens = response.get("entries") or {}
    for entry, file in zip(entries, files, strict=True):
        token = tokens.get(entry["ref"])
        if isinstance(token, dict):  # an external upload: the client uploader reports progress
            await report_progress(view, upload_ref, entry["ref"], percent, cid)
            continue
        if not isinstance(token, str):
            continue
        await _upload_one(
            view, upload_ref, entry["ref"], token, file.content, chunk_size, percent, cid
        )
    return response


async def report_progress(
    view: ViewChannel,
    upload_ref: str,
    entry_ref: str,
    progress: int | dict[str, Any],
    cid: int | None = None,
) -> None:
    """A ``progress`` event on the view (an int percentage, or ``{"error": reason}`` as an
    external uploader's ``entry.error()`` sends)."""
    from pylive.testing.channel import PendingRequest

    request = PendingRequest(f"progress of {entry_ref}", view._on_event_reply)
    event = {"event": None, "ref": upload_ref, "entry_ref": entry_ref, "progress": progress}
    if cid is not None:
        event["cid"] = cid
    await view._send("progress", event, request)


async def _upload_one(
    view: ViewChannel,
    upload_ref: str,
    entry_ref: str,
    token: str,
    content: bytes,
    chunk_size: int,
    percent: int,
    cid: int | None = None,
) -> None:
    from pylive.testing.channel import PendingRequest

    main = view._main()
    conn = main._conn
    assert conn is not None, "the view is not connected"
    topic = f"lvu:{entry_ref}"
    joined = PendingRequest(f"join of {topic}")
    join_ref = conn.next_ref()
    main._side[join_ref] = joined
    conn.join_refs[topic] = join_ref
    await conn.send(Frame(join_ref, join_ref, topic, "phx_join", {"token": token}))
    await view._wait(joined)
    if joined.status != "ok":
        raise AssertionError(f"the server refused the upload of {entry_ref}: {joined.response!r}")
    sent, size, reported = 0, len(content), 0
    while True:
        chunk = content[sent : sent + chunk_size]
        ref = conn.next_ref()
        acked = PendingRequest(f"chunk of {entry_ref}")
        main._side[ref] = acked
        await conn.ws.send(encode_chunk(join_ref, ref, topic, chunk))
        await view._wait(acked)
        if acked.status != "ok":
            raise AssertionError(f"the server refused a chunk of {entry_ref}: {acked.response!r}")
        sent += len(chunk)
        progress = 100 if size == 0 else 100 * sent // size
        if progress > reported:
            reported = progress
            await report_progress(view, upload_ref, entry_ref, progress, cid)
        if sent >= size or progress >= percent:
            break
