"""How pub/sub messages cross processes: JSON, with tuples kept as tuples.

Every message is encoded the same way whether it stays in this process or goes through Redis,
so a view sees the same value either way: ``None``, ``bool``, ``int``, ``float`` (finite),
``str``, ``list``, ``tuple`` and ``dict`` with ``str`` keys, nested freely. Anything else
(a dataclass, a ``datetime``, a set, a non-string key) raises ``TypeError`` at ``broadcast``.

A tuple is written ``{"$t": [...]}``; a dict whose only key is ``"$t"`` or ``"$d"`` is wrapped
as ``{"$d": {...}}``, so that every value comes back as it was sent.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps", "loads", "pack", "unpack"]

_TUPLE = "$t"
_DICT = "$d"


def pack(value: Any) -> Any:
    """``value`` as plain JSON data (tuples tagged); ``TypeError`` if it is not JSON-safe."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple):
        return {_TUPLE: [pack(item) for item in value]}
    if isinstance(value, list):
        return [pack(item) for item in value]
    if isinstance(value, dict):
        packed = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"pub/sub messages need str dict keys, not {key!r}")
            packed[key] = pack(item)
        if len(packed) == 1 and next(iter(packed)) in (_TUPLE, _DICT):
            return {_DICT: packed}
        return packed
    raise TypeError(
        f"pub/sub messages are JSON data (None, bool, int, float, str, list, tuple, dict), "
        f"not {type(value).__name__}"
    )


def unpack(data: Any) -> Any:
    """The value ``pack`` made ``data`` from."""
    if isinstance(data, list):
        return [unpack(item) for item in data]
    if isinstance(data, dict):
        if len(data) == 1:
            if _TUPLE in data:
                return tuple(unpack(item) for item in data[_TUPLE])
            if _DICT in data:
                return {key: unpack(item) for key, item in data[_DICT].items()}
        return {key: unpack(item) for key, item in data.items()}
    return data


def dumps(value: Any) -> str:
    """``value`` as a JSON string (``TypeError``/``ValueError`` if it is not JSON-safe)."""
    return json.dumps(pack(value), allow_nan=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """The value ``dumps`` wrote."""
    return unpack(json.loads(text))
