"""Forms backed by pydantic models: ``to_form``, fields, rows, used inputs.

``to_form`` turns a model class, a model, a dict or an event's params into a ``Form``;
``form["email"]`` is a ``FormField`` (id, name, value, errors); ``inputs_for`` gives the
sub-forms of nested models and lists of them; ``used_input`` tells whether the user has used a
field (errors are shown only then). The htpy helpers that render them are in
``pylive.html.form_fields``. See docs/forms.md.
"""

from pylive.forms.form import Form, FormField, inputs_for, to_form, used_input
from pylive.forms.rows import add_row, drop_row, move_row

__all__ = [
    "Form",
    "FormField",
    "add_row",
    "drop_row",
    "inputs_for",
    "move_row",
    "to_form",
    "used_input",
]
