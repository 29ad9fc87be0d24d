"""``pylive.JS``: every command's encoding, bad input, and rendering as an attribute.

The expected JSON follows Phoenix LiveView's ``Phoenix.LiveView.JS`` (1.2): one ``[kind, args]``
pair per command, ``nil`` arguments left out, argument keys in sorted order (what Phoenix's
encoder gives for its small maps), and the argument names the official client's ``js.js`` reads.
The browser test ``tests/e2e/test_js_commands.py`` checks that the client really runs them.
"""

from __future__ import annotations

import copy
import json
import pickle
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import htpy as h
import pytest
from markupsafe import Markup

from pylive import JS, Assigns, LiveApp, LiveRoute, LiveView, Socket
from pylive.html.compiler import compiled
from pylive.html.walker import walk
from pylive.rendered import to_html
from pylive.testing import live


def ops(js: JS) -> Any:
    """The command list the client parses from the attribute."""
    return json.loads(str(js))


# -- encodings --------------------------------------------------------------------------------

CASES: list[tuple[JS, str]] = [
    # push
    (JS().push("inc"), '[["push",{"event":"inc"}]]'),
    (
        JS().push("inc", value={"one": 1, "two": 2}),
        '[["push",{"event":"inc","value":{"one":1,"two":2}}]]',
    ),
    (JS().push("inc", target="#modal"), '[["push",{"event":"inc","target":"#modal"}]]'),
    (JS().push("inc", target=1), '[["push",{"event":"inc","target":1}]]'),
    (JS().push("inc", loading="#modal"), '[["push",{"event":"inc","loading":"#modal"}]]'),
    (JS().push("inc", page_loading=True), '[["push",{"event":"inc","page_loading":true}]]'),
    (
        JS().push("inc").push("dec", loading=".foo"),
        '[["push",{"event":"inc"}],["push",{"event":"dec","loading":".foo"}]]',
    ),
    # navigate / patch: replace is always there
    (JS().navigate("/home"), '[["navigate",{"href":"/home","replace":false}]]'),
    (JS().navigate("/home", replace=True), '[["navigate",{"href":"/home","replace":true}]]'),
    (
        JS().navigate("https://example.com/home"),
        '[["navigate",{"href":"https://example.com/home","replace":false}]]',
    ),
    (JS().navigate("/search?q=a:b"), '[["navigate",{"href":"/search?q=a:b","replace":false}]]'),
    (JS().patch("/home"), '[["patch",{"href":"/home","replace":false}]]'),
    (JS().patch("?page=2", replace=True), '[["patch",{"href":"?page=2","replace":true}]]'),
    # classes
    (JS().add_class("show"), '[["add_class",{"names":["show"]}]]'),
    (JS().add_class("show hl"), '[["add_class",{"names":["show","hl"]}]]'),
    (JS().add_class("show", to="#modal"), '[["add_class",{"names":["show"],"to":"#modal"}]]'),
    (
        JS().add_class("show", to=("closest", "a")),
        '[["add_class",{"names":["show"],"to":{"closest":"a"}}]]',
    ),
    (JS().add_class("show", time=543), '[["add_class",{"names":["show"],"time":543}]]'),
    (
        JS().add_class("show", transition="fade"),
        '[["add_class",{"names":["show"],"transition":[["fade"],[],[]]}]]',
    ),
    (
        JS().add_class("show", transition="fade", blocking=False),
        '[["add_class",{"blocking":false,"names":["show"],"transition":[["fade"],[],[]]}]]',
    ),
    (
        JS().add_class("c", transition="a b"),
        '[["add_class",{"names":["c"],"transition":[["a","b"],[],[]]}]]',
    ),
    (
        JS().add_class("show", transition=("fade", "opacity-0", "opacity-100")),
        '[["add_class",{"names":["show"],"transition":[["fade"],["opacity-0"],["opacity-100"]]}]]',
    ),
    (
        JS().add_class("show", to="#modal", time=100).add_class("hl"),
        '[["add_class",{"names":["show"],"time":100,"to":"#modal"}],["add_class",{"names":["hl"]}]]',
    ),
    (JS().remove_class("show"), '[["remove_class",{"names":["show"]}]]'),
    (
        JS().remove_class("show", to=("inner", "a")),
        '[["remove_class",{"names":["show"],"to":{"inner":"a"}}]]',
    ),
    (
        JS().remove_class("show", transition=("fade", "opacity-0", "opacity-100")),
        '[["remove_class",{"names":["show"],"transition":[["fade"],["opacity-0"],["opacity-100"]]}]]',
    ),
    (JS().toggle_class("show"), '[["toggle_class",{"names":["show"]}]]'),
    # ("document", sel) is the plain selector
    (
        JS().toggle_class("show", to=("document", "#modal")),
        '[["toggle_class",{"names":["show"],"to":"#modal"}]]',
    ),
    (
        JS().toggle_class("show", transition="fade", blocking=False),
        '[["toggle_class",{"blocking":false,"names":["show"],"transition":[["fade"],[],[]]}]]',
    ),
    # dispatch
    (JS().dispatch("click"), '[["dispatch",{"event":"click"}]]'),
    (JS().dispatch("click", to=".foo"), '[["dispatch",{"event":"click","to":".foo"}]]'),
    (JS().dispatch("click", bubbles=False), '[["dispatch",{"bubbles":false,"event":"click"}]]'),
    (
        JS().dispatch("app:copy", detail={"id": 3}, blocking=True),
        '[["dispatch",{"blocking":true,"detail":{"id":3},"event":"app:copy"}]]',
    ),
    # Phoenix only sends blocking when it is true
    (JS().dispatch("app:copy", blocking=False), '[["dispatch",{"event":"app:copy"}]]'),
    # toggle / show / hide
    (JS().toggle(to="#modal"), '[["toggle",{"to":"#modal"}]]'),
    (JS().toggle(to=("closest", ".modal")), '[["toggle",{"to":{"closest":".modal"}}]]'),
    (
        JS().toggle(to="#modal", in_="fade-in d-block", out="fade-out d-block"),
        '[["toggle",{"ins":[["fade-in","d-block"],[],[]],'
        '"outs":[["fade-out","d-block"],[],[]],"to":"#modal"}]]',
    ),
    (
        JS().toggle(
            to="#modal",
            in_=("fade-in", "opacity-0", "opacity-100"),
            out=("fade-out", "opacity-100", "opacity-0"),
        ),
        '[["toggle",{"ins":[["fade-in"],["opacity-0"],["opacity-100"]],'
        '"outs":[["fade-out"],["opacity-100"],["opacity-0"]],"to":"#modal"}]]',
    ),
    (JS().toggle(to="#modal", time=123), '[["toggle",{"time":123,"to":"#modal"}]]'),
    (JS().toggle(to="#modal", display="flex"), '[["toggle",{"display":"flex","to":"#modal"}]]'),
    (JS().toggle(blocking=False), '[["toggle",{"blocking":false}]]'),
    (JS().show(to="#modal"), '[["show",{"to":"#modal"}]]'),
    (JS().show(to=("inner", ".modal")), '[["show",{"to":{"inner":".modal"}}]]'),
    (
        JS().show(to="#modal", transition="fade-in d-block"),
        '[["show",{"to":"#modal","transition":[["fade-in","d-block"],[],[]]}]]',
    ),
    (JS().show(to="#modal", time=123), '[["show",{"time":123,"to":"#modal"}]]'),
    (JS().show(to="#modal", display="block"), '[["show",{"display":"block","to":"#modal"}]]'),
    (JS().hide(to="#modal"), '[["hide",{"to":"#modal"}]]'),
    (JS().hide(to=("closest", "a")), '[["hide",{"to":{"closest":"a"}}]]'),
    (
        JS().hide(to="#modal", transition=("fade-out", "opacity-100", "opacity-0")),
        '[["hide",{"to":"#modal","transition":[["fade-out"],["opacity-100"],["opacity-0"]]}]]',
    ),
    (JS().hide(to="#modal", time=0), '[["hide",{"time":0,"to":"#modal"}]]'),
    # transition
    (JS().transition("shake"), '[["transition",{"transition":[["shake"],[],[]]}]]'),
    (
        JS().transition("shake", to=("inner", "a")),
        '[["transition",{"to":{"inner":"a"},"transition":[["shake"],[],[]]}]]',
    ),
    (
        JS().transition(("shake swirl", "opacity-0 a", "opacity-100 b"), to="#modal"),
        '[["transition",{"to":"#modal",'
        '"transition":[["shake","swirl"],["opacity-0","a"],["opacity-100","b"]]}]]',
    ),
    (
        JS().transition("shake", to="#modal", time=123),
        '[["transition",{"time":123,"to":"#modal","transition":[["shake"],[],[]]}]]',
    ),
    # attributes
    (
        JS().set_attribute("aria-expanded", "true"),
        '[["set_attr",{"attr":["aria-expanded","true"]}]]',
    ),
    (
        JS().set_attribute("aria-expanded", "true", to=("inner", ".dropdown")),
        '[["set_attr",{"attr":["aria-expanded","true"],"to":{"inner":".dropdown"}}]]',
    ),
    (JS().remove_attribute("disabled"), '[["remove_attr",{"attr":"disabled"}]]'),
    (
        JS().remove_attribute("aria-expanded", to="#dropdown"),
        '[["remove_attr",{"attr":"aria-expanded","to":"#dropdown"}]]',
    ),
    (JS().toggle_attribute("open", "true"), '[["toggle_attr",{"attr":["open","true"]}]]'),
    (
        JS().toggle_attribute("aria-expanded", "true", "false", to="#dropdown"),
        '[["toggle_attr",{"attr":["aria-expanded","true","false"],"to":"#dropdown"}]]',
    ),
    (JS().ignore_attributes("open"), '[["ignore_attrs",{"attrs":["open"]}]]'),
    (
        JS().ignore_attributes(["open", "data-*"], to="#my-dialog"),
        '[["ignore_attrs",{"attrs":["open","data-*"],"to":"#my-dialog"}]]',
    ),
    # exec and focus
    (JS().exec("phx-remove"), '[["exec",{"attr":"phx-remove"}]]'),
    (JS().exec("phx-remove", to="#modal"), '[["exec",{"attr":"phx-remove","to":"#modal"}]]'),
    (JS().focus(), '[["focus",{}]]'),
    (JS().focus(to="input"), '[["focus",{"to":"input"}]]'),
    (JS().focus(to=("inner", "input")), '[["focus",{"to":{"inner":"input"}}]]'),
    (JS().focus_first(), '[["focus_first",{}]]'),
    (JS().focus_first(to="#modal"), '[["focus_first",{"to":"#modal"}]]'),
    (JS().push_focus(), '[["push_focus",{}]]'),
    (JS().push_focus(to="#my-button"), '[["push_focus",{"to":"#my-button"}]]'),
    (JS().pop_focus(), '[["pop_focus",{}]]'),
    # nothing
    (JS(), "[]"),
]


