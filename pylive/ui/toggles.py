"""On/off inputs of the toolkit: ``checkbox_field`` and ``switch_field``.

Both are a native ``<input type="checkbox">`` (Space toggles it; a switch is the same input
with ``role="switch"``) after a hidden ``false`` input of the same name, so that an unchecked
box sends ``false``; the label follows the box. Help and errors as the other inputs
(``pylive.ui.inputs``); undeclared attributes go on the checkbox.
"""

from __future__ import annotations

from typing import Any

import htpy
from htpy import Element, div

from pylive.forms import FormField
from pylive.html.compiler import component
from pylive.html.form_fields import checkbox_value
from pylive.ui.field_parts import control_aria
from pylive.ui.inputs import field_wrapper

__all__ = ["checkbox_field", "switch_field"]


def _toggle(
    field: FormField,
    kind: str,
    label: str,
    help: str | None,
    value: Any,
    class_: str | None,
    attrs: dict[str, Any],
) -> Element:
    box = htpy.input(
        {
            "type": "checkbox",
            "id": field.id,
            "name": field.name,
            "value": "true",
            "checked": checkbox_value(field.value if value is None else value),
            "class": f"ui-{kind}",
            "role": "switch" if kind == "switch" else None,
            **control_aria(field, field.id, help),
        },
        **attrs,
    )
    return field_wrapper(
        field,
        kind,
        class_,
        help,
        htpy.input(type="hidden", name=field.name, value="false"),
        div(".ui-choice")[box, htpy.label(".ui-choice-label", for_=field.id)[label]],
    )


@component
def checkbox_field(
    field: FormField,
    *,
    label: str,
    help: str | None = None,
    value: Any = None,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A checkbox with its label, help and errors, for a boolean form field.

    Attributes:
        field: the form field: the checkbox's id, name, checked state and errors.
        label: the visible label, after the box.
        help: a hint under it (linked with ``aria-describedby``).
        value: checks the box in place of the field's value (``True``, ``"true"``, ``"on"``).
        attrs: other attributes, on the checkbox.
    """
    return _toggle(field, "checkbox", label, help, value, class_, attrs)


@component
def switch_field(
    field: FormField,
    *,
    label: str,
    help: str | None = None,
    value: Any = None,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """An on/off switch (a checkbox with ``role="switch"``) for a boolean form field.

    Attributes:
        field: the form field: the switch's id, name, state and errors.
        label: the visible label, after the switch.
        help: a hint under it (linked with ``aria-describedby``).
        value: turns it on in place of the field's value (``True``, ``"true"``, ``"on"``).
        attrs: other attributes, on the checkbox.
    """
    return _toggle(field, "switch", label, help, value, class_, attrs)
