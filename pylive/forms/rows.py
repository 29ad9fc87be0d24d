"""Adding, removing and moving rows of a list of sub-forms from an event handler.

Inside the form, the ``<field>_sort[]`` and ``<field>_drop[]`` params do this without a handler
(``pylive.html.form_fields.add_row``/``drop_row``). For a button outside the form's change
event (``phx-click="move"``), these functions return a copy of a form's ``params`` with the
rows of ``field`` changed; build the form again from it with ``to_form``. The rows' ``_unused_``
markers move with them, so errors stay hidden on fields the user has not used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["add_row", "drop_row", "move_row"]


def _rows(params: Mapping[str, Any], field: str) -> list[Any]:
    value = params.get(field)
    return list(value) if isinstance(value, list) else []


def add_row(
    params: Mapping[str, Any], field: str, row: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``params`` with ``row`` (default: an empty one) appended to the rows of ``field``."""
    return {**params, field: [*_rows(params, field), dict(row or {})]}


def drop_row(params: Mapping[str, Any], field: str, index: int) -> dict[str, Any]:
    """``params`` without row ``index`` of ``field`` (an index out of range changes nothing)."""
    rows = _rows(params, field)
    if 0 <= index < len(rows):
        del rows[index]
    return {**params, field: rows}


def move_row(params: Mapping[str, Any], field: str, index: int, to: int) -> dict[str, Any]:
    """``params`` with row ``index`` of ``field`` moved to position ``to`` (clamped)."""
    rows = _rows(params, field)
    if not 0 <= index < len(rows):
        return {**params, field: rows}
    row = rows.pop(index)
    rows.insert(max(0, min(to, len(rows))), row)
    return {**params, field: rows}
