"""Phoenix socket serializer V2: ``[join_ref, ref, topic, event, payload]`` frames.

Text frames are JSON arrays; binary frames (upload chunks) carry a small header of byte lengths
followed by the raw payload, as phoenix's ``assets/js/phoenix/serializer.js`` and
``lib/phoenix/socket/serializers/v2_json_serializer.ex`` lay them out. Anything that does not fit
the format raises ``ProtocolError`` so the socket can answer or close instead of crashing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from pylive.errors import PyliveError

__all__ = ["Message", "ProtocolError", "decode", "encode", "encode_raw"]

_PUSH = 0


class ProtocolError(PyliveError):
    """A frame from the client that is not a valid Phoenix V2 message."""


@dataclass(slots=True)  # not frozen: a frozen dataclass is twice as slow to build
class Message:
    """One Phoenix message; ``payload`` is decoded JSON, or ``bytes`` for a binary push."""

    join_ref: str | None
    ref: str | None
    topic: str
    event: str
    payload: Any


def decode(frame: str | bytes, *, binary: bool) -> Message:
    """Decode one frame as received; ``binary`` tells a binary WebSocket frame from a text one."""
    if binary:
        assert isinstance(frame, bytes)
        return _decode_binary(frame)
    try:
        data = orjson.loads(frame)
    except orjson.JSONDecodeError as exc:
        raise ProtocolError(f"frame is not JSON: {exc}") from None
    if type(data) is not list or len(data) != 5:
        raise ProtocolError("frame is not a 5-element JSON array")
    join_ref, ref, topic, event, payload = data
    # every client frame passes here: the checks are inlined (JSON gives exact types)
    if not (
        (join_ref is None or type(join_ref) is str)
        and (ref is None or type(ref) is str)
        and type(topic) is str
    ):
        raise ProtocolError("join_ref/ref must be strings or null, topic a string")
    if type(event) is not str:
        raise ProtocolError("event must be a string")
    return Message(join_ref, ref, topic, event, payload)


def encode(message: Message) -> str:
    """Encode a server message as a text frame (LiveView never sends binary to the browser)."""
    m = message
    return orjson.dumps([m.join_ref, m.ref, m.topic, m.event, m.payload]).decode()


def encode_raw(join_ref: str | None, topic: str, event: str, payload: str) -> str:
    """A server push whose ``payload`` is JSON encoded already: the frame ``encode`` would
    build, without encoding the payload again (one payload sent to many channels)."""
    head = orjson.dumps([join_ref, None, topic, event]).decode()
    return f"{head[:-1]},{payload}]"


def _decode_binary(frame: bytes) -> Message:
    if len(frame) < 5 or frame[0] != _PUSH:
        raise ProtocolError("binary frame is not a client push (kind 0)")
    sizes = frame[1:5]
    end = 5 + sum(sizes)
    if end > len(frame):
        raise ProtocolError("binary frame header is longer than the frame")
    fields: list[str] = []
    pos = 5
    try:
        for size in sizes:
            fields.append(frame[pos : pos + size].decode())
            pos += size
    except UnicodeDecodeError:
        raise ProtocolError("binary frame header is not UTF-8") from None
    join_ref, ref, topic, event = fields
    return Message(join_ref or None, ref or None, topic, event, frame[end:])
