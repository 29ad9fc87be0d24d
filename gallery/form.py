"""Sign-up form: pydantic validation as the user types, nested addresses, rows added, removed
and reordered.

The form's state is a ``pylive.forms.Form``: ``to_form(SignUp)`` at mount (no errors), then
``to_form(params, as_="sign_up", schema=SignUp)`` on every ``phx-change`` and ``phx-submit``.
Errors are shown only for fields the user has used (the client marks the others ``_unused_``),
each linked to its input with ``aria-describedby``. The address rows are a list of sub-models:
"Add an address" and "Remove" are buttons that send the form's change with
``addresses_sort[]=new`` or ``addresses_drop[]=<index>``; "Move up" is a ``phx-click`` that
reorders the form's params with ``move_row``. After a reconnect the client sends the form again
(form recovery), so nothing typed is lost.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal

from htpy import Element, button, div, fieldset, h1, h2, legend, li, main, p, section, ul
from htpy import form as form_
from pydantic import AfterValidator, BaseModel, Field, field_validator

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket, flash_group
from pylive.forms import Form, inputs_for, move_row, to_form
from pylive.html.form_fields import (
    add_row_button,
    drop_row_button,
    field_errors,
    form_attrs,
    form_errors,
    input_field,
    row_index_input,
    submit_button,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("enter an email address like name@example.com")
    return value


def _accepted(value: bool) -> bool:
    if not value:
        raise ValueError("please accept the terms")
    return value


Email = Annotated[str, AfterValidator(_email)]
"""An email address (a light check: something@somewhere.tld)."""
Terms = Annotated[bool, AfterValidator(_accepted)]
"""A box that must be ticked."""

INTERESTS = [("Python", "python"), ("Elixir", "elixir"), ("Web", "web"), ("Music", "music")]


class Address(BaseModel):
    """One postal address."""

    street: str = Field(min_length=1, max_length=100)
    city: str = Field(min_length=1, max_length=60)
    postcode: str = Field(pattern=r"^\d{5}$")

    @field_validator("postcode", mode="before")
    @classmethod
    def _postcode(cls, value: Any) -> Any:
        if isinstance(value, str) and value and not re.fullmatch(r"\d{5}", value):
            raise ValueError("a postcode is five digits")
        return value


class SignUp(BaseModel):
    """What the form asks for."""

    name: str = Field(min_length=2, max_length=60)
    email: Email
    age: int = Field(ge=13, le=130)
    plan: Literal["free", "pro", "team"] = "free"
    contact: Literal["email", "phone"] = "email"
    interests: list[Literal["python", "elixir", "web", "music"]] = []
    birthday: datetime.date | None = None
    bio: str = Field("", max_length=200)
    terms: Terms = False
    addresses: list[Address] = Field(min_length=1, max_length=5)


def _blank() -> Form:
    return to_form(SignUp, data={"addresses": [{}]})


class SignUpForm(LiveView):
    """A sign-up form validated by a pydantic model."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(form=_blank(), saved=None, page_title="Sign-up form")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "validate":
            socket.assign(form=to_form(params, as_="sign_up", schema=SignUp))
        elif event == "save":
            form = to_form(params, as_="sign_up", schema=SignUp)
            if form.valid:
                socket.assign(form=_blank(), saved=form.model)
                socket.put_flash("info", "Signed up!")
            else:
                socket.assign(form=form)
        elif event == "move":
            form = socket.assigns.form
            index = params.get("index")
            if not isinstance(index, str) or not index.isdigit():
                return
            index = int(index)
            moved = move_row(form.params, "addresses", index, index - 1)
            socket.assign(form=to_form(moved, as_="sign_up", schema=SignUp))

    def render(self, assigns: Assigns) -> Element:
        form: Form = assigns.form
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Sign-up form"],
            form_(form_attrs(form, phx_change="validate", phx_submit="save", novalidate=True))[
                form_errors(form),
                input_field(form["name"], label="Name", autocomplete="name"),
                input_field(form["email"], type="email", label="Email", phx_debounce="300"),
                input_field(form["age"], type="number", label="Age"),
                input_field(
                    form["plan"],
                    type="select",
                    label="Plan",
                    options=[("Free", "free"), ("Pro", "pro"), ("Team", "team")],
                ),
                input_field(
                    form["contact"],
                    type="radio",
                    label="Contact me by",
                    options=[("Email", "email"), ("Phone", "phone")],
                ),
                input_field(
                    form["interests"],
                    type="select",
                    label="Interests",
                    options=INTERESTS,
                    multiple=True,
                ),
                input_field(form["birthday"], type="date", label="Birthday (optional)"),
                input_field(form["bio"], type="textarea", label="About you (optional)"),
                _addresses(form),
                input_field(form["terms"], type="checkbox", label="I accept the terms"),
                submit_button("Sign up", disable_with="Signing up…", id="sign-up"),
            ],
            _saved(assigns.saved),
        ]


def _addresses(form: Form) -> Element:
    rows = inputs_for(form, "addresses")
    return fieldset("#addresses")[
        legend["Addresses"],
        [
            div(".address-row", id=f"address-{row.index}")[
                row_index_input(row),
                h2[f"Address {(row.index or 0) + 1}"],
                input_field(row["street"], label="Street", autocomplete="street-address"),
                input_field(row["city"], label="City"),
                input_field(row["postcode"], label="Postcode", inputmode="numeric"),
                div(".row-buttons")[
                    button(
                        type="button",
                        phx_click="move",
                        phx_value_index=str(row.index),
                        aria_label=f"Move up address {(row.index or 0) + 1}",
                        disabled=row.index == 0,
                    )["Move up"],
                    drop_row_button(
                        row, "Remove", aria_label=f"Remove address {(row.index or 0) + 1}"
                    ),
                ],
            ]
            for row in rows
        ],
        field_errors(form["addresses"]),
        add_row_button(form, "addresses", "Add an address", id="add-address"),
    ]


def _saved(saved: SignUp | None) -> Element | None:
    if saved is None:
        return None
    return section("#saved", aria_live="polite")[
        h2["Welcome, ", saved.name],
        p["We will write to ", saved.email, "."],
        ul[(li[a.street, ", ", a.postcode, " ", a.city] for a in saved.addresses)],
    ]
