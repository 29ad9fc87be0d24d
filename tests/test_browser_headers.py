"""``LiveApp(secure_browser_headers=...)``: Phoenix 1.8's secure browser headers on every answer
of a live route (page, redirect), merged with the app's own, and ``nosniff`` on the client
bundle and the long-poll answers whatever the setting."""

from __future__ import annotations

from typing import Any

import pytest
from fuzzing import Healthy

from pylive import LiveApp, LiveRoute, LiveView, Socket
from pylive.browser_headers import SECURE_BROWSER_HEADERS
from pylive.csp import DEFAULT_POLICY
from pylive.layout import CLIENT_SCRIPT
from pylive.testing.asgi import http_request

pytestmark = pytest.mark.anyio


class Elsewhere(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.push_navigate("/")

    def render(self, assigns: Any) -> str:
        return "never"


def _app(**kw: Any) -> LiveApp:
    return LiveApp(
        [LiveRoute("/", Healthy), LiveRoute("/elsewhere", Elsewhere)], secret_key="k", **kw
    )


PHOENIX_1_8 = {
    "referrer-policy": "strict-origin-when-cross-origin",
    "content-security-policy": "base-uri 'self'; frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
    "x-permitted-cross-domain-policies": "none",
}
"""What Phoenix 1.8's ``put_secure_browser_headers`` sets (its policy ends with a ``;``)."""


async def test_a_page_carries_phoenixs_headers() -> None:
    response = await http_request(_app(), "GET", "/")
    assert response.status == 200
    for name, value in PHOENIX_1_8.items():
        assert response.header(name) == value
    assert response.header("x-frame-options") is None  # dropped by Phoenix 1.8: the policy
    assert {**SECURE_BROWSER_HEADERS, "content-security-policy": DEFAULT_POLICY} == PHOENIX_1_8


async def test_a_redirecting_mount_carries_them_too() -> None:
    response = await http_request(_app(), "GET", "/elsewhere")
    assert response.status == 302
    for name, value in SECURE_BROWSER_HEADERS.items():
        assert response.header(name) == value


async def test_a_mapping_is_merged_over_the_defaults() -> None:
    app = _app(
        secure_browser_headers={
            "Referrer-Policy": "no-referrer",  # names in any case
            "permissions-policy": "camera=()",
            "x-permitted-cross-domain-policies": None,  # None removes one
        }
    )
    response = await http_request(app, "GET", "/")
    assert response.header_list("referrer-policy") == ["no-referrer"]
    assert response.header("permissions-policy") == "camera=()"
    assert response.header("x-permitted-cross-domain-policies") is None
    assert response.header("x-content-type-options") == "nosniff"
    assert response.header("content-security-policy") == DEFAULT_POLICY


async def test_false_sends_none_of_them_and_the_policy_is_its_own_setting() -> None:
    response = await http_request(_app(secure_browser_headers=False), "GET", "/")
    assert all(response.header(name) is None for name in SECURE_BROWSER_HEADERS)
    assert response.header("content-security-policy") == DEFAULT_POLICY
    bare = await http_request(_app(content_security_policy=None), "GET", "/")
    assert bare.header("content-security-policy") is None
    assert bare.header("referrer-policy") == "strict-origin-when-cross-origin"


def test_bad_headers_are_errors() -> None:
    with pytest.raises(ValueError, match="content_security_policy"):
        _app(secure_browser_headers={"Content-Security-Policy": "default-src 'self'"})
    with pytest.raises(ValueError, match="not a header name"):
        _app(secure_browser_headers={"x bad": "1"})
    with pytest.raises(ValueError, match="one line"):
        _app(secure_browser_headers={"x-ok": "1\r\nset-cookie: a=b"})


@pytest.mark.parametrize("setting", [True, False])
async def test_the_client_bundle_and_long_poll_are_always_nosniff(setting: bool) -> None:
    app = _app(secure_browser_headers=setting)
    for encoding in ("identity", "br"):
        bundle = await http_request(
            app, "GET", f"/live/assets/{CLIENT_SCRIPT}", headers=[("accept-encoding", encoding)]
        )
        assert bundle.status == 200
        assert bundle.header("content-encoding") == (None if encoding == "identity" else "br")
        assert bundle.header("content-type") == "text/javascript; charset=utf-8"
        assert bundle.header("x-content-type-options") == "nosniff"
    poll = await http_request(app, "GET", "/live/longpoll?vsn=2.0.0")
    assert poll.status == 200 and poll.header("x-content-type-options") == "nosniff"
    await app.close_sockets()