@pytest.mark.parametrize(("js", "expected"), CASES, ids=[e[:60] for _, e in CASES])
def test_each_command_encodes_as_phoenix_does(js: JS, expected: str) -> None:
    assert str(js) == expected


CLIENT_JS = (
    Path(__file__).resolve().parents[1]
    / "pylive/client/node_modules/phoenix_live_view/assets/js/phoenix_live_view/js.js"
)
"""The official client's command implementations (``npm ci`` in ``pylive/client`` puts it there;
the e2e fixtures' bundle build does it)."""


def test_every_command_and_argument_is_one_the_official_client_reads() -> None:
    if not CLIENT_JS.exists():
        pytest.skip(f"{CLIENT_JS} is not installed (npm ci in pylive/client)")
    source = CLIENT_JS.read_text()
    assert '"version": "1.2.12"' in (CLIENT_JS.parents[3] / "package.json").read_text()
    # each command is a method exec_<kind>(e, eventType, phxEvent, view, sourceEl, el, args)
    methods = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^  exec_(\w+)\((.*?)^  \},$", source, re.MULTILINE | re.DOTALL)
    }
    assert re.search(r"filterToEls\(liveSocket, sourceEl, \{ to \}\)", source)  # `to`, for all
    for js, _ in CASES:
        for kind, args in ops(js):
            assert kind in methods, f"the client has no exec_{kind}"
            unread = [k for k in args if k != "to" and not re.search(rf"\b{k}\b", methods[kind])]
            assert unread == [], f"exec_{kind} never reads {unread}"


