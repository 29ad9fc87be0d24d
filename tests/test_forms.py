"""Forms: ``to_form`` over pydantic models, used inputs, rows, the htpy helpers, and forms
driven through ``pylive.testing`` as the official client sends them (change, submit, recovery
after a rejoin, LiveComponents, bad input)."""

from __future__ import annotations

import datetime
import logging
from typing import Any, ClassVar

import htpy as h
import pytest
from form_apps import EVENTS, create_app
from pydantic import BaseModel, Field

from gallery.app import create_app as gallery_app
from pylive import LiveApp, LiveComponent, LiveRoute, LiveView, Socket, live_component
from pylive.forms import add_row, drop_row, inputs_for, move_row, to_form, used_input
from pylive.html.form_fields import form_attrs, input_field
from pylive.params import decode_query
from pylive.testing import LiveClient, live

pytestmark = pytest.mark.anyio


class Address(BaseModel):
    city: str
    zip: str = Field(min_length=5)


class SignUp(BaseModel):
    email: str = Field(min_length=3)
    age: int | None = None
    agree: bool = False
    born: datetime.date | None = None
    tags: list[str] = []
    home: Address | None = None
    addresses: list[Address] = []


class Recorder(LiveView):
    """Records the params of every event."""

    seen: ClassVar[list[dict[str, Any]]] = []

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        type(self).seen.append(params)


def _app(view: type[Recorder]) -> LiveApp:
    view.seen = []
    return LiveApp([LiveRoute("/", view)], secret_key="t" * 32, compress=False)


def _params(query: str) -> dict[str, Any]:
    return decode_query(query)


# --------------------------------------------------------------------------- to_form


def test_a_model_class_gives_an_empty_form_without_errors() -> None:
    form = to_form(SignUp)
    assert (form.name, form.id, form.errors, form.validated) == ("sign_up", "sign_up", {}, False)
    email = form["email"]
    assert (email.id, email.name, email.value, email.errors) == (
        "sign_up_email",
        "sign_up[email]",
        None,
        (),
    )
    assert form["agree"].value is False and not used_input(email)


def test_a_model_instance_and_a_dict_fill_the_values() -> None:
    form = to_form(SignUp(email="a@b.c", age=3, addresses=[Address(city="X", zip="12345")]))
    assert form["age"].value == 3
    [row] = inputs_for(form, "addresses")
    assert (row.name, row.id, row["city"].value) == (
        "sign_up[addresses][0]",
        "sign_up_addresses_0",
        "X",
    )
    plain = to_form({"q": "hi"})
    assert (plain["q"].name, plain["q"].id, plain["q"].value) == ("q", "q", "hi")
    named = to_form({"q": "hi"}, as_="search", id="search-form")
    assert (named["q"].name, named["q"].id) == ("search[q]", "search-form_q")


def test_event_params_are_validated_and_strings_coerced() -> None:
    params = _params(
        "sign_up[email]=me@x.io&sign_up[age]=42&sign_up[agree]=false&sign_up[agree]=true"
        "&sign_up[born]=2000-02-29&sign_up[tags][]=a&sign_up[tags][]=b&_target=sign_up[age]"
    )
    form = to_form(params, as_="sign_up", schema=SignUp)
    assert form.valid and form.errors == {}
    assert form.model == SignUp(
        email="me@x.io", age=42, agree=True, born=datetime.date(2000, 2, 29), tags=["a", "b"]
    )


def test_errors_are_per_field_and_blank_means_missing() -> None:
    form = to_form(
        _params("sign_up[email]=&sign_up[age]=old&sign_up[born]=yesterday"),
        as_="sign_up",
        schema=SignUp,
    )
    assert not form.valid
    assert form["email"].errors == ("This field is required",)
    assert form["age"].errors == (
        "Input should be a valid integer, unable to parse string as an integer",
    )
    assert form["born"].errors and form["agree"].errors == ()


def test_errors_are_shown_only_for_used_fields() -> None:
    # the client marks fields the user has not touched with _unused_
    params = _params("sign_up[email]=x&sign_up[_unused_age]=&sign_up[age]=old")
    form = to_form(params, as_="sign_up", schema=SignUp)
    assert form["email"].errors and used_input(form["email"])
    assert form["age"].errors and not used_input(form["age"]) and not form["age"].used
    html = str(
        h.form(form_attrs(form, phx_change="v"))[
            input_field(form["email"]), input_field(form["age"])
        ]
    )
    assert 'aria-invalid="true"' in html and 'aria-describedby="sign_up_email-error"' in html
    assert '<div id="sign_up_email-error" class="field-error">' in html
    assert "sign_up_age-error" not in html  # not used: no message, no aria


