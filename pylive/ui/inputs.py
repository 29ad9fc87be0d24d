"""Form inputs of the toolkit: ``text_field``, ``textarea_field``, ``select_field``.

Each renders its control for a field of a ``pylive.forms`` form (its ``id``, ``name`` and
value) in a ``<div class="ui-field">`` with a visible ``<label for>``, an optional help text and
the field's errors once the user has used the field (``pylive.ui.field_parts``). Attributes the
component does not declare (``placeholder``, ``autocomplete``, ``phx_debounce``, ``required``...)
go on the control itself; ``class_`` goes on the wrapper.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import htpy
from htpy import Element, div

from pylive.forms import FormField
from pylive.html.compiler import component
from pylive.html.form_fields import Option, option_pairs, selected_values, value_text
from pylive.ui.field_parts import control_aria, errors_block, help_block, invalid

__all__ = ["InputType", "field_wrapper", "select_field", "text_field", "textarea_field"]

InputType = Literal[
    "text",
    "email",
    "password",
    "number",
    "tel",
    "url",
    "search",
    "date",
    "datetime-local",
    "time",
    "month",
    "week",
    "color",
]
"""The ``<input>`` types ``text_field`` renders (checkboxes, radios, files have their own)."""


def field_wrapper(
    field: FormField, kind: str, class_: str | None, help: str | None, *parts: Any
) -> Element:
    """The ``ui-field`` wrapper of a control: ``parts``, the help text, the shown errors."""
    return div(
        class_=[
            "ui-field",
            f"ui-field-{kind}",
            "ui-field-invalid" if invalid(field) else None,
            class_,
        ]
    )[parts, help_block(field.id, help), errors_block(field)]


@component
def text_field(
    field: FormField,
    *,
    label: str,
    type: InputType = "text",
    help: str | None = None,
    value: Any = None,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A labelled ``<input>`` for a form field, with help and errors.

    Attributes:
        field: the form field (``form["email"]``): the input's id, name, value and errors.
        label: the visible label.
        type: the input type: ``text``, ``email``, ``password``, ``number``, ``date``...
        help: a hint under the input (linked with ``aria-describedby``).
        value: shown in place of the field's value.
        attrs: other attributes, on the input (``placeholder``, ``phx_debounce``...).
    """
    current = field.value if value is None else value
    control = htpy.input(
        {
            "type": type,
            "id": field.id,
            "name": field.name,
            "value": value_text(current),
            "class": "ui-input",
            **control_aria(field, field.id, help),
        },
        **attrs,
    )
    return field_wrapper(
        field, "input", class_, help, htpy.label(".ui-label", for_=field.id)[label], control
    )


@component
def textarea_field(
    field: FormField,
    *,
    label: str,
    rows: int = 3,
    help: str | None = None,
    value: Any = None,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A labelled ``<textarea>`` for a form field, with help and errors.

    Attributes:
        field: the form field: the textarea's id, name, text and errors.
        label: the visible label.
        rows: its height in lines.
        help: a hint under it (linked with ``aria-describedby``).
        value: shown in place of the field's value.
        attrs: other attributes, on the textarea (``placeholder``, ``phx_debounce``...).
    """
    current = field.value if value is None else value
    control = htpy.textarea(
        {
            "id": field.id,
            "name": field.name,
            "rows": str(rows),
            "class": "ui-textarea",
            **control_aria(field, field.id, help),
        },
        **attrs,
    )[value_text(current)]
    return field_wrapper(
        field, "textarea", class_, help, htpy.label(".ui-label", for_=field.id)[label], control
    )


@component
def select_field(
    field: FormField,
    *,
    label: str,
    options: Sequence[Option],
    prompt: str | None = None,
    multiple: bool = False,
    help: str | None = None,
    value: Any = None,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A labelled ``<select>`` for a form field, with help and errors.

    Attributes:
        field: the form field: the select's id, name, selected value(s) and errors.
        label: the visible label.
        options: the choices: values, or ``(label, value)`` pairs.
        prompt: a first option with an empty value ("Choose a role…").
        multiple: a multi-select (its name ends in ``[]``; the field holds a list).
        help: a hint under it (linked with ``aria-describedby``).
        value: selected in place of the field's value.
        attrs: other attributes, on the select (``required``, ``disabled``...).
    """
    chosen = selected_values(field.value if value is None else value)
    control = htpy.select(
        {
            "id": field.id,
            "name": f"{field.name}[]" if multiple else field.name,
            "multiple": multiple,
            "class": "ui-select",
            **control_aria(field, field.id, help),
        },
        **attrs,
    )[
        htpy.option(value="")[prompt] if prompt is not None else None,
        [
            htpy.option(value=option_value, selected=option_value in chosen)[option_label]
            for option_label, option_value in option_pairs(options)
        ],
    ]
    return field_wrapper(
        field, "select", class_, help, htpy.label(".ui-label", for_=field.id)[label], control
    )
