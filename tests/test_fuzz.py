"""Fuzzing (hypothesis): bad input never raises out of pylive, and never hurts other views.

The decoders (frames, form params and nested names, join payloads, tokens) either decode or
refuse with their own error. The socket fuzzer sends sequences of messages, well-formed and
not, at a joined LiveView over the real app in-process: every message with a ref is answered
(or the channel or socket is closed), nothing is logged at ERROR level (no crash in pylive's
own code: the fuzzed view's handlers cannot fail), and a second connection to the same app
keeps answering its events. ``nox -s fuzz`` runs ~1,000,000 inputs (``tests/fuzzing.py``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
from diff_values import client_html
from fuzzing import APP, TOTAL_WEIGHT, form_query, fuzz_settings, json_values, text_frames
from hypothesis import example, given, note
from hypothesis import strategies as st
from live_socket import join, open_page

from pylive.channel import _event_params
from pylive.live_render import verify_child_join
from pylive.params import decode_query, key_path
from pylive.session import sign_session, sign_static, verify_join
from pylive.testing.asgi import WebSocketClosed
from pylive.testing.phoenix import Frame, PhoenixConnection
from pylive.tokens import MAX_AGE, TokenKind, Tokens
from pylive.transport.origin import OriginCheck
from pylive.transport.serializer import Message, ProtocolError, decode

WEIGHTS = {
    "test_text_frames_decode_or_refuse": 15,
    "test_binary_frames_decode_or_refuse": 15,
    "test_form_params_always_decode": 15,
    "test_origin_check_allows_or_refuses": 5,
    "test_event_payloads_give_params": 10,
    "test_tokens_verify_or_refuse": 15,
    "test_join_payloads_verify_or_refuse": 10,
    "test_signed_claims_of_any_shape": 10,
    "test_socket_survives_any_messages": 5,
}

TOKENS = Tokens("fuzz-secret")


def test_weights_share_out_the_whole_budget() -> None:
    assert sum(WEIGHTS.values()) == TOTAL_WEIGHT
    assert set(WEIGHTS) == {name for name in globals() if name in WEIGHTS}


# --------------------------------------------------------------------------- decoders


@fuzz_settings(WEIGHTS["test_text_frames_decode_or_refuse"])
@given(text_frames)
def test_text_frames_decode_or_refuse(frame: str) -> None:
    try:
        message = decode(frame, binary=False)
    except ProtocolError:
        return
    assert isinstance(message, Message) and isinstance(message.topic, str)
    assert isinstance(message.event, str)


_binary_pushes = st.builds(
    lambda head, body, kind: bytes([kind, *(len(part) for part in head)]) + b"".join(head) + body,
    st.lists(st.binary(max_size=12), min_size=4, max_size=4),
    st.binary(max_size=40),
    st.sampled_from([0, 0, 0, 1, 2, 255]),
)


@fuzz_settings(WEIGHTS["test_binary_frames_decode_or_refuse"])
@given(st.binary(max_size=60) | _binary_pushes)
def test_binary_frames_decode_or_refuse(frame: bytes) -> None:
    try:
        message = decode(frame, binary=True)
    except ProtocolError:
        return
    assert isinstance(message.payload, bytes) and isinstance(message.topic, str)


def _plain(value: Any) -> bool:
    """Only what a form can give: strings, lists and string-keyed dicts of them."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return isinstance(value, dict) and all(
        isinstance(k, str) and _plain(v) for k, v in value.items()
    )


@fuzz_settings(WEIGHTS["test_form_params_always_decode"])
@given(form_query)
def test_form_params_always_decode(query: str) -> None:
    assert _plain(decode_query(query))
    for name in query.split("&"):
        path = key_path(name)
        assert path and all(isinstance(part, str) for part in path)


_event_payloads = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["click", "form", "keyup", "hook", "blur"]) | st.text(max_size=5),
        "event": st.text(max_size=10) | json_values,
        "value": form_query | json_values,
        "meta": json_values,
        "cid": st.integers(-2, 5) | json_values,
    },
)