def test_a_model_validator_error_is_a_form_error() -> None:
    class Pair(BaseModel):
        a: str
        b: str

        def model_post_init(self, context: Any) -> None:
            if self.a != self.b:
                raise ValueError("a and b differ")

    form = to_form({"pair": {"a": "1", "b": "2"}}, as_="pair", schema=Pair)
    assert form.base_errors and "a and b differ" in form.base_errors[0]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"todo": ["a", "b"]}, "expected the fields of form 'todo', got a list"),
        ({"todo": "x"}, "expected the fields of form 'todo', got a str"),
    ],
)
def test_params_of_the_wrong_shape_are_a_form_error(params: Any, message: str) -> None:
    class Todo(BaseModel):
        title: str

    form = to_form(params, as_="todo", schema=Todo)
    assert form.base_errors == [message] and not form.valid
    assert form["title"].value is None


@pytest.mark.parametrize(
    "query",
    [
        "sign_up[email][]=a&sign_up[email][]=b",
        "sign_up[email][x]=1",
        "sign_up[addresses]=flat",
        "sign_up[addresses][0]=flat",
        "sign_up[home][]=1",
        "sign_up[addresses][a][b][c]=1&sign_up[addresses_sort]=zz&sign_up[addresses_drop][x]=1",
        "sign_up[tags][k]=v",
        "sign_up=1&sign_up[email]=x",
    ],
)
def test_crafted_params_never_crash_the_form_layer(query: str) -> None:
    form = to_form(_params(query), as_="sign_up", schema=SignUp)
    assert not form.valid
    for key in SignUp.model_fields:
        form[key]
    for key in ("home", "addresses"):
        for sub in inputs_for(form, key):
            sub["city"]
    str(input_field(form["email"]))


def test_a_list_where_a_mapping_is_expected_is_a_field_error() -> None:
    form = to_form(_params("sign_up[email]=abc&sign_up[home][]=1"), as_="sign_up", schema=SignUp)
    assert form["home"].errors == ("Input should be a valid dictionary or instance of Address",)


def test_nested_model_and_rows_carry_their_own_errors() -> None:
    params = _params(
        "sign_up[email]=abc&sign_up[home][city]=Oslo&sign_up[home][zip]=1"
        "&sign_up[addresses][0][city]=A&sign_up[addresses][0][zip]=11111"
        "&sign_up[addresses][1][city]=&sign_up[addresses][1][zip]=2"
    )
    form = to_form(params, as_="sign_up", schema=SignUp)
    [home] = inputs_for(form, "home")
    assert home.name == "sign_up[home]" and home["zip"].name == "sign_up[home][zip]"
    assert home["zip"].errors == ("String should have at least 5 characters",)
    first, second = inputs_for(form, "addresses")
    assert first.errors == {} and first["city"].value == "A"
    assert second["city"].errors == ("This field is required",)
    assert second["zip"].id == "sign_up_addresses_1_zip"


def test_sort_and_drop_params_add_remove_and_reorder_rows() -> None:
    base = (
        "sign_up[addresses][0][city]=A&sign_up[addresses][1][city]=B&sign_up[addresses][2][city]=C"
    )
    reorder = (
        base
        + "&sign_up[addresses_sort][]=2&sign_up[addresses_sort][]=0&sign_up[addresses_sort][]=1"
    )
    form = to_form(_params(reorder), as_="sign_up", schema=SignUp)
    assert [r["city"].value for r in inputs_for(form, "addresses")] == ["C", "A", "B"]
    assert inputs_for(form, "addresses")[0].name == "sign_up[addresses][0]"

    dropped = base + "&sign_up[addresses_drop][]=1&sign_up[addresses_drop][]="
    form = to_form(_params(dropped), as_="sign_up", schema=SignUp)
    assert [r["city"].value for r in inputs_for(form, "addresses")] == ["A", "C"]

    added = base + "".join(f"&sign_up[addresses_sort][]={k}" for k in ("0", "1", "2", "new"))
    form = to_form(_params(added), as_="sign_up", schema=SignUp)
    rows = inputs_for(form, "addresses")
    assert [r["city"].value for r in rows] == ["A", "B", "C", None]
    assert not used_input(rows[3]["city"])  # a new row shows no errors yet