def test_methods_return_new_values_and_leave_the_original_alone() -> None:
    base = JS().push("inc")
    more = base.hide(to="#x")
    assert str(base) == '[["push",{"event":"inc"}]]'
    assert ops(more) == [["push", {"event": "inc"}], ["hide", {"to": "#x"}]]
    with pytest.raises(AttributeError, match="immutable"):
        base._ops = ()
    with pytest.raises(AttributeError, match="immutable"):
        base.extra = 1
    with pytest.raises(AttributeError, match="immutable"):
        del base._ops


def test_copies_and_pickles_are_equal() -> None:
    js = JS().push("save", value={"id": 1}).hide(to="#x")
    assert copy.copy(js) is js
    assert copy.deepcopy({"js": js})["js"] is js
    assert pickle.loads(pickle.dumps(js)) == js


def test_mutating_a_given_value_afterwards_changes_nothing() -> None:
    value: dict[str, Any] = {"id": 1, "tags": ["a"]}
    js = JS().push("save", value=value)
    value["id"] = 2
    value["tags"].append("b")
    assert ops(js) == [["push", {"event": "save", "value": {"id": 1, "tags": ["a"]}}]]
    copy = js.ops
    copy.clear()
    assert js.ops == [["push", {"event": "save", "value": {"id": 1, "tags": ["a"]}}]]


