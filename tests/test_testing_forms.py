"""Form and event payloads of pylive.testing as the official client builds them (``pushEvent``,
``pushInput``, ``serializeForm`` in Phoenix LiveView's ``assets/js/phoenix_live_view/view.ts``),
and the low-level Phoenix connection over the in-process ASGI driver."""

from __future__ import annotations

import pytest
from starlette.types import Receive, Scope, Send

from pylive.testing.dom import Document, Element
from pylive.testing.events import extract_meta, parse_binding
from pylive.testing.forms import (
    FormError,
    first_field,
    flatten,
    prepend_form_data_key,
    serialize_form,
    urlencode,
)

FORM = """
<form id="f" phx-change="v">
  <input name="user[name]" value="Jo Doe">
  <input name="user[email]" type="email">
  <input type="hidden" name="token" value="t">
  <input type="checkbox" name="tags[]" value="a" checked>
  <input type="checkbox" name="tags[]" value="b">
  <input type="radio" name="size" value="s">
  <input type="radio" name="size" value="m" checked>
  <select name="pick"><option value="1">one</option><option>two</option></select>
  <select name="multi" multiple>
    <option selected>x</option><option value="y" selected>Y</option>
  </select>
  <textarea name="bio">hello &amp; bye</textarea>
  <input name="off" value="no" disabled>
  <fieldset disabled><input name="deep" value="no"></fieldset>
  <input type="file" name="upload">
  <input type="submit" name="go" value="Go">
  <button name="btn" value="pressed">B</button>
</form>
<input name="outside" form="f" value="o">
"""


def form() -> Element:
    return Document(FORM).one("#f")


def test_serialize_like_form_data_with_unused_markers() -> None:
    assert serialize_form(form(), used=["user[name]"]) == (
        "user%5Bname%5D=Jo+Doe&user%5B_unused_email%5D=&user%5Bemail%5D=&token=t"
        "&_unused_tags%5B%5D=&tags%5B%5D=a&_unused_size=&size=m&_unused_pick=&pick=1"
        "&_unused_multi=&multi=x&_unused_multi=&multi=y&_unused_bio=&bio=hello+%26+bye"
        "&_unused_outside=&outside=o"
    )


def test_overrides_submitter_and_only_names() -> None:
    doc = Document(FORM)
    f = doc.one("#f")
    names = ["user[name]", "user[email]", "token", "tags[]", "size", "pick", "multi", "bio"]
    encoded = serialize_form(
        f,
        overrides=[("tags[]", "b"), ("tags[]", "c"), ("pick", "two")],
        used=[*names, "outside"],
        submitter=doc.one("button"),
    )
    assert "tags%5B%5D=b&tags%5B%5D=c" in encoded and "pick=two" in encoded
    assert encoded.endswith("btn=pressed&outside=o") and "_unused" not in encoded
    assert serialize_form(f, only_names=["token"]) == "token=t"
    with pytest.raises(FormError, match="no field named 'nope'"):
        serialize_form(f, overrides=[("nope", "x")])


def test_no_unused_field_opt_out() -> None:
    doc = Document('<form phx-no-unused-field><input name="a"></form>')
    assert serialize_form(doc.one("form")) == "a="


def test_test_values_flatten_to_bracket_names() -> None:
    values = {"user": {"name": "x", "tags": ["a", 1], "ok": True, "none": None}, "n": 2}
    assert flatten(values) == [
        ("user[name]", "x"),
        ("user[tags][]", "a"),
        ("user[tags][]", "1"),
        ("user[ok]", "true"),
        ("user[none]", ""),
        ("n", "2"),
    ]
    assert first_field(values) == "user[name]"


def test_prepend_form_data_key_and_urlencode() -> None:
    assert prepend_form_data_key("user[email]", "_unused_") == "user[_unused_email]"
    assert prepend_form_data_key("tags[]", "_unused_") == "_unused_tags[]"
    assert prepend_form_data_key("name", "_unused_") == "_unused_name"
    assert urlencode([("a b", "*-._~é")]) == "a+b=*-._%7E%C3%A9"


def test_click_values_follow_extract_meta() -> None:
    doc = Document(
        '<button phx-value-id="7" phx-value-Name="n">x</button>'
        '<input type="checkbox" phx-value-value="v">'
        '<li value="3"></li><div phx-value-a="1"></div>'
    )
    assert extract_meta(doc.one("button"), {}, {"id": 8}) == {"id": 8, "name": "n", "value": ""}
    assert extract_meta(doc.one("input")) == {}  # unchecked: no value, not even phx-value-value
    assert extract_meta(doc.one("li")) == {"value": 3}
    assert extract_meta(doc.one("div"), {"key": "k"}) == {"key": "k", "a": "1"}


def test_bindings_are_event_names_or_js_commands() -> None:
    assert [c.kind for c in parse_binding("inc")] == ["push"]
    commands = parse_binding('[["push",{"event":"a"}],["hide",{"to":"#x"}]]')
    assert [(c.kind, c.args.get("event")) for c in commands] == [("push", "a"), ("hide", None)]
    with pytest.raises(ValueError, match="JS command list"):
        parse_binding("[oops")


@pytest.mark.anyio
async def test_phoenix_connection_pull_style() -> None:
    """The low-level layer runtime tests can use: raw frames over the in-process socket."""
    from pylive import LiveApp
    from pylive.testing.client import LiveClient
    from pylive.testing.phoenix import connect

    app = LiveApp([], secret_key="s")
    client = LiveClient(app)
    async with connect(app, "/live", params={"_csrf_token": "x"}) as conn:
        ref = await conn.heartbeat()
        assert await conn.expect_reply(ref) == ("ok", {})
        assert await conn.call("lv:nope", "event", {}) == ("error", {"reason": "unmatched topic"})
    assert (await client.get("/live/nothing")).status == 404


@pytest.mark.anyio
async def test_websocket_app_still_running_after_disconnect_fails_the_block() -> None:
    """An app that does not return once the client disconnected is a leak: reported."""
    import anyio

    from pylive.testing.asgi import connect_websocket

    async def stuck(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await anyio.sleep_forever()

    with pytest.raises(TimeoutError, match="still ran"):
        async with connect_websocket(stuck, "/ws", timeout=0.1):
            pass
