"""What the toolkit's form inputs share: the help text, the error messages and the ARIA
attributes linking them to the control.

The control gets ``aria-describedby`` naming its help (``<id>-help``) and, once the user has
used the field and it has errors (``shown_errors``, Phoenix's ``used_input?``), its messages
(``<id>-error``, rendered by ``pylive.html.form_fields.field_errors``), and then
``aria-invalid="true"``.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, p

from pylive.forms import FormField
from pylive.html.form_fields import error_id, field_errors, shown_errors

__all__ = ["control_aria", "errors_block", "help_block", "help_id", "invalid"]


def help_id(id: str) -> str:
    """The id of the help text of the control ``id``."""
    return f"{id}-help"


def invalid(field: FormField | None) -> bool:
    """Whether the field's errors are shown (it was used and has some)."""
    return field is not None and bool(shown_errors(field))


def control_aria(field: FormField | None, id: str | None, help: str | None) -> dict[str, Any]:
    """``aria-describedby`` (help, then errors) and ``aria-invalid`` for a control or group."""
    ids = []
    if help and id:
        ids.append(help_id(id))
    if field is not None and invalid(field):
        ids.append(error_id(field))
    return {
        "aria-describedby": " ".join(ids) or None,
        "aria-invalid": "true" if invalid(field) else None,
    }


def help_block(id: str | None, help: str | None) -> Element | None:
    """The help text under a control, or None."""
    if not help:
        return None
    return p(".ui-field-help", id=help_id(id) if id else None)[help]


def errors_block(field: FormField | None) -> Element | None:
    """The field's shown messages (``<div id="<id>-error" class="ui-field-errors">``), or None."""
    return field_errors(field, class_="ui-field-errors") if field is not None else None