def test_concat_and_plus_run_the_first_then_the_second() -> None:
    first = JS().push("inc", value={"one": 1, "two": 2})
    second = JS().add_class("show", to="#modal", time=100)
    third = JS().remove_class("show")
    expected = [
        ["push", {"event": "inc", "value": {"one": 1, "two": 2}}],
        ["add_class", {"names": ["show"], "time": 100, "to": "#modal"}],
        ["remove_class", {"names": ["show"]}],
    ]
    assert ops(first.concat(second).concat(third)) == expected
    assert ops(first + second + third) == expected
    assert first + JS() == first
    with pytest.raises(TypeError):
        first + "inc"  # type: ignore[operator]
    with pytest.raises(TypeError):
        "inc" + first  # type: ignore[operator]
    with pytest.raises(TypeError, match="concatenate JS with JS"):
        first.concat("inc")  # type: ignore[arg-type]


def test_equality_and_hash_follow_the_commands() -> None:
    assert JS().push("a") == JS().push("a")
    assert JS().push("a") != JS().push("b")
    assert JS().push("a") != '[["push",{"event":"a"}]]'
    assert len({JS().push("a"), JS().push("a"), JS()}) == 2
    assert repr(JS().focus()) == '<JS [["focus",{}]]>'


def test_values_keep_unicode_and_their_own_key_order() -> None:
    js = JS().push("say", value={"z": "café ✓", "a": None, "n": [1, 2.5, True]})
    assert str(js) == '[["push",{"event":"say","value":{"z":"café ✓","a":null,"n":[1,2.5,true]}}]]'


# -- bad input --------------------------------------------------------------------------------

ANY: Any = JS()
"""A JS typed ``Any``: the calls below are wrong on purpose."""

