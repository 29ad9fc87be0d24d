"""Signed tokens: kinds do not mix, forgeries and expired tokens fail, all are cookie-safe."""

from __future__ import annotations

import gc
import re
import weakref

import itsdangerous.timed
import pytest

from pylive.tokens import Tokens


def test_round_trip_and_kinds_do_not_mix() -> None:
    tokens = Tokens("k")
    token = tokens.sign("flash", {"info": "hi there; ,"})
    assert re.fullmatch(r"[A-Za-z0-9_.\-]+", token)  # safe in attributes and cookies
    assert tokens.verify("flash", token) == {"info": "hi there; ,"}
    assert tokens.verify("session", token) is None
    assert Tokens("other").verify("flash", token) is None
    assert tokens.verify("flash", None) is None


def test_expired_flash(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = Tokens("k")
    token = tokens.sign("flash", {"a": "b"})
    real = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda s: real(s) + 61)
    assert tokens.verify("flash", token) is None


def test_csrf_check() -> None:
    tokens = Tokens("k")
    secret = tokens.new_csrf_secret()
    token = tokens.csrf_token(secret)
    assert tokens.check_csrf(secret, token)
    assert not tokens.check_csrf(tokens.new_csrf_secret(), token)
    assert not tokens.check_csrf(None, token)
    assert not tokens.check_csrf(secret, "garbage")


def test_a_rejected_token_leaves_no_reference_cycle_holding_the_callers_frame() -> None:
    """A root join is first tried as a nested one: the rejected token must not keep the join's
    frame (and all it rendered) alive until a full GC collection."""
    tokens = Tokens("k")
    token = tokens.sign("session", {"view": "x"})

    class Held:
        pass

    def caller() -> weakref.ref[Held]:
        held = Held()
        assert tokens.verify("nested", token) is None
        return weakref.ref(held)

    gc.collect()
    gc.disable()
    try:
        assert caller()() is None  # freed by reference counting alone
    finally:
        gc.enable()
