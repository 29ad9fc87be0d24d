"""Form data as the official client sends it (``serializeForm`` in phoenix_live_view's
``assets/js/phoenix_live_view/view.js``).

The browser builds form events from ``new FormData(form)`` (successful controls in tree order,
files dropped), adds ``_unused_<name>`` markers for fields the user never touched, and encodes
everything with ``URLSearchParams``. This module does the same on the parsed HTML of a view,
with the values a test "types" applied on top: each overridden field contributes the given
values (at the position of its first control) instead of what the HTML holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pylive.testing.dom import Element

__all__ = [
    "FormError",
    "first_field",
    "flatten",
    "form_controls",
    "form_of",
    "prepend_form_data_key",
    "serialize_form",
    "urlencode",
]

_LISTED = frozenset({"button", "fieldset", "input", "object", "output", "select", "textarea"})
_BUTTON_INPUTS = frozenset({"submit", "image", "reset", "button"})
_SAFE = frozenset(b"*-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_LAST_SEGMENT = re.compile(r"([^\[\]]+)(\]?$)")


class FormError(AssertionError):
    """The form cannot produce what the test asked for (e.g. a field it does not have)."""


# --------------------------------------------------------------------------- values from tests


def flatten(values: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested test values as form field pairs: ``{"user": {"name": "x"}}`` →
    ``[("user[name]", "x")]``; lists become ``name[]`` pairs; ``None`` becomes ``""``;
    ``True``/``False`` become ``"true"``/``"false"``; numbers are stringified."""
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, Mapping):
            pairs += flatten(value, name)
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, Mapping):
                    pairs += flatten(item, f"{name}[]")
                else:
                    pairs.append((name if name.endswith("[]") else f"{name}[]", _scalar(item)))
        else:
            pairs.append((name, _scalar(value)))
    return pairs


def first_field(values: Mapping[str, Any]) -> str | None:
    """The name of the first field in ``values`` (the default ``_target`` of a change)."""
    pairs = flatten(values)
    return pairs[0][0] if pairs else None


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# --------------------------------------------------------------------------- the form in the DOM


def form_of(control: Element) -> Element | None:
    """The form that owns ``control`` (its ``form`` attribute, else the enclosing form)."""
    owner_id = control.attr("form")
    if owner_id is not None:
        owner = control.document.by_id(owner_id)
        return owner if owner is not None and owner.tag == "form" else None
    return control.closest("form")


def form_controls(form: Element) -> list[Element]:
    """``form.elements``: listed controls owned by ``form``, in tree order."""
    controls: list[Element] = []
    for element in form.document.root.descendants():
        if element.tag in _LISTED and form_of(element) == form:
            controls.append(element)
    return controls


def _disabled(control: Element) -> bool:
    if control.has_attr("disabled"):
        return True
    fieldset = control.parent.closest("fieldset[disabled]") if control.parent else None
    return fieldset is not None


def _input_type(control: Element) -> str:
    return (control.attr("type") or "text").lower()


def _options(select: Element) -> list[Element]:
    return select.find_all("option")


def _option_value(option: Element) -> str:
    value = option.attr("value")
    return value if value is not None else option.text


def _select_values(select: Element) -> list[str]:
    options = _options(select)
    usable = [o for o in options if not o.has_attr("disabled") and not _in_disabled_group(o)]
    selected = [o for o in usable if o.has_attr("selected")]
    if select.has_attr("multiple"):
        return [_option_value(o) for o in selected]
    if selected:
        return [_option_value(selected[-1])]
    size = select.attr("size")
    if (size is None or size.strip() in ("", "1")) and usable:
        return [_option_value(usable[0])]
    return []


def _in_disabled_group(option: Element) -> bool:
    parent = option.parent
    return parent is not None and parent.tag == "optgroup" and parent.has_attr("disabled")


