"""Layout-independent views of Rendered payloads for the runtime tests.

The runtime tests check what a reply or push *says* (the count is now 1, the flash reads
"saved", nothing else changed), not where the template compiler put each slot. These helpers
read a join ``rendered`` or a ``diff`` the way a client would, without slot numbers:

* ``values``: the dynamic strings of a payload, in slot order;
* ``slot_values``: the same, asserting the payload is nothing but slot changes (no ``t``,
  ``e``, ``r``, ...), so ``slot_values(diff) == ["1"]`` means "exactly one value changed, to 1";
* ``diff_reply``: ``("ok", {"diff": d})`` as ``("ok", slot_values(d))``;
* ``to_html`` / ``merge``: a tiny client (statics + dynamics, template tables, comprehension
  rows) to assert on the HTML a join renders, or renders once pushes are applied.

Components (cids) and keyed moves are out of scope and raise.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

__all__ = ["diff_reply", "merge", "slot_values", "to_html", "values"]

# protocol keys that carry no dynamic value of the view's markup
_SKIP = frozenset({"s", "p", "r", "t", "e", "kc", "km"})
# top-level keys a pure slot diff may carry besides slot numbers
_SLOT_EXTRAS = frozenset({"p", "c"})


def _slot_keys(node: Mapping[str, Any]) -> list[str]:
    return sorted((k for k in node if k.isdigit()), key=int)


def values(payload: Any) -> list[str]:
    """Every dynamic string leaf of ``payload`` (slots in numeric order, then other keys)."""
    if isinstance(payload, str):
        return [payload]
    if isinstance(payload, list):
        return [v for item in payload for v in values(item)]
    if isinstance(payload, Mapping):
        slots = _slot_keys(payload)
        rest = [k for k in payload if not k.isdigit() and k not in _SKIP]
        return [v for k in (*slots, *rest) for v in values(payload[k])]
    return []


def slot_values(payload: Any) -> list[str]:
    """``values(payload)``, asserting it is only slot changes (no title, events, reply, ...)."""
    assert isinstance(payload, Mapping), f"not a diff: {payload!r}"
    extra = {k for k in payload if not k.isdigit() and k not in _SLOT_EXTRAS}
    assert not extra, f"diff carries more than slots ({sorted(extra)}): {payload!r}"
    return values(payload)


def diff_reply(reply: tuple[str, Any]) -> tuple[str, Any]:
    """``(status, {"diff": d})`` -> ``(status, slot_values(d))``; any other reply unchanged,
    so comparing it with an expected ``(status, [values])`` fails showing what came."""
    status, response = reply
    if isinstance(response, Mapping) and set(response) == {"diff"}:
        return status, slot_values(response["diff"])
    return status, response


# --------------------------------------------------------------------------- tiny client


def _resolve(node: Any, table: Mapping[str, list[str]]) -> Any:
    """A copy of ``node`` with integer ``s`` template references replaced by their statics."""
    if isinstance(node, str):
        return node
    if not isinstance(node, Mapping):
        raise NotImplementedError(f"unsupported dynamic {node!r} (components are out of scope)")
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "p":
            continue
        if key == "s":
            out["s"] = table[str(value)] if isinstance(value, int) else list(value)
        elif key == "k":
            out["k"] = {k: v if k in ("kc", "km") else _resolve(v, table) for k, v in value.items()}
        elif key.isdigit():
            out[key] = _resolve(value, table)
        elif key == "c":
            raise NotImplementedError("components are out of scope")
        else:
            out[key] = copy.deepcopy(value)
    return out


def _merge(old: Any, new: Any) -> Any:
    if isinstance(new, str) or (isinstance(new, Mapping) and "s" in new) or old is None:
        return new
    merged = dict(old)
    for key, value in new.items():
        if key == "k":
            if value.get("km"):
                raise NotImplementedError("keyed moves are out of scope")
            rows = dict(old.get("k", {}))
            for k, row in value.items():
                rows[k] = row if k == "kc" else _merge(rows.get(k), row)
            merged["k"] = {k: v for k, v in rows.items() if k == "kc" or int(k) < rows["kc"]}
        elif key not in ("e", "r"):  # events and hook replies are not part of the tree
            merged[key] = _merge(old.get(key), value)
    return merged


def merge(rendered: Mapping[str, Any], *diffs: Mapping[str, Any]) -> dict[str, Any]:
    """The tree a client holds after joining with ``rendered`` and applying ``diffs``."""
    tree: dict[str, Any] = _resolve(rendered, rendered.get("p", {}))
    for diff in diffs:
        tree = _merge(tree, _resolve(diff, diff.get("p", {})))
    return tree


def _html(node: Any) -> str:
    if isinstance(node, str):
        return node
    if not isinstance(node, Mapping) or "s" not in node:
        raise NotImplementedError(f"cannot render {node!r}")
    statics: list[str] = node["s"]
    if "k" in node:
        rows = node["k"]
        return "".join(_fill(statics, rows[str(i)]) for i in range(rows["kc"]))
    return _fill(statics, node)


def _fill(statics: list[str], dynamics: Mapping[str, Any]) -> str:
    parts = [statics[0]]
    for i, static in enumerate(statics[1:]):
        parts.append(_html(dynamics[str(i)]))
        parts.append(static)
    return "".join(parts)


def to_html(rendered: Mapping[str, Any], *diffs: Mapping[str, Any]) -> str:
    """The HTML of a join ``rendered`` (after applying ``diffs``, if any)."""
    return _html(merge(rendered, *diffs))
