"""The rows of the peer-markup table pages (pyview's and pylive's), as plain dicts."""

from __future__ import annotations

from typing import Any

__all__ = ["make_rows"]


def make_rows(n: int) -> list[dict[str, Any]]:
    return [{"id": i, "label": f"item {i}", "value": i * 7 % 1000} for i in range(n)]