BAD: list[tuple[Any, type[Exception], str]] = [
    (lambda: ANY.push(3), TypeError, "event of push must be a str"),
    (lambda: ANY.push(""), ValueError, "must not be empty"),
    (lambda: ANY.push("inc", value="not-a-map"), TypeError, "value of push must be a mapping"),
    (lambda: ANY.push("inc", value={"when": object()}), TypeError, "JSON-encodable"),
    (lambda: ANY.push("inc", value={"x": float("nan")}), ValueError, "JSON-encodable"),
    (lambda: ANY.push("inc", target=True), TypeError, "selector or a cid"),
    (lambda: ANY.push("inc", target=1.5), TypeError, "selector or a cid"),
    (lambda: ANY.push("inc", loading=3), TypeError, "loading selector"),
    (lambda: ANY.push("inc", page_loading="yes"), TypeError, "page_loading must be True or"),
    (lambda: ANY.push("inc", bad="opt"), TypeError, "unexpected keyword"),
    (lambda: ANY.navigate("mailto:foo@example.com"), ValueError, "unsupported scheme 'mailto'"),
    (lambda: ANY.navigate("foo:8080"), ValueError, "unsupported scheme 'foo'"),
    (lambda: ANY.patch("javascript:alert(1)"), ValueError, "unsupported scheme 'javascript'"),
    (lambda: ANY.patch(""), ValueError, "must not be empty"),
    (lambda: ANY.navigate("/x", replace="yes"), TypeError, "replace must be True or False"),
    (lambda: ANY.add_class(["a"]), TypeError, "class names must be a str"),
    (lambda: ANY.add_class("a", to=3), TypeError, "`to` must be a selector str or a"),
    (lambda: ANY.add_class("a", to=("sibling", "x")), ValueError, "scope of `to` must be"),
    (lambda: ANY.add_class("a", to=("inner", 3)), TypeError, "selector of a scoped `to`"),
    (lambda: ANY.add_class("a", time="100"), TypeError, "time must be an int"),
    (lambda: ANY.add_class("a", time=True), TypeError, "time must be an int"),
    (lambda: ANY.add_class("a", time=-1), ValueError, "time must not be negative"),
    (lambda: ANY.add_class("a", blocking=0), TypeError, "blocking must be True or False"),
    (lambda: ANY.add_class("a", transition=("fade", "x")), ValueError, "got a 2-tuple"),
    (lambda: ANY.add_class("a", transition=("a", "b", "c", "d")), ValueError, "got a 4-tuple"),
    (lambda: ANY.add_class("a", transition=5), TypeError, "transition must be a str"),
    (lambda: ANY.add_class("a", transition=("a", 1, "c")), TypeError, "each part of transition"),
    (lambda: ANY.show(transition={"a": "b"}), TypeError, "transition must be a str"),
    (lambda: ANY.show(display=5), TypeError, "display must be a str"),
    (lambda: ANY.toggle(in_=("a", "b")), ValueError, "in_ must be a str or a 3-tuple"),
    (lambda: ANY.toggle(out=7), TypeError, "out must be a str of classes"),
    (lambda: ANY.toggle(to="#m", bad="opt"), TypeError, "unexpected keyword"),
    (lambda: ANY.transition(None), TypeError, "transition needs its classes"),
    (lambda: ANY.transition(("a", "b")), ValueError, "3-tuple"),
    (lambda: ANY.set_attribute("open", True), TypeError, "attribute value must be a str"),
    (lambda: ANY.set_attribute("", "x"), ValueError, "must not be empty"),
    (lambda: ANY.toggle_attribute("a", "b", 3), TypeError, "other attribute value"),
    (lambda: ANY.remove_attribute(None), TypeError, "attribute name must be a str"),
    (lambda: ANY.ignore_attributes(3), TypeError, "str or a list of str"),
    (lambda: ANY.ignore_attributes(["open", 3]), TypeError, "each attribute name"),
    (lambda: ANY.dispatch("click", detail={"id": 1}), ValueError, "click events cannot"),
    (lambda: ANY.dispatch("foo", detail="x"), TypeError, "detail of dispatch must be a"),
    (
        lambda: ANY.dispatch("foo", detail={"done": True}, blocking=True),
        ValueError,
        "must not have a 'done' key",
    ),
    (lambda: ANY.dispatch("foo", bubbles="no"), TypeError, "bubbles must be True or False"),
    (lambda: ANY.exec(""), ValueError, "must not be empty"),
    (lambda: ANY.focus("#x"), TypeError, "positional"),
]