@fuzz_settings(WEIGHTS["test_event_payloads_give_params"])
@given(_event_payloads)
def test_event_payloads_give_params(payload: dict[str, Any]) -> None:
    params = _event_params(payload)
    assert isinstance(params, dict)
    if "_target" in params and payload.get("type") == "form":
        assert isinstance(params["_target"], list | str) or params["_target"] is not None


_KINDS = list(MAX_AGE)


def _tampered(token: str, data: st.DataObject) -> str:
    """``token`` with one character changed, dropped or added."""
    index = data.draw(st.integers(0, len(token) - 1))
    how = data.draw(st.sampled_from(["change", "drop", "add"]))
    char = data.draw(st.sampled_from("abcXYZ019-_.=~"))
    if how == "drop":
        return token[:index] + token[index + 1 :]
    if how == "add":
        return token[:index] + char + token[index:]
    return token[:index] + char + token[index + 1 :]


@fuzz_settings(WEIGHTS["test_tokens_verify_or_refuse"])
@given(st.sampled_from(_KINDS), st.sampled_from(_KINDS), json_values, st.data())
def test_tokens_verify_or_refuse(kind: Any, other: Any, claims: Any, data: st.DataObject) -> None:
    token = TOKENS.sign(kind, claims)
    assert TOKENS.verify(kind, token) == claims
    if other != kind:
        assert TOKENS.verify(other, token) is None  # a token is never taken for another kind
    assert Tokens("another-secret").verify(kind, token) is None
    bad = _tampered(token, data)
    # base64 ignores a few low bits of its last character: a change there may still verify,
    # but only to the very same claims
    assert TOKENS.verify(kind, bad) in (None, claims)
    assert TOKENS.verify(kind, data.draw(json_values)) is None
    assert TOKENS.check_csrf(data.draw(st.text(max_size=10)), bad) in (True, False)


_join_payloads = st.fixed_dictionaries(
    {},
    optional={
        "session": st.text(max_size=30) | json_values,
        "static": st.text(max_size=30) | json_values,
        "url": st.text(max_size=20) | json_values,
        "redirect": st.text(max_size=20) | json_values,
        "params": json_values,
        "flash": st.text(max_size=20) | json_values,
        "sticky": json_values,
    },
)


@fuzz_settings(WEIGHTS["test_join_payloads_verify_or_refuse"])
@given(st.text(max_size=12), _join_payloads | json_values)
def test_join_payloads_verify_or_refuse(topic: str, payload: Any) -> None:
    assert verify_join(TOKENS, topic, payload) is None
    assert verify_child_join(TOKENS, topic, payload) is None


@fuzz_settings(WEIGHTS["test_signed_claims_of_any_shape"])
@given(st.text(max_size=8), json_values, json_values, st.booleans())
def test_signed_claims_of_any_shape(topic: str, session: Any, static: Any, nested: bool) -> None:
    """Validly signed tokens whose claims are not what pylive signs (an old version's, say)
    are refused like forged ones, or accepted only with the right shapes."""
    kind: TokenKind = "nested" if nested else "session"
    payload = {"session": TOKENS.sign(kind, session), "static": TOKENS.sign("static", static)}
    claims = verify_join(TOKENS, topic, payload)
    if claims is not None:
        assert topic == f"lv:{claims.view_id}" and isinstance(claims.view, str)
    verify_child_join(TOKENS, topic, payload)
    good = {
        "session": sign_session(TOKENS, "phx-1", "View", "default"),
        "static": sign_static(TOKENS, "phx-1", static if isinstance(static, dict) else {}),
    }
    assert verify_join(TOKENS, "lv:phx-1", good) is not None


_origins = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda scheme, host, port: f"{scheme}{host}{port}",
        st.sampled_from(["http://", "https://", "//", "ws://", "", "null"]),
        st.sampled_from(["example.com", "a.example.com", "[", "[::1]", "[::1", "", "*.example.com"])
        | st.text(max_size=8),
        st.sampled_from(["", ":80", ":443", ":99999", ":x", ":"]),
    ),
)


