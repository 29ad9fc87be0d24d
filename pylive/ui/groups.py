"""Groups of inputs: ``field_group`` (a ``<fieldset>`` with its ``<legend>``) and
``radio_group`` (radio buttons for one form field, in a field group).

A radio group is native radios sharing a name: Tab enters the group on the checked radio, the
arrow keys move the choice, as in the browser's own radio groups. The fieldset has
``role="radiogroup"``, is named by its legend, and carries the group's ``aria-describedby``
(help, errors) and ``aria-invalid``. A hidden empty input of the field's name goes first, so a
submitted form holds the field even with no radio checked (its "required" error shows then).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import htpy
from htpy import Element, Node, div, fieldset

from pylive.forms import FormField
from pylive.html.compiler import component
from pylive.html.form_fields import Option, option_pairs, selected_values
from pylive.ui.field_parts import control_aria, errors_block, help_block, invalid

__all__ = ["field_group", "radio_group"]


def _fieldset(
    legend: str,
    id: str | None,
    field: FormField | None,
    help: str | None,
    inline: bool,
    class_: str | None,
    children: Node,
    attrs: dict[str, Any],
) -> Element:
    """The fieldset of ``field_group`` and ``radio_group``."""
    group_id = id if id is not None else (field.id if field is not None else None)
    if help and group_id is None:
        raise TypeError("field_group(): a help text needs an id (give id= or field=)")
    return fieldset(
        {"id": group_id, **control_aria(field, group_id, help)},
        class_=[
            "ui-fieldset",
            "ui-fieldset-inline" if inline else None,
            "ui-field-invalid" if invalid(field) else None,
            class_,
        ],
        **attrs,
    )[
        htpy.legend(".ui-legend")[legend],
        help_block(group_id, help),
        div(".ui-fieldset-body")[children],
        errors_block(field),
    ]


@component
def field_group(
    *,
    legend: str,
    id: str | None = None,
    field: FormField | None = None,
    help: str | None = None,
    inline: bool = False,
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """Related inputs in a ``<fieldset>`` named by its ``<legend>``.

    Attributes:
        legend: the group's visible name.
        id: the fieldset's id (default: the field's); the help text's id derives from it.
        field: a form field the group stands for (a nested form's, a radio group's): its
            errors show under the group once used.
        help: a hint under the legend (linked with ``aria-describedby``; needs an id).
        inline: lay the children out in a row.
        children: the inputs.
    """
    return _fieldset(legend, id, field, help, inline, class_, children, attrs)


@component
def radio_group(
    field: FormField,
    *,
    label: str,
    options: Sequence[Option],
    help: str | None = None,
    value: Any = None,
    inline: bool = False,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """Radio buttons choosing one value of a form field, in a field group.

    Attributes:
        field: the form field: the radios' name, the checked value and the errors.
        label: the group's legend.
        options: the choices: values, or ``(label, value)`` pairs.
        help: a hint under the legend (linked with ``aria-describedby``).
        value: checked in place of the field's value.
        inline: the radios in a row.
        attrs: other attributes, on each radio.
    """
    chosen = selected_values(field.value if value is None else value)
    return _fieldset(
        label,
        None,
        field,
        help,
        inline,
        f"ui-radio-group {class_}" if class_ else "ui-radio-group",
        [
            htpy.input(type="hidden", name=field.name, value=""),
            [
                div(".ui-choice")[
                    htpy.input(
                        {
                            "type": "radio",
                            "id": f"{field.id}_{index}",
                            "name": field.name,
                            "value": option_value,
                            "checked": option_value in chosen,
                            "class": "ui-radio",
                        },
                        **attrs,
                    ),
                    htpy.label(".ui-choice-label", for_=f"{field.id}_{index}")[option_label],
                ]
                for index, (option_label, option_value) in enumerate(option_pairs(options))
            ],
        ],
        {"role": "radiogroup"},
    )