def test_row_helpers_keep_unused_markers_with_their_rows() -> None:
    params = _params(
        "f[addresses][0][city]=A&f[addresses][0][_unused_zip]=&f[addresses][0][zip]="
        "&f[addresses][1][city]=B&f[addresses][1][zip]=1"
    )
    form = to_form(params, as_="f", schema=SignUp)
    moved = to_form(move_row(form.params, "addresses", 1, 0), as_="f", schema=SignUp)
    first, second = inputs_for(moved, "addresses")
    assert (first["city"].value, second["city"].value) == ("B", "A")
    assert used_input(first["zip"]) and not used_input(second["zip"])
    assert (
        len(
            inputs_for(
                to_form(add_row(form.params, "addresses"), as_="f", schema=SignUp), "addresses"
            )
        )
        == 3
    )
    assert [
        r["city"].value
        for r in inputs_for(
            to_form(drop_row(form.params, "addresses", 0), as_="f", schema=SignUp), "addresses"
        )
    ] == ["B"]
    assert drop_row(form.params, "addresses", 9)["addresses"] == form.params["addresses"]
    assert move_row({"x": "y"}, "addresses", 0, 1) == {"x": "y", "addresses": []}


def test_input_helpers_render_every_kind() -> None:
    form = to_form(
        {"s": {"agree": "true", "tags": ["b"], "kind": "y", "born": "2020-01-02", "bio": "<hi>"}},
        as_="s",
    )
    html = "".join(
        str(x)
        for x in (
            input_field(form["agree"], type="checkbox"),
            input_field(form["tags"], type="select", options=["a", ("B", "b")], multiple=True),
            input_field(form["kind"], type="radio", options=[("X", "x"), ("Y", "y")]),
            input_field(form["kind"], type="select", options=["x", "y"], prompt="Pick"),
            input_field(form["born"], type="date"),
            input_field(form["bio"], type="textarea"),
            input_field(form["bio"], type="hidden"),
            input_field(form["bio"], type="email", label="Mail", phx_debounce="blur"),
        )
    )
    assert '<input type="hidden" name="s[agree]" value="false">' in html
    assert 'type="checkbox" id="s_agree" name="s[agree]" value="true" checked' in html
    assert '<select id="s_tags" name="s[tags][]" multiple>' in html
    assert '<option value="b" selected>B</option>' in html
    assert 'id="s_kind_1" name="s[kind]" value="y" checked' in html
    assert "<legend>Kind</legend>" in html and '<option value="">Pick</option>' in html
    assert 'type="date" id="s_born" name="s[born]" value="2020-01-02"' in html
    assert "&lt;hi&gt;</textarea>" in html and 'phx-debounce="blur"' in html
    assert '<label for="s_bio">Mail</label>' in html


# --------------------------------------------------------------------------- in-process


async def test_gallery_form_validates_only_used_fields_as_the_user_types() -> None:
    async with live(gallery_app(), "/demos/form") as view:
        assert not view.has_element("[aria-invalid]")
        await view.change("#sign_up_name", {"sign_up": {"name": "J"}})
        assert (
            view.element("#sign_up_name-error").text == "String should have at least 2 characters"
        )
        assert view.element("#sign_up_name").attr("aria-describedby") == "sign_up_name-error"
        # email is required and blank, but the user has not used it: no message
        assert not view.has_element("#sign_up_email-error")
        await view.change("#sign_up_email", {"sign_up": {"name": "Jo", "email": "nope"}})
        assert not view.has_element("#sign_up_name-error")
        assert "name@example.com" in view.element("#sign_up_email-error").text


async def test_gallery_form_rows_are_added_removed_and_moved() -> None:
    async with live(gallery_app(), "/demos/form") as view:
        await view.change(
            "#sign_up_addresses_0_city", {"sign_up": {"addresses": {"0": {"city": "Oslo"}}}}
        )
        await view.click("#add-address")  # JS.dispatch("change") from a button: its name/value
        assert len(view.elements(".address-row")) == 2
        assert not view.has_element("#sign_up_addresses_1_city-error")  # new row: unused
        await view.change(
            "#sign_up_addresses_1_city", {"sign_up": {"addresses": {"1": {"city": "Rome"}}}}
        )
        await view.click("#address-1 button", text="Move up")
        cities = [e.attr("value") for e in view.elements("[id$=_city]")]
        assert cities == ["Rome", "Oslo"]
        await view.click("#address-0 button", text="Remove")
        assert [e.attr("value") for e in view.elements("[id$=_city]")] == ["Oslo"]


