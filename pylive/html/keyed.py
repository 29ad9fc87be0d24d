"""Explicit row keys for list children, so the diff can encode moves instead of rewriting rows."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from pylive.errors import RenderError

__all__ = ["Keyed", "keyed"]

T = TypeVar("T")


class Keyed(list[Any]):
    """A list of rendered rows with one key per row (a plain list to htpy)."""

    __slots__ = ("keys",)

    def __init__(self, rows: Iterable[Any], keys: list[Hashable]) -> None:
        super().__init__(rows)
        if len(keys) != len(self):
            raise RenderError(f"keyed(): {len(keys)} keys for {len(self)} rows")
        seen: set[Hashable] = set()
        for k in keys:
            if k in seen:
                raise RenderError(f"keyed(): duplicate row key {k!r}")
            seen.add(k)
        self.keys = keys


def keyed(items: Iterable[T], *, key: Callable[[T], Hashable], render: Callable[[T], Any]) -> Keyed:
    """Render ``items`` as rows identified by ``key(item)``.

    Rows without explicit keys are matched by their root element's ``id``, else by position.
    """
    materialized = list(items)
    return Keyed([render(item) for item in materialized], [key(item) for item in materialized])
