"""Form params in the shape a pydantic model expects, whatever the browser (or anyone) sent.

The official client sends a form as a URL-encoded string; ``pylive.params.decode_query`` turns it
into nested dicts and lists of strings. Two steps bring those to a model:

* ``shape_params``: rows of a list of sub-models arrive as a mapping keyed by index
  (``user[addresses][0][city]``); they become a list, ordered by the ``<field>_sort`` param and
  without the rows named in ``<field>_drop`` (the counterparts of Ecto's ``sort_param`` and
  ``drop_param``); a ``<field>_sort`` value that names no row (``"new"``) appends an empty row.
  The ``_unused_`` markers stay: they tell which fields the user has used.
* ``clean_params``: what validation sees: no ``_unused_`` markers, no sort/drop params, and an
  empty string counts as a missing value (as Ecto's ``empty_values``), so a blank optional field
  takes its default and a blank required one is reported as required.

Neither step raises: a value of the wrong shape is passed on for the model to reject.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, Union

from pydantic import BaseModel

__all__ = ["UNUSED", "FieldKind", "clean_params", "field_kind", "shape_params"]

UNUSED = "_unused_"
"""Prefix of the client's marker for a field the user has not used (``_unused_email``)."""

FieldKind = typing.Literal["scalar", "model", "rows"]


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


@functools.lru_cache(maxsize=4096)
def field_kind(schema: type[BaseModel] | None, field: str) -> tuple[FieldKind, Any]:
    """Whether ``field`` of ``schema`` holds a sub-model (``"model"``), a list of them
    (``"rows"``) or anything else (``"scalar"``), with the sub-model class if any."""
    if schema is None or field not in schema.model_fields:
        return "scalar", None
    annotation = _strip_optional(schema.model_fields[field].annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, typing.Sequence, typing.MutableSequence) or (
        isinstance(origin, type) and origin.__name__ == "Sequence"
    ):
        args = typing.get_args(annotation)
        item = _strip_optional(args[0]) if args else None
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "rows", item
    return "scalar", None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [v for v in value if v != ""]
    if isinstance(value, str) and value:
        return [value]
    return []


def _rows(value: Any, sort: Any, drop: Any) -> Any:
    """The rows of a list field: a list, or a mapping by index, sorted and dropped."""
    if isinstance(value, list):
        keyed = {str(i): row for i, row in enumerate(value)}
    elif isinstance(value, Mapping):
        keyed = {str(k): v for k, v in value.items()}
    elif value is None:
        keyed = {}
    else:
        return value  # wrong shape: validation reports it
    order = [k for k in keyed if k.isdigit()]
    order.sort(key=int)
    order += [k for k in keyed if not k.isdigit()]
    sort_keys = _as_list(sort)
    if sort_keys:
        listed = [k for k in sort_keys if k in keyed]
        new_rows = [k for k in sort_keys if k not in keyed]
        order = listed + [k for k in order if k not in listed]
        for _ in new_rows:
            key = f"new{len(keyed)}"
            keyed[key] = {}
            order.append(key)
    dropped = set(_as_list(drop))
    return [keyed[k] for k in order if k not in dropped]


def shape_params(params: Mapping[str, Any], schema: type[BaseModel] | None) -> dict[str, Any]:
    """``params`` with the rows of every list-of-models field (at any depth) as a list in the
    order asked for; everything else as it came."""
    out: dict[str, Any] = {str(k): v for k, v in params.items()}
    if schema is None:
        return out
    for field in schema.model_fields:
        kind, sub = field_kind(schema, field)
        if kind == "rows":
            sort, drop = out.pop(f"{field}_sort", None), out.pop(f"{field}_drop", None)
            if field in out or sort is not None or drop is not None:
                rows = _rows(out.get(field), sort, drop)
                if isinstance(rows, list):
                    rows = [shape_params(r, sub) if isinstance(r, Mapping) else r for r in rows]
                out[field] = rows
        elif kind == "model" and isinstance(out.get(field), Mapping):
            out[field] = shape_params(out[field], sub)
    return out


def clean_params(value: Any) -> Any:
    """Shaped params as validation sees them: markers gone, empty strings missing."""
    if isinstance(value, Mapping):
        return {
            str(k): clean_params(v)
            for k, v in value.items()
            if not str(k).startswith(UNUSED) and v != ""
        }
    if isinstance(value, list):
        return [clean_params(v) for v in value if v != ""]
    return value
