"""``Assigns``: the read-only view of a socket's assigns that templates read."""

from __future__ import annotations

import pytest

from pylive import Assigns
from pylive.socket import Socket


def test_assigns_read_by_attribute_and_key_and_follow_the_socket() -> None:
    socket = Socket("phx-1").assign(count=1, items=[1, 2])
    assigns = socket.assigns
    assert assigns.count == 1 and assigns["count"] == 1
    socket.assign(count=2)
    assert assigns.count == 2  # a live view, not a copy
    assert "count" in assigns and "nope" not in assigns
    assert dict(assigns) == {"flash": {}, "page_title": None, "count": 2, "items": [1, 2]}
    # an assign shadows the Mapping method of the same name (mypy sees the method)
    assert assigns.items == [1, 2]  # type: ignore[comparison-overlap]
    assert ("items", [1, 2]) in Assigns.items(assigns)


def test_assigns_are_read_only_and_name_a_missing_assign() -> None:
    assigns = Socket("phx-1").assign(count=1).assigns
    with pytest.raises(AttributeError, match="no assign named 'cuont'"):
        _ = assigns.cuont
    with pytest.raises(AttributeError, match="read-only"):
        assigns.count = 2
    with pytest.raises(AttributeError, match="read-only"):
        del assigns.count
    with pytest.raises(TypeError):
        assigns["count"] = 2
    assert assigns.count == 1
