"""Query-string decoding with Phoenix (Plug) bracket semantics, for URL and form params.

``user[name]=Jo&tags[]=a&tags[]=b`` becomes ``{"user": {"name": "Jo"}, "tags": ["a", "b"]}``;
a repeated plain key keeps its last value. Form events (URL-encoded by the official client; Phoenix
LiveView's ``lib/phoenix_live_view/channel.ex`` decodes them with ``Plug.Conn.Query.decode``)
and URLs share it, so ``handle_params`` and ``handle_event`` see the same shapes Phoenix apps do.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["decode_query", "key_path"]

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
MAX_DEPTH = 32
"""Brackets beyond which a name is not split (kept whole, as a malformed one): no form nests
that deep, and a crafted name must not exhaust the recursion of its readers."""


def key_path(name: str) -> list[str]:
    """``"user[address][city]"`` → ``["user", "address", "city"]``; ``"a[]"`` → ``["a", ""]``."""
    head, bracket, _ = name.partition("[")
    if not bracket:
        return [name]
    rest = name[len(head) :]
    parts = _SEGMENT.findall(rest)
    if len(parts) > MAX_DEPTH or "".join(f"[{p}]" for p in parts) != rest:
        return [name]  # malformed brackets, or too deep: keep the name whole
    return [head, *parts]


def decode_query(query: str) -> dict[str, Any]:
    """Decode a URL-encoded query (``+`` as space) into nested dicts and lists."""
    out: dict[str, Any] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        _put(out, key_path(name), value)
    return out


def _put(target: dict[str, Any], path: list[str], value: str) -> None:
    key, rest = path[0], path[1:]
    if not rest:
        target[key] = value
    elif rest == [""]:
        found = target.get(key)
        if isinstance(found, list):
            found.append(value)
        else:
            target[key] = [value]
    elif rest[0] == "":  # "a[][b]": list of dicts; a repeated key starts a new dict
        rows = target.get(key)
        if not isinstance(rows, list):
            rows = target[key] = []
        if not rows or not isinstance(rows[-1], dict) or rest[1] in rows[-1]:
            rows.append({})
        _put(rows[-1], rest[1:], value)
    else:
        child = target.get(key)
        if not isinstance(child, dict):
            child = target[key] = {}
        _put(child, rest, value)
