"""Gallery pages of the form inputs and the file dropzone."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from htpy import Node, div, form, li, p, ul
from pydantic import BaseModel, Field

from gallery.components.page import ComponentPage
from gallery.form import Email, Terms
from pylive import Assigns, Socket, UploadEntry
from pylive.forms import to_form
from pylive.html.form_fields import form_attrs
from pylive.ui import (
    button,
    checkbox_field,
    field_group,
    file_dropzone,
    radio_group,
    select_field,
    switch_field,
    text_field,
    textarea_field,
)
from pylive.ui.dropzone import file_size


class Profile(BaseModel):
    """What the profile form asks for."""

    name: str = Field(min_length=2, max_length=40)
    email: Email
    bio: str = Field("", max_length=160)
    role: Literal["developer", "designer", "manager"]
    plan: Literal["free", "pro", "team"]
    terms: Terms = False


class Settings(BaseModel):
    """Notification settings, saved on every change."""

    email_alerts: bool = True
    push_alerts: bool = False
    digest: bool = False


ROLES = [("Developer", "developer"), ("Designer", "designer"), ("Manager", "manager")]
PLANS = [("Free", "free"), ("Pro", "pro"), ("Team", "team")]


def example_profile(assigns: Assigns) -> Node:
    """A form validated as you type

    Each field shows its errors once you have used it, not before; "Save" shows them all.
    The radios are one Tab stop: the arrow keys choose."""
    profile = assigns.profile
    return div(".stack")[
        form(form_attrs(profile, phx_change="validate", phx_submit="save", novalidate=True))[
            text_field(profile["name"], label="Name", autocomplete="name"),
            text_field(
                profile["email"],
                type="email",
                label="Email",
                help="We never share it.",
                phx_debounce="300",
            ),
            textarea_field(profile["bio"], label="Bio", help="160 characters at most."),
            select_field(profile["role"], label="Role", options=ROLES, prompt="Choose a role…"),
            radio_group(profile["plan"], label="Plan", options=PLANS, inline=True),
            checkbox_field(profile["terms"], label="I accept the terms"),
            button(id="profile-save", type="submit", variant="primary")["Save"],
        ],
        p("#profile-saved", role="status")[
            f"Saved {assigns.saved.name} ({assigns.saved.plan})" if assigns.saved else None
        ],
    ]


def example_settings(assigns: Assigns) -> Node:
    """Switches and a checkbox in a field group

    Every change is saved at once (``phx-change``); Space toggles the focused switch."""
    settings = assigns.settings
    values = settings.model
    return div(".stack")[
        form(form_attrs(settings, phx_change="settings"))[
            field_group(
                legend="Notifications",
                id="notifications",
                help="How we tell you about new comments.",
            )[
                switch_field(settings["email_alerts"], label="By email"),
                switch_field(settings["push_alerts"], label="Push notifications"),
                checkbox_field(
                    settings["digest"], label="Weekly digest", help="A summary every Monday."
                ),
            ],
        ],
        p("#settings-summary", role="status")[
            f"Email {'on' if values.email_alerts else 'off'}, "
            f"push {'on' if values.push_alerts else 'off'}, "
            f"digest {'on' if values.digest else 'off'}"
        ],
    ]


class InputsPage(ComponentPage):
    name = "inputs"
    title = "Form inputs"
    summary = (
        "Text, textarea, select, checkbox, switch and radio group for pylive.forms fields, "
        "with labels, help and errors, and field groups."
    )
    examples = (example_profile, example_settings)
    components = (
        text_field,
        textarea_field,
        select_field,
        checkbox_field,
        switch_field,
        radio_group,
        field_group,
    )

    async def setup(self, socket: Socket) -> None:
        socket.assign(
            profile=to_form(Profile),
            saved=None,
            settings=to_form({}, schema=Settings, as_="settings"),
        )

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "validate":
            socket.assign(profile=to_form(params, as_="profile", schema=Profile))
        elif event == "save":
            profile = to_form(params, as_="profile", schema=Profile)
            if profile.valid:
                socket.assign(profile=to_form(Profile), saved=profile.model)
                socket.put_flash("info", "Profile saved.")
            else:
                socket.assign(profile=profile)
        elif event == "settings":
            settings = to_form(params, as_="settings", schema=Settings)
            if settings.valid:
                socket.assign(settings=settings)


def example_dropzone(assigns: Assigns) -> Node:
    """Photos, uploaded as soon as they are chosen

    Choose files (Tab to "Choose photos", then Enter) or drop them on the box: each gets a
    preview, a progress bar and a cancel button. Images and PDFs, 2 MB at most."""
    return div(".stack")[
        form("#photos-form", phx_change="validate", phx_submit="save")[
            file_dropzone(assigns.uploads.photos, label="Choose photos"),
            button(id="photos-save", type="submit", variant="primary")["Save"],
        ],
        ul("#photos-saved")[
            (li[f"{saved['name']} ({file_size(saved['size'])})"] for saved in assigns.saved)
        ],
    ]


class DropzonePage(ComponentPage):
    name = "dropzone"
    title = "File dropzone"
    summary = "An upload's drop target and file input, with previews, progress and cancel."
    examples = (example_dropzone,)
    components = (file_dropzone,)

    async def setup(self, socket: Socket) -> None:
        socket.assign(saved=[])
        socket.allow_upload(
            "photos",
            accept=["image/*", ".pdf"],
            max_entries=3,
            max_file_size=2_000_000,
            auto_upload=True,
        )

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "cancel-upload":
            socket.cancel_upload(str(params.get("upload")), str(params.get("ref")))
        elif event == "save":

            def record(path: Path, entry: UploadEntry) -> dict[str, Any]:
                return {"name": entry.client_name, "size": entry.client_size}

            saved = await socket.consume_uploaded_entries("photos", record)
            socket.assign(saved=[*socket.assigns.saved, *saved])
