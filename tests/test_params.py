"""Query decoding with Phoenix bracket semantics (URLs and form events)."""

from __future__ import annotations

import pytest

from pylive.params import decode_query, key_path


def test_nested_lists_last_wins_and_plus_as_space() -> None:
    assert decode_query(
        "user%5Bname%5D=Jo+Do&tags[]=a&tags[]=b&a=1&a=2&l[][x]=1&l[][y]=2&l[][x]=3"
    ) == {
        "user": {"name": "Jo Do"},
        "tags": ["a", "b"],
        "a": "2",
        "l": [{"x": "1", "y": "2"}, {"x": "3"}],
    }


@pytest.mark.parametrize(
    ("name", "path"),
    [("a", ["a"]), ("a[b][c]", ["a", "b", "c"]), ("tags[]", ["tags", ""]), ("a[b", ["a[b"])],
)
def test_key_path(name: str, path: list[str]) -> None:
    assert key_path(name) == path
