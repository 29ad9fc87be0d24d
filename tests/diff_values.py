"""Layout-independent views of Rendered payloads for the runtime tests.

The runtime tests check what a reply or push *says* (the count is now 1, the flash reads
"saved", nothing else changed), not where the template compiler put each slot. These helpers
read a join ``rendered`` or a ``diff`` the way a client would, without slot numbers:

* ``values``: the dynamic strings of a payload, in slot order;
* ``slot_values``: the same, asserting the payload is nothing but slot changes (no ``t``,
  ``e``, ``r``, ...), so ``slot_values(diff) == ["1"]`` means "exactly one value changed, to 1";
* ``diff_reply``: ``("ok", {"diff": d})`` as ``("ok", slot_values(d))``;
* ``client_html``: the HTML the official client shows for a join render and the diffs applied
  after it (``pylive.testing``'s ``ClientTree``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pylive.testing.client_tree import ClientTree, extract

__all__ = ["client_html", "diff_reply", "slot_values", "values"]

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


def diff_reply(reply: tuple[str | None, Any]) -> tuple[str | None, Any]:
    """``(status, {"diff": d})`` -> ``(status, slot_values(d))``; any other reply unchanged,
    so comparing it with an expected ``(status, [values])`` fails showing what came."""
    status, response = reply
    if isinstance(response, Mapping) and set(response) == {"diff"}:
        return status, slot_values(response["diff"])
    return status, response


def client_html(view_id: str, rendered: Mapping[str, Any], *diffs: Mapping[str, Any]) -> str:
    """The plain HTML of view ``view_id`` once the client joined with ``rendered`` and applied
    ``diffs``: ``ClientTree`` fed copies, rendering after each merge as the client does."""
    tree = ClientTree(view_id, extract(copy.deepcopy(dict(rendered))).diff)
    tree.to_string()
    for raw in diffs:
        diff = extract(copy.deepcopy(dict(raw))).diff
        tree.merge(diff)
        tree.to_string(tree.component_cids(diff))
    return tree.html()