def _entries(control: Element, submitter: Element | None) -> list[str] | None:
    """The values ``control`` adds to FormData; None for a file input (its name is dropped)."""
    tag = control.tag
    if tag == "input":
        kind = _input_type(control)
        if kind in _BUTTON_INPUTS:
            return [control.attr("value") or ""] if control == submitter else []
        if kind in ("checkbox", "radio"):
            return [control.attr("value", "on") or ""] if control.has_attr("checked") else []
        if kind == "file":
            return None
        return [control.attr("value") or ""]
    if tag == "textarea":
        return [control.raw_text]
    if tag == "select":
        return _select_values(control)
    if tag == "button":
        return [control.attr("value") or ""] if control == submitter else []
    return []


# --------------------------------------------------------------------------- serialization


def prepend_form_data_key(key: str, prefix: str) -> str:
    """The client's ``prependFormDataKey``: ``user[email]`` → ``user[_unused_email]``."""
    is_array = key.endswith("[]")
    base = key[:-2] if is_array else key
    base = _LAST_SEGMENT.sub(lambda m: f"{prefix}{m.group(1)}{m.group(2)}", base, count=1)
    return base + "[]" if is_array else base


def serialize_form(
    form: Element,
    *,
    overrides: Sequence[tuple[str, str]] = (),
    used: Iterable[str] = (),
    submitter: Element | None = None,
    only_names: Sequence[str] = (),
) -> str:
    """The ``value`` of a form event: the form's fields in DOM order, ``overrides`` applied,
    ``_unused_`` markers for controls whose name is not in ``used``, URL-encoded.

    Raises ``FormError`` when an override names a field the form does not have.
    """
    controls = form_controls(form)
    names = {c.attr("name") for c in controls if c.attr("name")}
    replaced: dict[str, list[str]] = {}
    for name, value in overrides:
        if name not in names:
            known = ", ".join(sorted(n for n in names if n)) or "none"
            raise FormError(f"form has no field named {name!r} (fields: {known})")
        replaced.setdefault(name, []).append(value)

    entries: list[tuple[str, str]] = []
    dropped: set[str] = set()
    emitted: set[str] = set()
    for control in controls:
        field_name = control.attr("name")
        if not field_name or _disabled(control) or control.closest("datalist") is not None:
            continue
        if field_name in replaced:
            if field_name not in emitted:
                emitted.add(field_name)
                entries += [(field_name, v) for v in replaced[field_name]]
            continue
        values = _entries(control, submitter)
        if values is None:
            dropped.add(field_name)
        else:
            entries += [(field_name, v) for v in values]
    entries = [(k, v) for k, v in entries if k not in dropped]

    used_names = set(used)
    unused: dict[str, bool] = {}
    only_hidden: dict[str, bool] = {}
    for control in controls:
        key = control.attr("name")
        if not key:
            continue
        is_used = key in used_names or control.has_attr("phx-no-unused-field")
        unused[key] = unused.get(key, True) and not is_used
        hidden = control.tag == "input" and _input_type(control) == "hidden"
        only_hidden[key] = only_hidden.get(key, True) and hidden

    skip_unused = form.has_attr("phx-no-unused-field")
    submitter_name = submitter.attr("name") if submitter is not None else None
    params: list[tuple[str, str]] = []
    for key, value in entries:
        if only_names and key not in only_names:
            continue
        if (
            not skip_unused
            and unused.get(key, False)
            and key != submitter_name
            and not only_hidden.get(key, False)
        ):
            params.append((prepend_form_data_key(key, "_unused_"), ""))
        params.append((key, value))
    return urlencode(params)


def urlencode(pairs: Iterable[tuple[str, str]]) -> str:
    """``URLSearchParams.toString()``: ``application/x-www-form-urlencoded`` exactly as
    browsers write it (space as ``+``; only ``*-._`` and alphanumerics left unescaped)."""
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)


def _encode(text: str) -> str:
    out: list[str] = []
    for byte in text.encode():
        if byte in _SAFE:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)