@fuzz_settings(WEIGHTS["test_origin_check_allows_or_refuses"])
@given(_origins, st.text(max_size=20), st.lists(_origins, max_size=3) | st.none())
def test_origin_check_allows_or_refuses(origin: str, host: str, allowed: list[str] | None) -> None:
    """Any ``Origin`` header is allowed or refused, never an exception in the handshake."""
    try:
        check = OriginCheck(allowed)
    except ValueError:
        return  # a malformed allowed_origins: LiveApp() raises, the app does not start
    assert check.allows(origin, host) in (True, False)


# --------------------------------------------------------------------------- the socket


# placeholders in generated payloads, replaced by what the connection learned so far
UPLOAD_REF, ENTRY_REF, TOKEN, URL = "$upload_ref", "$entry_ref", "$token", "$url"
SESSION, STATIC = "$session", "$static"

_placeholders = st.sampled_from([UPLOAD_REF, ENTRY_REF, TOKEN, URL])
_urls = st.sampled_from(
    ["http://testserver/items/1", "http://testserver/healthy", "/x", URL, "", "http://[", "//["]
) | st.builds(lambda tail: f"http://testserver/{tail}", st.text(max_size=12))
_values = st.one_of(json_values, _placeholders, st.integers(0, 3))
_entry = st.fixed_dictionaries(
    {},
    optional={
        "ref": st.sampled_from(["0", "1", "2"]) | _values,
        "name": st.sampled_from(["a.txt", "b.png", ""]) | _values,
        "size": st.integers(-1, 80) | _values,
        "type": st.sampled_from(["text/plain", "image/png"]) | _values,
        "relative_path": _values,
        "last_modified": _values,
        "path": st.just("docs") | _values,
    },
)
_upload_entries = st.dictionaries(_placeholders | st.text(max_size=3), st.lists(_entry, max_size=3))
_payloads: dict[str, st.SearchStrategy[Any]] = {
    "event": st.fixed_dictionaries(
        {"type": st.sampled_from(["click", "form", "keyup", "hook"]) | _values},
        optional={
            "event": st.sampled_from(["validate", "save", "lv:clear-flash", "lv:x"]) | _values,
            "value": form_query | _values,
            "meta": _values,
            "cid": st.sampled_from([1, 2, -1, 99]) | _values,
            "uploads": _upload_entries | _values,
        },
    ),
    "live_patch": st.fixed_dictionaries(
        {},
        optional={"url": _urls | _values},
    ),
    "cids_will_destroy": st.fixed_dictionaries({}, optional={"cids": _values}),
    "cids_destroyed": st.fixed_dictionaries({}, optional={"cids": _values}),
    "allow_upload": st.fixed_dictionaries(
        {},
        optional={
            "ref": st.just(UPLOAD_REF) | _values,
            "entries": st.lists(_entry, max_size=3) | _values,
            "cid": _values,
        },
    ),
    "progress": st.fixed_dictionaries(
        {},
        optional={
            "ref": st.just(UPLOAD_REF) | _values,
            "entry_ref": st.just(ENTRY_REF) | _values,
            "progress": st.integers(-5, 120) | _values,
            "cid": _values,
        },
    ),
    "phx_join": st.fixed_dictionaries({}, optional={"token": st.just(TOKEN) | _values})
    | st.fixed_dictionaries(  # the view's own join again, from another URL
        {"session": st.just(SESSION), "static": st.just(STATIC)},
        optional={"url": _urls | _values, "redirect": _urls, "params": _values},
    ),
    "phx_leave": st.just({}) | _values,
}


@dataclass(frozen=True)
class Step:
    """One thing the fuzzer sends."""

    kind: str  # "message", "chunk", "text", "binary"
    topic: str = "view"  # "view", "upload", "phoenix", or a topic as is
    join_ref: str = "current"  # "current", "none", "bogus"
    event: str = ""
    payload: Any = None
    with_ref: bool = True


