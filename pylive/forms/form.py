"""``to_form``: a form's state (values, errors, which fields were used) for templates to render.

The counterpart of Phoenix's ``to_form`` and ``Phoenix.HTML.Form``. A ``Form`` has a name (the
prefix of its input names, ``user`` in ``user[email]``), an id, the params the browser sent, the
data the form started from, and the errors of the last validation. ``form["email"]`` is a
``FormField`` with the ``id``, ``name``, ``value`` and ``errors`` an input needs; ``inputs_for``
gives the sub-forms of a nested model or of a list of them (rows).

Errors are kept for every field, and shown for the fields the user has used: ``used_input``
reads the client's ``_unused_`` markers as Phoenix's ``used_input?`` does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from pylive.forms.messages import ErrorMap, Path, error_map
from pylive.forms.shape import UNUSED, clean_params, field_kind, shape_params

__all__ = ["Form", "FormField", "inputs_for", "to_form", "used_input"]


@dataclass(frozen=True, eq=False)
class Form:
    """A form to render: build it with ``to_form``; index it by field name for a ``FormField``."""

    name: str
    """The prefix of input names: ``user`` gives ``user[email]``; ``""``: plain names."""
    id: str
    """The form's id, and the prefix of its inputs' ids (``user_email``)."""
    params: Mapping[str, Any] = field(default_factory=dict)
    """What the browser sent for this form (markers included; rows as lists)."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """The values the form started from (a model's fields, its defaults, a dict)."""
    errors: ErrorMap = field(default_factory=dict)
    """Every validation message, by path from this form (``()``: the form as a whole)."""
    schema: type[BaseModel] | None = None
    """The pydantic model behind the form, if any."""
    model: BaseModel | None = None
    """The validated model, when the params were validated and are valid."""
    validated: bool = False
    """Whether these params went through validation."""
    index: int | None = None
    """For a row of ``inputs_for``: its position."""
    parent: Form | None = None
    """For a row of ``inputs_for``: the form holding the list."""
    key: str = ""
    """For a row of ``inputs_for``: the list's field in ``parent``."""

    @property
    def valid(self) -> bool:
        """Validated, without errors."""
        return self.validated and not self.errors

    @property
    def base_errors(self) -> list[str]:
        """Messages about the form as a whole (a model validator's, a malformed form)."""
        return list(self.errors.get((), []))

    def __getitem__(self, key: str) -> FormField:
        return self.field(key)

    def field(self, key: str) -> FormField:
        """The field ``key`` of this form."""
        kind, _ = field_kind(self.schema, key)
        value = self.params[key] if key in self.params else self.data.get(key)
        if kind == "scalar":
            errors = [m for path, ms in self.errors.items() if path[:1] == (key,) for m in ms]
        else:
            errors = list(self.errors.get((key,), []))
        return FormField(
            form=self,
            field=key,
            id=f"{self.id}_{key}" if self.id else key,
            name=f"{self.name}[{key}]" if self.name else key,
            value=value,
            errors=tuple(errors),
        )

    def rows_param(self, key: str, suffix: str) -> str:
        """The input name of param ``<key><suffix>`` of this form (``user[addresses_sort][]``
        for ``rows_param("addresses", "_sort")``), a list param."""
        return f"{self.name}[{key}{suffix}][]" if self.name else f"{key}{suffix}[]"


@dataclass(frozen=True, eq=False)
class FormField:
    """One field of a form: what an input needs to render it."""

    form: Form = field(repr=False)
    field: str
    """The field's key in its form."""
    id: str
    """The input's id: ``user_email``."""
    name: str
    """The input's name: ``user[email]``."""
    value: Any
    """What the browser sent for it, else the form's data."""
    errors: tuple[str, ...]
    """Every message about it (show them when ``used_input(field)``)."""

    @property
    def used(self) -> bool:
        """``used_input(self)``."""
        return used_input(self)


def used_input(field: FormField) -> bool:
    """Whether the user has used ``field``: it is in the params without an ``_unused_`` marker
    (a nested field: any of its inputs is). A form not sent yet has no used field; a submitted
    one has all of them (the client marks nothing on submit)."""
    return _used(field.form.params, field.field)


def _used(params: Mapping[str, Any], key: str) -> bool:
    if key not in params or f"{UNUSED}{key}" in params:
        return False
    value = params[key]
    if isinstance(value, Mapping):
        return any(_used(value, str(k)) for k in value if not str(k).startswith(UNUSED))
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        return any(_used(row, str(k)) for row in value for k in row)
    return True


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _defaults(schema: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, info in schema.model_fields.items():
        if info.is_required():
            out[key] = None
        else:
            out[key] = info.get_default(call_default_factory=True)
    return out


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return {k: _dump(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    return value


def to_form(
    source: Any,
    *,
    as_: str | None = None,
    schema: type[BaseModel] | None = None,
    id: str | None = None,
    data: Any = None,
    validate: bool | None = None,
) -> Form:
    """A ``Form`` from ``source``:

    * a pydantic model class: an empty form with the model's defaults, no errors;
    * a model instance: a form showing its values, no errors;
    * a mapping of params: the browser's values. With a ``schema`` they are validated (unless
      ``validate=False``): ``form.errors`` holds pydantic's messages by field and
      ``form.model`` the valid model. The params of an event can be given whole: when the
      mapping has the key ``as_`` (or ``_target``, the changed field), its ``as_`` entry is
      taken. A value of any other shape, a list say, makes a form with a form-level error.

    ``as_`` is the form's name (default: the model's name in snake case, else none: plain
    input names); ``id`` its id (default: the name). ``data`` is what the form started from
    (a model instance or a mapping; default: the model's defaults), shown for fields the
    params do not hold.
    """
    model: BaseModel | None = None
    params: Any = {}
    if isinstance(source, type) and issubclass(source, BaseModel):
        schema = schema or source
    elif isinstance(source, BaseModel):
        schema = schema or type(source)
        data = source if data is None else data
    elif isinstance(source, Mapping) and as_ and (as_ in source or "_target" in source):
        params = source.get(as_, {})
        validate = True if validate is None else validate
    else:
        params = source
        validate = True if validate is None else validate
    name = as_ if as_ is not None else (_snake(schema.__name__) if schema is not None else "")
    form_id = id if id is not None else name
    start = _defaults(schema) if schema is not None else {}
    if data is not None:
        dumped = _dump(data)
        start.update(dumped if isinstance(dumped, Mapping) else {})
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        what = type(params).__name__
        errors: ErrorMap = {(): [f"expected the fields of form {name or form_id!r}, got a {what}"]}
        return Form(name, form_id, {}, start, errors, schema, None, validated=True)
    errors = {}
    checked = bool(validate) and schema is not None
    try:
        shaped = shape_params(params, schema)
        if checked:
            assert schema is not None
            try:
                model = schema.model_validate({**_clean_start(start), **clean_params(shaped)})
            except ValidationError as error:
                errors = error_map(error)
    except RecursionError:  # params nested deeper than any form (a crafted event)
        errors = {(): [f"the params of form {name or form_id!r} are nested too deeply"]}
        return Form(name, form_id, {}, start, errors, schema, None, validated=True)
    return Form(name, form_id, shaped, start, errors, schema, model, validated=checked)


def _clean_start(start: Mapping[str, Any]) -> dict[str, Any]:
    """The starting data that validation may fall back on (not the required fields' Nones)."""
    return {k: v for k, v in start.items() if v is not None}


def inputs_for(form: Form, key: str) -> list[Form]:
    """The sub-forms of field ``key``: one for a nested model, one per row for a list of them
    (named ``user[addresses][0]``, id ``user_addresses_0``, in the order sent)."""
    kind, sub = field_kind(form.schema, key)
    base = form[key]
    errors = form.errors
    if kind == "rows" or isinstance(base.value, list):
        rows = base.value if isinstance(base.value, list) else []
        from_params = key in form.params
        out = []
        for i, row in enumerate(rows):
            out.append(
                Form(
                    name=f"{base.name}[{i}]",
                    id=f"{base.id}_{i}",
                    params=row if from_params and isinstance(row, Mapping) else {},
                    data={} if from_params else _mapping(row),
                    errors=_sub_errors(errors, (key, i)),
                    schema=sub,
                    validated=form.validated,
                    index=i,
                    parent=form,
                    key=key,
                )
            )
        return out
    value = base.value if isinstance(base.value, Mapping) else {}
    from_params = key in form.params
    data_value = form.data.get(key)
    return [
        Form(
            name=base.name,
            id=base.id,
            params=value if from_params else {},
            data=_mapping(data_value),
            errors=_sub_errors(errors, (key,)),
            schema=sub,
            validated=form.validated,
        )
    ]


def _mapping(value: Any) -> Mapping[str, Any]:
    """A row's or sub-model's data as a mapping (a model dumped; anything else: empty)."""
    dumped = _dump(value)
    return dumped if isinstance(dumped, Mapping) else {}


def _sub_errors(errors: ErrorMap, prefix: Path) -> ErrorMap:
    n = len(prefix)
    return {path[n:]: ms for path, ms in errors.items() if path[:n] == prefix and len(path) > n}