async def test_gallery_form_submit_shows_every_error_then_saves() -> None:
    async with live(gallery_app(), "/demos/form") as view:
        await view.submit("form")
        assert view.element("#sign_up_email-error") and view.element("#sign_up_terms-error")
        assert view.element("#sign_up_addresses_0_postcode-error")
        await view.submit(
            "form",
            {
                "sign_up": {
                    "name": "Jo",
                    "email": "jo@example.com",
                    "age": "30",
                    "interests": ["python", "web"],
                    "terms": "true",
                    "addresses": {
                        "0": {"street": "1 Main St", "city": "Oslo", "postcode": "12345"}
                    },
                }
            },
        )
        assert view.element("#saved h2").text == "Welcome, Jo"
        assert not view.has_element("[aria-invalid]")


async def test_rejoin_recovers_forms_with_their_change_or_auto_recover_event() -> None:
    EVENTS.clear()
    async with live(create_app(), "/") as view:
        await view.change("#a_name", {"a": {"name": "x"}})
        await view.change("#b_name", {"b": {"name": "yy"}})
        await view.change("#c input", {"c": "typed"})
        assert view.has_element("#a_name-error")
        with pytest.raises(AssertionError, match="form view exploded"):
            await view.click("#crash")
        EVENTS.clear()
        await view.rejoin()
        names = [e for e, _ in EVENTS]
        assert names == ["validate", "restore"]  # form c is phx-auto-recover="ignore"
        validate, restore = (p for _, p in EVENTS)
        assert validate["a"]["name"] == "x" and "_unused_password" in validate["a"]
        assert validate["_target"] == ["a", "name"]  # the first input that is not hidden
        assert restore["b"]["name"] == "yy"
        # the recovered form shows what the user had typed, with its error, on a fresh mount
        assert view.element("#a_name").attr("value") == "x"
        assert view.has_element("#a_name-error") and not view.has_element("#a_password-error")
        assert view.element("#b_name").attr("value") == "yy"


async def test_forms_in_live_components_are_recovered_to_their_component() -> None:
    EVENTS.clear()
    async with live(create_app(), "/boxes") as view:
        await view.change("#login-two_name", {"login": {"name": "ann"}})
        await view.submit("#login-one", {"login": {"name": "bob", "password": "secret-pw"}})
        assert view.element("#box-one .status").text == "valid"
        EVENTS.clear()
        with pytest.raises(AssertionError):
            await view.click("#crash")
        await view.rejoin()
        assert sorted(e for e, _ in EVENTS) == ["one:validate", "two:validate"]
        assert view.element("#login-two_name").attr("value") == "ann"
        assert view.element("#box-one .status").text == "valid"  # submitted values came back


async def test_a_submit_sends_the_submitter_and_no_unused_markers() -> None:
    EVENTS.clear()
    async with live(create_app(), "/boxes") as view:
        await view.submit("#login-one button")
        [(event, params)] = EVENTS
        assert event == "one:save" and not any(k.startswith("_unused_") for k in params["login"])
        assert view.has_element("#login-one_name-error")


async def test_a_disabled_fieldset_and_no_unused_field_are_honoured() -> None:
    class Fields(Recorder):
        def render(self, assigns: Any) -> h.Element:
            return h.form("#f", phx_change="v")[
                h.input(name="a", value="1"),
                h.fieldset(disabled=True)[h.input(name="b", value="2")],
                h.input(name="c", value="3", phx_no_unused_field=True),
            ]

    async with live(_app(Fields), "/") as view:
        await view.change("#f", {"a": "9"})
    assert Fields.seen == [{"a": "9", "c": "3", "_target": ["a"]}]


async def test_a_form_event_without_handler_gets_an_error_reply_and_a_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, "pylive.channel")
    async with live(create_app(), "/nohandler") as view:
        with pytest.raises(AssertionError, match="no handle_event"):
            await view.change("#f", {"q": "x"})
        assert view.html()  # the view is alive
        with pytest.raises(AssertionError, match="no handle_event"):
            await view.change("#f", {"q": "y"})
    assert "NoHandler does not handle event 'validate'" in caplog.text