@pytest.mark.parametrize(("make", "error", "message"), BAD, ids=[m for _, _, m in BAD])
def test_bad_input_fails_clearly(make: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_a_done_key_is_fine_when_not_blocking() -> None:
    js = JS().dispatch("foo", detail={"done": True})
    assert ops(js) == [["dispatch", {"detail": {"done": True}, "event": "foo"}]]


# -- rendering --------------------------------------------------------------------------------

MENU = JS().push("inc", value={"note": "<a & 'b'>"}).toggle(to="#menu")
ESCAPED = (
    "[[&#34;push&#34;,{&#34;event&#34;:&#34;inc&#34;,&#34;value&#34;:{&#34;note&#34;:"
    "&#34;&lt;a &amp; &#39;b&#39;&gt;&#34;}}],[&#34;toggle&#34;,{&#34;to&#34;:&#34;#menu&#34;}]]"
)


def test_html_is_the_escaped_json() -> None:
    assert MENU.__html__() == ESCAPED
    assert isinstance(MENU.__html__(), Markup)
    assert str(Markup("{}").format(MENU)) == ESCAPED


def test_dead_render_escapes_the_json_once() -> None:
    html = str(h.button(phx_click=MENU)["+"])
    assert html == f'<button phx-click="{ESCAPED}">+</button>'


def test_walker_renders_the_attribute_like_htpy() -> None:
    tree = h.div[h.button("#b", phx_click=MENU, phx_value_id="3")["+"]]
    assert to_html(walk(tree)) == str(tree)
    assert ESCAPED in to_html(walk(tree))


class _Assigns:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def test_compiled_templates_render_js_in_every_attribute_path() -> None:
    @compiled
    def render(assigns: Any) -> h.Element:
        return h.div[
            h.button("#const", phx_click=JS().push("inc").toggle(to="#menu"))["a"],
            h.button("#kw", phx_click=assigns.js, phx_value_n=assigns.n)["b"],
            h.button({"phx-click": assigns.js, "id": "dict"})["c"],
        ]

    for js in (MENU, JS().hide(to="#menu"), JS()):
        assigns = _Assigns(js=js, n=1)
        html = to_html(render.render(assigns, None, owner=None))
        assert html == str(render.func(assigns))
        assert html.count(f'phx-click="{js.__html__()}"') == 2
        assert html.count('phx-click="[[&#34;push&#34;,{&#34;event&#34;:&#34;inc&#34;}],') == 1


class Clicks(LiveView):
    """The server end of ``JS().push``: what reaches ``handle_event``."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(last="", open=False)

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        socket.assign(last=f"{event} {json.dumps(params, sort_keys=True)}")
        if event == "open":
            socket.assign(open=not socket.assigns.open)
        return None

    def render(self, assigns: Assigns) -> h.Element:
        js = JS().push("open").toggle_attribute("aria-expanded", "true", "false")
        return h.div[
            h.button(
                "#save",
                phx_click=JS().push("save", value={"id": 7}).hide(to="#panel"),
                phx_value_kind="draft",
            )["Save"],
            h.button("#open", phx_click=js, aria_expanded=str(assigns.open).lower())["Open"],
            h.button("#nav", phx_click=JS().patch("/?tab=2"))["Tab 2"],
            h.p("#last")[assigns.last],
        ]

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(last=f"params {json.dumps(params)}")


@pytest.mark.anyio
async def test_the_server_gets_the_push_and_its_value_in_live_diffs() -> None:
    app = LiveApp([LiveRoute("/", Clicks)], secret_key="js-tests")
    async with live(app, "/") as view:
        await view.click("#save")
        # phx-value-*, the button's own value, then the push's: what the official client sends
        assert view.element("#last").text == 'save {"id": 7, "kind": "draft", "value": ""}'
        await view.click("#open")
        assert view.element("#last").text == 'open {"value": ""}'
        assert view.element("#open").attr("aria-expanded") == "true"
        assert view.element("#open").attr("phx-click") == str(
            JS().push("open").toggle_attribute("aria-expanded", "true", "false")
        )
        await view.click("#nav")
        assert view.path == "/?tab=2"
        assert view.element("#last").text == 'params {"tab": "2"}'