_steps = st.one_of(
    st.builds(
        Step,
        kind=st.just("message"),
        topic=st.sampled_from(["view", "view", "view", "upload", "phoenix"]) | st.text(max_size=6),
        join_ref=st.sampled_from(["current", "current", "current", "none", "bogus"]),
        event=st.sampled_from(list(_payloads)),
        with_ref=st.booleans() | st.just(True),
    ).flatmap(lambda s: _payloads[s.event].map(lambda p: _replace(s, payload=p))),
    st.builds(
        Step,
        kind=st.just("message"),
        topic=st.sampled_from(["view", "upload", "phoenix"]),
        event=st.text(max_size=10),
        payload=_values,
    ),
    st.builds(Step, kind=st.just("chunk"), payload=st.binary(max_size=30)),
    st.builds(Step, kind=st.just("text"), payload=text_frames),
    st.builds(Step, kind=st.just("binary"), payload=st.binary(max_size=30) | _binary_pushes),
)


def _replace(step: Step, **changes: Any) -> Step:
    return Step(**{**step.__dict__, **changes})


@dataclass
class Learned:
    """What the fuzzed connection knows: topics joined, the upload ref, tokens and entries."""

    view_topic: str
    upload_ref: str
    url: str
    session: str
    static: str | None
    joined: dict[str, str] = field(default_factory=dict)  # topic -> join ref
    tokens: dict[str, str] = field(default_factory=dict)  # entry ref -> token

    def fill(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self.fill(k): self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        if value == UPLOAD_REF:
            return self.upload_ref
        if value == URL:
            return self.url
        if value in (SESSION, STATIC):
            return self.session if value == SESSION else self.static
        if value in (ENTRY_REF, TOKEN):
            entry = next(iter(self.tokens), "0")
            return entry if value == ENTRY_REF else self.tokens.get(entry, "no-token")
        return value

    def upload_topic(self) -> str:
        return f"lvu:{next(iter(self.tokens), '0')}"


class _Errors(logging.Handler):
    """Collects ERROR records of pylive's loggers: each is a crash in pylive's own code."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _pylive_errors() -> Iterator[_Errors]:
    handler = _Errors()
    logger = logging.getLogger("pylive")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


_WAIT = 10.0  # generous: a loaded machine is slow, and a hang is a bug anyway


async def _await_outcome(
    conn: PhoenixConnection, learned: Learned, ref: str, topic: str, joining: bool = False
) -> bool:
    """Read frames until ``ref`` is answered or ``topic``'s channel ends (for a join,
    ``joining``: until its reply, which comes after the close of the instance it replaces);
    False once the socket is closed. Remembers upload tokens and what is joined."""
    with anyio.fail_after(_WAIT):
        while True:
            try:
                frame = await conn.receive(_WAIT)
            except WebSocketClosed:
                return False
            assert frame.event != "phx_error", f"a channel crashed: {frame}"
            if frame.event == "phx_close":
                if frame.topic in learned.joined and learned.joined[frame.topic] == frame.join_ref:
                    del learned.joined[frame.topic]
                if frame.topic == topic and (joining or ref == frame.join_ref):
                    continue  # a rejoin closes the old instance first, then replies
                if frame.topic == topic:
                    return True
                continue
            if not frame.is_reply:
                continue
            response = frame.response
            if isinstance(response, dict) and isinstance(response.get("entries"), dict):
                for entry, token in response["entries"].items():
                    if isinstance(token, str):
                        learned.tokens[entry] = token
            if frame.ref == ref:
                if frame.join_ref == ref:  # the reply to a join
                    if frame.status == "ok":
                        learned.joined[frame.topic] = ref
                    elif learned.joined.get(frame.topic) == ref:
                        del learned.joined[frame.topic]
                return True


async def _send_step(conn: PhoenixConnection, learned: Learned, step: Step) -> bool:
    """Send one step and wait for its outcome; False once the socket is closed."""
    if step.kind in ("text", "binary"):
        await conn.ws.send(step.payload)
        return await _sync(conn, learned)
    topic = {
        "view": learned.view_topic,
        "upload": learned.upload_topic(),
    }.get(step.topic, step.topic)
    current = learned.joined.get(topic)
    join_ref = {"current": current, "none": None, "bogus": "bogus"}[step.join_ref]
    ref = conn.next_ref() if step.with_ref or step.kind == "chunk" else None
    if step.event == "phx_join":
        join_ref = ref
    if step.kind == "chunk":
        head = [(current or "").encode(), (ref or "").encode(), topic.encode(), b"chunk"]
        await conn.ws.send(bytes([0, *(len(p) for p in head)]) + b"".join(head) + step.payload)
        step = _replace(step, event="chunk")
    else:
        payload = learned.fill(step.payload)
        await conn.send(Frame(join_ref, ref, topic, step.event, payload))
    # Phoenix drops a message for an outdated join of a joined topic without a reply
    routed = topic == "phoenix" or step.event == "phx_join" or topic not in learned.joined
    dropped = not routed and join_ref not in (None, current)
    if ref is None or dropped:
        return await _sync(conn, learned)
    return await _await_outcome(conn, learned, ref, topic, joining=step.event == "phx_join")


async def _sync(conn: PhoenixConnection, learned: Learned) -> bool:
    """A heartbeat round trip: the socket read everything sent before it."""
    try:
        ref = await conn.heartbeat()
    except WebSocketClosed:
        return False
    return await _await_outcome(conn, learned, ref, "phoenix")


async def _fuzz_connection(steps: list[Step]) -> Learned:
    async with (
        open_page(APP, "/healthy") as (healthy, healthy_page),
        open_page(APP, "/") as (conn, page),
    ):
        assert (await join(healthy, healthy_page))[0] == "ok"
        status, response = await join(conn, page)
        assert status == "ok"
        html = client_html(page.view_id, response["rendered"])
        found = re.search(r'data-phx-upload-ref="([^"]+)"', html)
        assert found is not None
        learned = Learned(page.topic, found.group(1), page.url, page.session, page.static)
        learned.joined[page.topic] = conn.join_refs[page.topic]
        for step in steps:
            if not await _send_step(conn, learned, step):
                break
        # the other connection to the same app is unaffected
        status, response = await healthy.call(
            healthy_page.topic, "event", {"type": "click", "event": "inc", "value": {}}
        )
        assert status == "ok" and response["diff"] == {"0": "1"}
        return learned


_PAGE_JOIN = {"session": SESSION, "static": STATIC, "url": "http://testserver/items/1"}


@fuzz_settings(WEIGHTS["test_socket_survives_any_messages"], floor=30)
@given(st.lists(_steps, min_size=1, max_size=8))
@example(  # found by a million-input run: a join without a ref (its join ref is null too), then
    # a join with one, which closes the first with a phx_close of join ref null
    [
        Step("message", event="phx_join", payload=_PAGE_JOIN, with_ref=False),
        Step("message", event="phx_join", payload={}),
    ]
)
@example(  # found by a million-input run: a rejoin, then a message for another join of the
    # topic, which the socket drops unanswered (the fuzzer had taken the old instance's
    # phx_close for the end of the rejoin, and waited for a reply)
    [
        Step("message", event="phx_join", payload=_PAGE_JOIN),
        Step("message", join_ref="bogus", event="event", payload={"type": "click"}),
    ]
)
def test_socket_survives_any_messages(steps: list[Step]) -> None:
    note(f"steps: {steps!r}")
    with _pylive_errors() as errors:
        anyio.run(_fuzz_connection, steps)
    assert not errors.records, [r.getMessage() for r in errors.records]


def test_the_fuzzer_reaches_uploads() -> None:
    """The socket fuzzer can get as far as an upload channel: a preflight with a valid entry
    gives a token, whose join is accepted."""
    entry = {"ref": "0", "name": "a.txt", "size": 3, "type": "text/plain", "path": "docs"}
    steps = [
        Step("message", event="allow_upload", payload={"ref": UPLOAD_REF, "entries": [entry]}),
        Step("message", topic="upload", event="phx_join", payload={"token": TOKEN}),
        Step("chunk", topic="upload", payload=b"abc"),
    ]
    with _pylive_errors() as errors:
        learned = anyio.run(_fuzz_connection, steps)
    assert not errors.records
    assert learned.joined.get("lvu:0") is not None