async def test_malformed_form_params_get_an_error_reply(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "pylive.channel")
    EVENTS.clear()
    async with live(create_app(), "/") as view:
        for value in ({"a": 1}, 42, None, ["a"]):
            with pytest.raises(AssertionError, match="malformed form params"):
                await view._event({"type": "form", "event": "validate", "value": value})
        await view._event(
            {"type": "form", "event": "validate", "value": "a[name][]=1&a=2&a[password][x]=3"}
        )
        await view._event(
            {"type": "form", "event": "validate", "value": "%%%&&==&a[", "meta": ["x"]}
        )
        assert view.has_element("#a_name")
    assert "malformed params" in caplog.text or "malformed form params" in caplog.text


async def test_the_mount_session_carries_the_csrf_token_for_trigger_action() -> None:
    app = create_app()
    async with live(app, "/signin") as view:
        token = view.element("input[name=_csrf_token]").attr("value")
        assert token and view.element("form").attr("action") == "/session"
        assert not view.element("form").has_attr("phx-trigger-action")
        await view.submit("form", {"login": {"name": "ann", "password": "long-enough"}})
        assert view.element("form").has_attr("phx-trigger-action")


async def test_csrf_protect_lets_the_rendered_token_through_and_refuses_others() -> None:
    client = LiveClient(create_app())
    async with client.live("/signin") as view:
        token = view.element("input[name=_csrf_token]").attr("value")
    ok = await client.post("/session", {"_csrf_token": token, "login": {"name": "ann"}})
    assert (ok.status, ok.text) == (200, "signed in as ann via None")
    for data in ({"login": {"name": "eve"}}, {"_csrf_token": "forged", "login": {"name": "x"}}):
        refused = await client.post("/session", data)
        assert (refused.status, refused.text) == (403, "invalid CSRF token")
    stranger = LiveClient(create_app())  # another browser: another CSRF cookie
    assert (await stranger.post("/session", {"_csrf_token": token})).status == 403


async def test_the_submitter_name_and_value_are_sent_and_a_form_can_skip_markers() -> None:
    class Buttons(Recorder):
        def render(self, assigns: Any) -> h.Element:
            return h.div[
                h.form("#s", phx_submit="save")[
                    h.input(name="title", value="t"),
                    h.button(name="intent", value="draft")["Draft"],
                    h.button(name="intent", value="publish")["Publish"],
                ],
                h.form("#n", phx_change="v", phx_no_unused_field=True)[
                    h.input(name="a", value="1"),
                    h.input(name="b", value="2"),
                ],
            ]

    async with live(_app(Buttons), "/") as view:
        await view.click("button", text="Publish")
        await view.submit("#s", submitter="#s button[value=draft]")
        await view.change("#n", {"a": "3"})
    assert Buttons.seen == [
        {"title": "t", "intent": "publish"},
        {"title": "t", "intent": "draft"},
        {"a": "3", "b": "2", "_target": ["a"]},
    ]


class Silent(LiveComponent):
    """A component with a form and no ``handle_event``."""

    def render(self, assigns: Any) -> h.Element:
        return h.form("#silent", phx_change="validate", phx_target=assigns.myself)[
            h.input(name="q", value="")
        ]


class HostsSilent(Recorder):
    def render(self, assigns: Any) -> h.Element:
        return h.div[live_component(Silent, id="s")]


async def test_a_component_without_handle_event_answers_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, "pylive.channel")
    async with live(_app(HostsSilent), "/") as view:
        with pytest.raises(AssertionError, match="no handle_event"):
            await view.change("#silent", {"q": "x"})
        assert view.has_element("#silent")
    assert "Silent does not handle event 'validate'" in caplog.text


def test_validate_false_keeps_the_values_without_errors() -> None:
    form = to_form({"account": {"email": ""}}, as_="account", schema=SignUp, validate=False)
    assert form.errors == {} and not form.validated and not form.valid
    assert form["email"].value == ""


def test_params_nested_too_deeply_are_a_form_error_not_a_crash() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(2000):
        node["x"] = {}
        node = node["x"]
    form = to_form({"sign_up": {"email": deep}}, as_="sign_up", schema=SignUp)
    assert not form.valid and (form.base_errors or form["email"].errors)
    assert decode_query("a" + "[b]" * 3000 + "=1")  # a crafted name is kept whole
