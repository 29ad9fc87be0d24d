"""``pylive.ui``'s form inputs and file dropzone: their markup (labels, ``aria-describedby``
for help and errors, errors only for used fields), their declared attributes, and the
gallery's pages driven over the socket as the official client would (``pylive.testing``:
``_unused_`` markers, uploads in chunks). The browser side is in ``tests/e2e/test_ui_forms.py``.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest
from markup import attrs, one, parse
from pydantic import BaseModel, Field

from gallery.app import create_app
from pylive.forms import to_form
from pylive.testing import UploadFile, live
from pylive.ui import (
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
from pylive.uploads import UploadConfig

pytestmark = pytest.mark.anyio


class Signup(BaseModel):
    name: str = Field(min_length=2)
    bio: str = Field("", max_length=5)
    role: Literal["dev", "ops"]
    tags: list[str] = []
    plan: Literal["free", "pro"]
    terms: bool = False
    alerts: bool = True


FRESH = to_form(Signup)
"""Nothing sent yet: no field used."""
TYPED = to_form(
    {"name": "J", "bio": "far too long", "_unused_bio": "", "role": "", "plan": ""},
    as_="signup",
    schema=Signup,
)
"""A change event: the user typed in the name, not in the bio (``_unused_bio``)."""


def test_text_field_label_help_and_errors_only_once_used() -> None:
    fresh = parse(text_field(FRESH["name"], label="Name", help="As on your card"))
    assert attrs(fresh, "label") == {"class": "ui-label", "for": "signup_name"}
    control = attrs(fresh, "input")
    assert control["id"] == "signup_name" and control["name"] == "signup[name]"
    assert control["type"] == "text" and control["value"] == ""
    assert control["aria-describedby"] == "signup_name-help" and "aria-invalid" not in control
    assert one(fresh, "#signup_name-help").text() == "As on your card"
    assert fresh.css(".ui-field-errors") == []

    typed = parse(
        text_field(TYPED["name"], label="Name", help="As on your card", placeholder="Ada")
    )
    control = attrs(typed, "input")
    assert control["aria-describedby"] == "signup_name-help signup_name-error"
    assert control["aria-invalid"] == "true" and control["value"] == "J"
    assert control["placeholder"] == "Ada"  # undeclared attributes go on the control
    assert "ui-field-invalid" in (attrs(typed, ".ui-field")["class"] or "")
    assert one(typed, "#signup_name-error").text() == "String should have at least 2 characters"


def test_an_unused_field_keeps_its_errors_hidden_until_submit() -> None:
    assert TYPED["bio"].errors  # it has errors...
    bio = parse(textarea_field(TYPED["bio"], label="Bio", rows=4))
    assert bio.css(".ui-field-errors") == []  # ...not shown: the user has not used it
    assert attrs(bio, "textarea")["rows"] == "4"
    assert "aria-describedby" not in attrs(bio, "textarea")
    assert one(bio, "textarea").text() == "far too long"
    submitted = to_form({"name": "J", "bio": "far too long"}, as_="signup", schema=Signup)
    shown = parse(textarea_field(submitted["bio"], label="Bio"))
    assert attrs(shown, "textarea")["aria-describedby"] == "signup_bio-error"
    assert one(shown, "#signup_bio-error p").text().startswith("String should have at most 5")


def test_select_field_options_prompt_and_multiple() -> None:
    form = to_form({"role": "ops", "tags": ["b", "c"]}, as_="signup", schema=Signup)
    tree = parse(
        select_field(
            form["role"], label="Role", options=[("Dev", "dev"), ("Ops", "ops")], prompt="Choose…"
        )
    )
    assert attrs(tree, "select")["name"] == "signup[role]"
    options = [
        (o.attributes["value"], o.text(), "selected" in o.attributes) for o in tree.css("option")
    ]
    assert options == [("", "Choose…", False), ("dev", "Dev", False), ("ops", "Ops", True)]
    many = parse(select_field(form["tags"], label="Tags", options=["a", "b", "c"], multiple=True))
    assert attrs(many, "select")["name"] == "signup[tags][]"
    assert "multiple" in attrs(many, "select")
    assert [o.text() for o in many.css("option[selected]")] == ["b", "c"]


@pytest.mark.parametrize(("component", "role"), [(checkbox_field, None), (switch_field, "switch")])
def test_checkbox_and_switch_send_false_when_unchecked(component: Any, role: str | None) -> None:
    form = to_form({"terms": "true"}, as_="signup", schema=Signup)
    tree = parse(component(form["terms"], label="I agree", help="Read them first"))
    hidden, box = tree.css("input")
    assert hidden.attributes == {"type": "hidden", "name": "signup[terms]", "value": "false"}
    assert box.attributes["type"] == "checkbox" and box.attributes["value"] == "true"
    assert "checked" in box.attributes and box.attributes.get("role") == role
    assert box.attributes["aria-describedby"] == "signup_terms-help"
    assert attrs(tree, "label")["for"] == "signup_terms"
    off = parse(component(FRESH["terms"], label="I agree"))
    assert "checked" not in off.css("input")[1].attributes
    assert "checked" in parse(component(FRESH["alerts"], label="Alerts")).css("input")[1].attributes


def test_radio_group_is_a_named_radiogroup_of_native_radios() -> None:
    form = to_form({"plan": "pro"}, as_="signup", schema=Signup)
    tree = parse(
        radio_group(
            form["plan"], label="Plan", options=[("Free", "free"), "pro"], help="Change it any time"
        )
    )
    group = attrs(tree, "fieldset")
    assert group["role"] == "radiogroup" and group["id"] == "signup_plan"
    assert group["aria-describedby"] == "signup_plan-help"
    assert one(tree, "legend").text() == "Plan"
    hidden, *radios = tree.css("input")
    assert hidden.attributes == {"type": "hidden", "name": "signup[plan]", "value": ""}
    assert [
        (r.attributes["id"], r.attributes["value"], "checked" in r.attributes) for r in radios
    ] == [
        ("signup_plan_0", "free", False),
        ("signup_plan_1", "pro", True),
    ]
    assert {r.attributes["name"] for r in radios} == {"signup[plan]"}
    assert [attrs(tree, f"label[for=signup_plan_{i}]") for i in (0, 1)]
    submitted = to_form({"plan": ""}, as_="signup", schema=Signup)  # no radio checked
    shown = parse(radio_group(submitted["plan"], label="Plan", options=["free", "pro"]))
    assert attrs(shown, "fieldset")["aria-invalid"] == "true"
    assert attrs(shown, "fieldset")["aria-describedby"] == "signup_plan-error"
    assert one(shown, "#signup_plan-error").text()


def test_field_group_legend_help_and_errors() -> None:
    tree = parse(
        field_group(legend="Alerts", id="alerts", help="How we tell you", inline=True)[
            switch_field(FRESH["alerts"], label="Email")
        ]
    )
    group = attrs(tree, "fieldset")
    assert group["id"] == "alerts" and group["aria-describedby"] == "alerts-help"
    assert "ui-fieldset-inline" in (group["class"] or "")
    assert one(tree, "legend").text() == "Alerts"
    assert one(tree, ".ui-fieldset-body [role=switch]").attributes["id"] == "signup_alerts"
    with pytest.raises(TypeError, match=r"field_group\(\): a help text needs an id"):
        str(field_group(legend="Alerts", help="How we tell you")["x"])
    assert "aria-describedby" not in attrs(parse(field_group(legend="Plain")["x"]), "fieldset")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: text_field(FRESH["name"]), r"text_field\(\): missing required attribute 'label'"),
        (lambda: text_field(FRESH["name"], label="x", type="checkbox"), r"'type' must be one of"),
        (lambda: select_field(FRESH["role"], label="x"), r"missing required attribute 'options'"),
        (lambda: radio_group(FRESH["plan"], label="x"), r"missing required attribute 'options'"),
        (lambda: field_group(), r"field_group\(\): missing required attribute 'legend'"),
        (lambda: file_dropzone(label="x"), r"file_dropzone\(\): missing required attribute"),
    ],
)
def test_declared_attributes_are_checked(call: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()


# --------------------------------------------------------------------------- the dropzone


def photos() -> UploadConfig:
    upload = UploadConfig(
        "photos", accept=["image/*", ".pdf"], max_entries=2, max_file_size=2_000_000
    )
    upload.put_entries(
        [
            {"ref": "0", "name": "cat.png", "size": 1500, "type": "image/png"},
            {"ref": "1", "name": "notes.txt", "size": 3_000_000, "type": "text/plain"},
        ]
    )
    return upload


def test_dropzone_input_is_labelled_and_described() -> None:
    upload = UploadConfig("photos", accept=None, max_entries=1, max_file_size=8_000_000)
    tree = parse(file_dropzone(upload, label="Choose a photo", id="avatar"))
    assert attrs(tree, ".ui-dropzone")["id"] == "avatar"  # other attributes: on the root
    target = attrs(tree, ".ui-dropzone-target")
    assert target["phx-drop-target"] == upload.ref
    label = one(tree, "label")
    assert label.attributes["for"] == upload.ref and label.text() == "Choose a photo"
    file_input = attrs(tree, "input[type=file]")
    assert file_input["id"] == upload.ref and file_input["name"] == "photos"
    assert file_input["data-phx-hook"] == "Phoenix.LiveFileUpload"
    assert file_input["aria-describedby"] == f"{upload.ref}-help"
    assert "ui-visually-hidden" in (file_input["class"] or "")  # hidden, still focusable
    assert "tabindex" not in file_input and "hidden" not in file_input
    assert one(tree, f"#{upload.ref}-help").text() == (
        "Or drop them here: one file of 8 MB at most."
    )
    assert tree.css(".ui-dropzone-entries") == []
    assert tree.css(".ui-field-help") != []
    assert parse(file_dropzone(upload, label="x", help="")).css(".ui-field-help") == []


def test_dropzone_entries_preview_progress_errors_and_cancel() -> None:
    upload = photos()
    upload.entries[0].progress = 40
    tree = parse(
        file_dropzone(
            upload,
            label="Choose photos",
            on_cancel="drop",
            messages={"not_accepted": "Images only"},
        )
    )
    cat, notes = tree.css(".ui-dropzone-entry")
    preview = attrs(cat, "img")
    assert preview["data-phx-hook"] == "Phoenix.LiveImgPreview" and preview["alt"] == ""
    bar = attrs(cat, "[role=progressbar]")
    assert bar["aria-label"] == "cat.png" and bar["aria-valuenow"] == "40"
    assert one(cat, ".ui-dropzone-size").text() == "1.5 kB"
    cancel = attrs(cat, "button")
    assert cancel["phx-click"] == "drop" and cancel["phx-value-ref"] == "0"
    assert cancel["phx-value-upload"] == "photos" and cancel["aria-label"] == "Cancel cat.png"
    assert cat.css(".ui-field-errors") == []
    assert notes.css("img") == [] and one(notes, ".ui-dropzone-file").text() == "TXT"
    assert [p.text() for p in notes.css(".ui-field-errors p")] == [
        "Larger than 2 MB",
        "Images only",
    ]
    assert "ui-progress-danger" in (attrs(notes, ".ui-progress")["class"] or "")
    assert "ui-dropzone-entry-invalid" in (notes.attributes["class"] or "")
    assert tree.css(f"#{upload.ref}-error") == []  # two entries: within the limit
    upload.put_entries([{"ref": "2", "name": "c.pdf", "size": 3, "type": "application/pdf"}])
    over = parse(file_dropzone(upload, label="Choose photos"))
    assert one(over, f"#{upload.ref}-error").text() == "Too many files (2 at most)"
    file_input = attrs(over, "input[type=file]")
    assert file_input["aria-describedby"] == f"{upload.ref}-help {upload.ref}-error"
    assert file_input["aria-invalid"] == "true"


def test_file_size() -> None:
    sizes = [0, 999, 1000, 1500, 999_999, 20_000_000, 3_200_000_000, 10**16]
    assert [file_size(n) for n in sizes] == [
        "0 bytes",
        "999 bytes",
        "1 kB",
        "1.5 kB",
        "1 MB",
        "20 MB",
        "3.2 GB",
        "10000 TB",
    ]


# --------------------------------------------------------------------------- the gallery

GALLERY = create_app()


async def test_inputs_page_shows_errors_of_used_fields_then_all_on_submit() -> None:
    async with live(GALLERY, "/components/inputs") as view:
        assert view.elements(".ui-field-errors") == []
        await view.change("#profile_name", {"profile": {"name": "J"}})
        assert [e.attr("id") for e in view.elements(".ui-field-errors")] == ["profile_name-error"]
        assert view.element("#profile_name").attr("aria-invalid") == "true"
        assert view.element("#profile_email").attr("aria-invalid") is None
        await view.submit("#profile-save")
        shown = {e.attr("id") for e in view.elements(".ui-field-errors")}
        assert shown == {
            "profile_name-error",
            "profile_email-error",
            "profile_role-error",
            "profile_plan-error",
            "profile_terms-error",
        }
        assert view.element("#profile_plan").attr("aria-invalid") == "true"
        await view.submit(
            "#profile-save",
            {
                "profile": {
                    "name": "Jo",
                    "email": "jo@example.com",
                    "role": "designer",
                    "plan": "pro",
                    "terms": "true",
                }
            },
        )
        assert view.element("#profile-saved").text == "Saved Jo (pro)"
        assert view.elements(".ui-field-errors") == []


async def test_inputs_page_saves_settings_on_change() -> None:
    async with live(GALLERY, "/components/inputs") as view:
        assert view.element("#settings-summary").text == "Email on, push off, digest off"
        await view.change("#settings_push_alerts", {"settings": {"push_alerts": "true"}})
        assert view.element("#settings-summary").text == "Email on, push on, digest off"
        assert view.element("#settings_push_alerts").attr("checked") is not None


async def test_dropzone_page_uploads_cancels_and_saves() -> None:
    png = UploadFile("dot.png", b"\x89PNG" + bytes(255_996))  # four chunks of 64 kB
    async with live(GALLERY, "/components/dropzone") as view:
        await view.upload(".ui-dropzone-input", [png], percent=50)
        bar = view.element(".ui-dropzone-entry [role=progressbar]")
        assert bar.attr("aria-valuenow") == "50" and bar.attr("aria-label") == "dot.png"
        preview = view.element(".ui-dropzone-entry img")
        assert preview.attr("data-phx-hook") == "Phoenix.LiveImgPreview"
        await view.click(".ui-dropzone-cancel")
        assert view.elements(".ui-dropzone-entry") == []
        await view.upload(".ui-dropzone-input", [png])
        bar = view.element(".ui-dropzone-entry [role=progressbar]")
        assert bar.attr("aria-valuenow") == "100"
        await view.submit("#photos-save")
        assert [li.text for li in view.elements("#photos-saved li")] == ["dot.png (256 kB)"]
        assert view.elements(".ui-dropzone-entry") == []
        refused = await view.upload(".ui-dropzone-input", [UploadFile("a.txt", b"text")])
        assert refused.get("error")
        assert view.element(".ui-dropzone-entry .ui-field-errors").text == (
            "This type of file is not accepted"
        )
