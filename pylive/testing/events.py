"""Event payloads as the official client builds them from the DOM (phoenix_live_view's
``view.js``: ``pushEvent``, ``pushInput``; and ``js.js``).

``extract_meta`` is ``View.extractMeta``: ``phx-value-*`` attributes, then the element's
``value`` property (for elements that have one; an unchecked checkbox or radio has none), then
the ``value`` of a ``JS.push``. ``parse_binding`` tells an event name from a JS command list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import orjson

from pylive.testing.dom import Element

__all__ = ["Command", "element_value", "extract_meta", "parse_binding"]

VALUE_PREFIX: Final = "phx-value-"
_STRING_VALUE_TAGS = frozenset({"button", "input", "option", "data", "param"})
_NO_VALUE: Final = object()


@dataclass(frozen=True)
class Command:
    """One JS command of a binding (``[kind, args]``); a plain event name is a ``push``."""

    kind: str
    args: dict[str, Any] = field(default_factory=dict)


def parse_binding(binding: str) -> list[Command]:
    """The commands a ``phx-*`` binding runs: a JSON command list, or a push of that name."""
    if binding.startswith("["):
        try:
            commands = orjson.loads(binding)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"binding {binding!r} is not a valid JS command list: {exc}") from None
        return [
            Command(str(c[0]), dict(c[1]) if len(c) > 1 and isinstance(c[1], dict) else {})
            for c in commands
            if isinstance(c, list) and c
        ]
    return [Command("push", {"event": binding})]


def _number(text: str | None) -> int | float:
    try:
        number = float(text or "0")
    except ValueError:
        return 0
    return int(number) if number.is_integer() else number


def element_value(el: Element) -> Any:
    """The DOM ``value`` property of ``el``, or the module's no-value marker."""
    tag = el.tag
    if tag == "input":
        kind = (el.attr("type") or "text").lower()
        default = "on" if kind in ("checkbox", "radio") else ""
        return el.attr("value", default)
    if tag in _STRING_VALUE_TAGS:
        value = el.attr("value")
        if value is None and tag == "option":
            return el.text
        return value or ""
    if tag == "textarea" or tag == "output":
        return el.raw_text
    if tag == "select":
        options = el.find_all("option")
        chosen = next((o for o in reversed(options) if o.has_attr("selected")), None)
        chosen = chosen or (options[0] if options and not el.has_attr("multiple") else None)
        if chosen is None:
            return ""
        value = chosen.attr("value")
        return value if value is not None else chosen.text
    if tag == "li":
        return int(_number(el.attr("value")))
    if tag in ("meter", "progress"):
        return _number(el.attr("value"))
    return _NO_VALUE


def extract_meta(
    el: Element,
    meta: dict[str, Any] | None = None,
    value: Mapping[str, Any] | None = None,
    *,
    clicked: bool = False,
) -> dict[str, Any]:
    """The ``value`` of an event sent from ``el`` (``meta`` holds keys set before, such as a
    key event's ``key``). ``clicked``: the event is a click on ``el``, which the browser has
    already applied to a checkbox (toggled) or a radio (checked) when the client reads it."""
    out: dict[str, Any] = dict(meta or {})
    for name, attr in el.attrs.items():
        if name.startswith(VALUE_PREFIX):
            out[name.replace(VALUE_PREFIX, "", 1)] = attr
    if el.tag != "form":
        own = element_value(el)
        if own is not _NO_VALUE:
            out["value"] = own
            kind = (el.attr("type") or "").lower()
            if el.tag == "input" and kind in ("checkbox", "radio"):
                checked = el.has_attr("checked")
                if clicked:
                    checked = True if kind == "radio" else not checked
                if not checked:
                    del out["value"]
    for key, item in (value or {}).items():
        out[key] = item
    return out
