"""htpy helpers that render a ``pylive.forms.Form``: the form, labelled inputs with their
errors, submit buttons, and the buttons that add and remove rows of a list of sub-forms.

Every input gets its field's ``id`` and ``name``, a ``<label for>``, and, once the user has
used the field (``used_input``) and it has errors, ``aria-invalid="true"`` and
``aria-describedby`` pointing at the error text (``<div id="<input id>-error">``), so screen
readers announce the message with the field. Attributes given as keywords (``class_``,
``phx_debounce="300"``, ``placeholder``...) go on the control itself.

``htpy.form(form_attrs(form, phx_change="validate", phx_submit="save"))[...]`` is the
``<form>``; with ``action=`` it posts to a plain HTTP route when ``trigger_action`` becomes true
(Phoenix's ``phx-trigger-action``), with ``csrf_input(token)`` inside for ``pylive.csrf``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

import htpy
from htpy import BaseElement, Element

from pylive.forms import Form, FormField, used_input
from pylive.js import JS

__all__ = [
    "Option",
    "add_row_button",
    "checkbox_value",
    "csrf_input",
    "drop_row_button",
    "error_id",
    "field_errors",
    "form_attrs",
    "form_errors",
    "input_field",
    "option_pairs",
    "row_index_input",
    "selected_values",
    "shown_errors",
    "submit_button",
    "value_text",
]

_CHANGE = JS().dispatch("change")
"""What a row button does: a ``change`` event on itself, so the form's ``phx-change`` runs
with the button's name and value in the params (the client sends a button as submitter)."""

Option = str | tuple[str, Any]
"""An option of a select or radio group: a value (its own label) or ``(label, value)``."""


def form_attrs(
    form: Form | None = None,
    *,
    action: str | None = None,
    method: str = "post",
    trigger_action: bool = False,
    **attrs: Any,
) -> dict[str, Any]:
    """The attributes of a ``<form>`` for ``form``: ``htpy.form(form_attrs(form,
    phx_change="validate", phx_submit="save"))[...]``. It gets the form's id (keep one: the
    client recovers forms by id after a reconnect). With ``action``, the browser posts the form
    there natively once ``trigger_action`` is true (after a ``phx-submit`` handler validated
    it, say); put ``csrf_input(token)`` inside for the route's check (``pylive.csrf``).

    Writing the ``<form>`` element in the template (rather than getting it from a function)
    keeps its children compiled: a change re-sends only the fields that changed."""
    own: dict[str, Any] = {}
    if form is not None and form.id:
        own["id"] = form.id
    if action is not None:
        own["action"] = action
        own["method"] = method
        if trigger_action:
            own["phx-trigger-action"] = True
    return {**own, **_attrs(attrs)}


def csrf_input(token: str | None) -> BaseElement | None:
    """The hidden ``_csrf_token`` field of a form posted to a plain route (``token``: the
    ``_csrf_token`` of the ``mount`` session); None renders nothing."""
    if token is None:
        return None
    return htpy.input(type="hidden", name="_csrf_token", value=token)


def _attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """Keyword attributes as htpy spells them (``class_`` → ``class``, ``phx_x`` → ``phx-x``)."""
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        name = key[:-1] if key.endswith("_") else key
        out[name.replace("_", "-")] = value
    return out


def shown_errors(field: FormField) -> tuple[str, ...]:
    """The field's messages to show: all of them once the user has used it, else none."""
    return field.errors if used_input(field) else ()


def error_id(field: FormField) -> str:
    """The id of the element holding the field's messages: ``<input id>-error``."""
    return f"{field.id}-error"


def field_errors(field: FormField, *, class_: str = "field-error") -> Element | None:
    """The field's messages (``<div id="<id>-error">``, one ``<p>`` each), once the user has
    used it; else None."""
    shown = shown_errors(field)
    if not shown:
        return None
    return htpy.div(id=error_id(field), class_=class_)[(htpy.p[m] for m in shown)]


def form_errors(form: Form) -> Element | None:
    """The messages about the form as a whole (``form.base_errors``), in an alert; else None."""
    if not form.base_errors:
        return None
    return htpy.div(id=f"{form.id or 'form'}-errors", class_="form-errors", role="alert")[
        (htpy.p[m] for m in form.base_errors)
    ]


def _aria(field: FormField) -> dict[str, Any]:
    if not shown_errors(field):
        return {}
    return {"aria-invalid": "true", "aria-describedby": error_id(field)}


def value_text(value: Any) -> str:
    """A field's value as an input's ``value`` text (None is empty, dates ISO, booleans
    ``true``/``false``)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def checkbox_value(value: Any) -> bool:
    """Whether a checkbox for ``value`` is checked (``True``, ``"true"``, ``"on"``, ``"1"``)."""
    return value is True or (isinstance(value, str) and value.lower() in ("true", "on", "1"))


def option_pairs(options: Iterable[Option]) -> list[tuple[str, str]]:
    """``(label, value text)`` of each option of a select or radio group."""
    out = []
    for option in options:
        if isinstance(option, tuple):
            label, value = option
            out.append((str(label), value_text(value)))
        else:
            out.append((str(option), str(option)))
    return out


def selected_values(value: Any) -> set[str]:
    """The value texts a field's value selects (each item of a list, else the value)."""
    if isinstance(value, list | tuple | set | frozenset):
        return {value_text(v) for v in value}
    return {value_text(value)} if value is not None else set()


