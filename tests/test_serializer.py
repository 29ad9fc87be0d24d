"""Phoenix V2 frames: text and binary decoding, encoding."""

from __future__ import annotations

import pytest

from pylive.transport.serializer import Message, ProtocolError, decode, encode


def test_text_round_trip() -> None:
    msg = decode('["1","2","lv:x","event",{"a":1}]', binary=False)
    assert msg == Message("1", "2", "lv:x", "event", {"a": 1})
    assert (
        encode(Message("1", None, "lv:x", "diff", {"0": "a"}))
        == '["1",null,"lv:x","diff",{"0":"a"}]'
    )


def test_binary_push() -> None:
    head = [b"12", b"13", b"lvu:0", b"chunk"]
    frame = bytes([0, *map(len, head)]) + b"".join(head) + b"\x00\x01"
    assert decode(frame, binary=True) == Message("12", "13", "lvu:0", "chunk", b"\x00\x01")


@pytest.mark.parametrize(
    ("frame", "binary"),
    [
        ("[1,2]", False),
        ('[null,null,5,"e",{}]', False),
        ('[null,null,"t",null,{}]', False),
        (b"\x02\x00\x00\x00\x00", True),
        (b"\x00\x09\x00\x00\x00ab", True),
        (b"\x00\x01\x00\x00\x00\xff", True),
    ],
)
def test_invalid_frames(frame: str | bytes, binary: bool) -> None:
    with pytest.raises(ProtocolError):
        decode(frame, binary=binary)