def input_field(
    field: FormField,
    *,
    type: str = "text",
    label: str | None = None,
    options: Sequence[Option] = (),
    multiple: bool = False,
    prompt: str | None = None,
    value: Any = None,
    **attrs: Any,
) -> BaseElement:
    """A labelled control for ``field`` with its errors, in a ``<div class="field">``.

    ``type``: any ``<input>`` type (``text``, ``email``, ``number``, ``date``, ``password``...),
    or ``"checkbox"`` (a hidden ``false`` goes first, so an unchecked box sends one),
    ``"radio"`` (a ``<fieldset>`` of ``options`` with ``label`` as legend), ``"select"``
    (``options``, ``prompt`` as a first empty option, ``multiple`` for a multi-select whose
    name ends in ``[]``), ``"textarea"``, ``"hidden"`` (the bare input). ``value`` overrides
    the field's value; ``label`` defaults to the field's key, capitalised.
    """
    text = label if label is not None else field.field.replace("_", " ").capitalize()
    current = field.value if value is None else value
    own = {**_attrs(attrs), **_aria(field)}
    errors = field_errors(field)
    if type == "hidden":
        return htpy.input(
            {
                "type": "hidden",
                "id": field.id,
                "name": field.name,
                "value": value_text(current),
                **own,
            }
        )
    if type == "checkbox":
        box = htpy.input(
            {
                "type": "checkbox",
                "id": field.id,
                "name": field.name,
                "value": "true",
                "checked": checkbox_value(current),
                **own,
            }
        )
        hidden = htpy.input(type="hidden", name=field.name, value="false")
        return htpy.div(class_="field field-checkbox")[
            hidden, box, htpy.label(for_=field.id)[text], errors
        ]
    if type == "radio":
        chosen = selected_values(current)
        radios = [
            htpy.div(class_="radio")[
                htpy.input(
                    {
                        "type": "radio",
                        "id": f"{field.id}_{i}",
                        "name": field.name,
                        "value": opt_value,
                        "checked": opt_value in chosen,
                        **own,
                    }
                ),
                htpy.label(for_=f"{field.id}_{i}")[opt_label],
            ]
            for i, (opt_label, opt_value) in enumerate(option_pairs(options))
        ]
        return htpy.fieldset(class_="field field-radio", id=field.id)[
            htpy.legend[text], radios, errors
        ]
    if type == "select":
        chosen = selected_values(current)
        items = [
            htpy.option(value=opt_value, selected=opt_value in chosen)[opt_label]
            for opt_label, opt_value in option_pairs(options)
        ]
        control: BaseElement = htpy.select(
            {
                "id": field.id,
                "name": f"{field.name}[]" if multiple else field.name,
                "multiple": multiple,
                **own,
            }
        )[htpy.option(value="")[prompt] if prompt is not None else None, items]
    elif type == "textarea":
        control = htpy.textarea({"id": field.id, "name": field.name, **own})[value_text(current)]
    else:
        control = htpy.input(
            {"type": type, "id": field.id, "name": field.name, "value": value_text(current), **own}
        )
    return htpy.div(class_="field")[htpy.label(for_=field.id)[text], control, errors]


def submit_button(label: str, *, disable_with: str | None = "Saving…", **attrs: Any) -> Element:
    """A submit button; the client shows ``disable_with`` and disables it while the
    ``phx-submit`` event is on its way (``phx-disable-with``). A ``name``/``value`` given here
    is sent with the submit when this button submits the form."""
    own: dict[str, Any] = {"type": "submit"}
    if disable_with is not None:
        own["phx-disable-with"] = disable_with
    return htpy.button({**own, **_attrs(attrs)})[label]


def row_index_input(row: Form) -> BaseElement:
    """The hidden ``<list>_sort[]`` input of a row of ``inputs_for``: sends the row's index in
    DOM order, so rows keep their order (and a client-side reorder of the DOM reorders them)."""
    return htpy.input(type="hidden", name=_row_param(row, "_sort"), value=str(row.index))


def _row_param(row: Form, suffix: str) -> str:
    if row.parent is None or row.index is None:
        raise ValueError(f"form {row.name!r} is not a row of inputs_for")
    return row.parent.rows_param(row.key, suffix)


def add_row_button(form: Form, key: str, label: str, **attrs: Any) -> Element:
    """A button that adds an empty row to the rows field ``key`` of ``form`` through the form's
    ``phx-change`` (it sends ``<key>_sort[]=new``)."""
    return htpy.button(
        {
            "type": "button",
            "name": form.rows_param(key, "_sort"),
            "value": "new",
            "phx-click": _CHANGE,
            **_attrs(attrs),
        }
    )[label]


def drop_row_button(row: Form, label: str, **attrs: Any) -> Element:
    """A button that removes ``row`` (a row of ``inputs_for``) through the form's
    ``phx-change`` (it sends ``<list>_drop[]=<index>``)."""
    return htpy.button(
        {
            "type": "button",
            "name": _row_param(row, "_drop"),
            "value": str(row.index),
            "phx-click": _CHANGE,
            **_attrs(attrs),
        }
    )[label]
