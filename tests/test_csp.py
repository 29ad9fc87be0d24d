"""``LiveApp(content_security_policy=...)``: the header of the live pages, with a fresh nonce
per page on every script and stylesheet pylive writes (and on the layout's own, through
``Page.nonce``)."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fuzzing import Healthy
from htpy import Element, body, head, html, script
from markup import parse

from pylive import LiveApp, LiveRoute, Page, root_layout
from pylive.csp import (
    DEFAULT_POLICY,
    STRICT_POLICY,
    allows_inline_script,
    allows_inline_style,
    policy_header,
)
from pylive.testing.asgi import http_request

pytestmark = pytest.mark.anyio


def _app(**kw: Any) -> LiveApp:
    return LiveApp([LiveRoute("/", Healthy)], secret_key="k", **kw)


def _with_inline_script(page: Page) -> Element:
    return html[
        head[page.head(), page.ui_head(), script(nonce=page.nonce)["window.inlined = 1;"]],
        body[page.content],
    ]


def _nonces(text: str) -> set[str | None]:
    tree = parse(text)
    tags = tree.css("script") + tree.css('link[rel="stylesheet"]')
    assert len(tags) >= 3
    return {tag.attributes.get("nonce") for tag in tags}


async def test_the_default_is_phoenixs_policy() -> None:
    response = await http_request(_app(layout=_with_inline_script), "GET", "/")
    assert response.header("content-security-policy") == DEFAULT_POLICY
    assert DEFAULT_POLICY == "base-uri 'self'; frame-ancestors 'self'"
    assert _nonces(response.text) == {None}  # a policy without {nonce}: no nonce


async def test_a_strict_policy_carries_a_fresh_nonce_matching_every_tag() -> None:
    app = _app(content_security_policy=STRICT_POLICY, layout=_with_inline_script)
    seen = set()
    for _ in range(2):
        response = await http_request(app, "GET", "/")
        header = response.header("content-security-policy")
        assert header is not None
        found = set(re.findall(r"'nonce-([^']+)'", header))
        assert len(found) == 1
        nonce = found.pop()
        assert header == policy_header(STRICT_POLICY, nonce)
        assert _nonces(response.text) == {nonce}
        seen.add(nonce)
    assert len(seen) == 2


async def test_none_sends_no_policy_and_no_nonce() -> None:
    app = _app(content_security_policy=None, layout=_with_inline_script)
    response = await http_request(app, "GET", "/")
    assert response.header("content-security-policy") is None
    assert _nonces(response.text) == {None}


async def test_a_policy_of_ones_own() -> None:
    app = _app(
        content_security_policy="script-src 'nonce-{nonce}' 'strict-dynamic'",
        layout=partial(root_layout, title="mine"),
    )
    response = await http_request(app, "GET", "/")
    header = response.header("content-security-policy") or ""
    nonce = re.fullmatch(r"script-src 'nonce-([^']+)' 'strict-dynamic'", header)
    assert nonce is not None
    assert {t.attributes.get("nonce") for t in parse(response.text).css("script")} == {
        nonce.group(1)
    }


def test_the_strict_policy_is_the_one_documented() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "security.md").read_text()
    section = docs.split("## Content Security Policy")[1]
    shown = section.split("```text")[1].split("```")[0]
    assert " ".join(shown.split()) == STRICT_POLICY


async def test_a_policy_may_span_lines_and_may_not_be_empty() -> None:
    app = _app(
        content_security_policy="""
        default-src 'self';
        script-src 'self' 'nonce-{nonce}'
    """
    )
    header = (await http_request(app, "GET", "/")).header("content-security-policy") or ""
    assert re.fullmatch(r"default-src 'self'; script-src 'self' 'nonce-[\w-]+'", header)
    with pytest.raises(ValueError, match="empty"):
        _app(content_security_policy=" \n ")


INLINE_SCRIPT_CASES = [
    (None, True),
    (DEFAULT_POLICY, True),
    (STRICT_POLICY, True),
    ("default-src 'self'", False),
    ("script-src 'self'", False),
    ("default-src 'self'; script-src 'self' 'nonce-{nonce}'", True),
    ("script-src 'nonce-{nonce}' 'strict-dynamic'", True),
    ("script-src 'self'; script-src-elem 'self' 'nonce-{nonce}'", True),
    ("script-src 'self' 'nonce-{nonce}'; script-src-elem 'self'", False),
    ("default-src 'nonce-{nonce}'; style-src 'self'", True),
    ("style-src 'nonce-{nonce}'; script-src 'self'", False),
    ("script-src 'self' 'unsafe-inline'", True),
    ("script-src 'self' 'unsafe-inline' 'sha256-abc='", False),
    ("script-src 'unsafe-inline' 'strict-dynamic'", False),
    ("SCRIPT-SRC 'NONCE-{nonce}'", True),
    ("script-src 'nonce-{nonce}'; script-src 'self'", True),  # the first one counts
    ("script-src 'nonce-{nonce}', script-src 'self'", False),  # two policies: both apply
    ("base-uri 'self';; frame-ancestors 'none';", True),
]
"""Policies and whether they run an inline script carrying the page's nonce."""


@pytest.mark.parametrize(("policy", "inline"), INLINE_SCRIPT_CASES)
def test_which_policies_run_an_inline_script_with_the_pages_nonce(
    policy: str | None, inline: bool
) -> None:
    assert allows_inline_script(policy) is inline


@pytest.mark.parametrize(
    ("policy", "inline"),
    [(DEFAULT_POLICY, True), (STRICT_POLICY, True), (None, True), ("script-src 'self'", False)],
)
async def test_the_preconnect_script_is_inline_where_the_policy_allows(
    policy: str | None, inline: bool
) -> None:
    app = _app(content_security_policy=policy)
    tree = parse((await http_request(app, "GET", "/")).text)
    sources = [tag.attributes.get("src") for tag in tree.css("script")]
    assert len(sources) == 2 and sources[1] is not None and "/pylive.js?v=" in sources[1]
    if inline:
        assert sources[0] is None and "new WebSocket" in (tree.css("script")[0].text() or "")
    else:
        assert sources[0] is not None and "/pylive-preconnect.js?v=" in sources[0]


def _swap_script_and_style(policy: str | None) -> str | None:
    """``policy`` with ``script-src(-elem)`` and ``style-src(-elem)`` swapped."""
    if policy is None:
        return None
    other = {"script": "style", "style": "script"}
    return re.sub(r"(?i)\b(script|style)(-src)", lambda m: other[m[1].lower()] + m[2], policy)


@pytest.mark.parametrize(("policy", "inline"), INLINE_SCRIPT_CASES)
def test_styles_follow_the_same_rules_with_the_style_directives(
    policy: str | None, inline: bool
) -> None:
    assert allows_inline_style(_swap_script_and_style(policy)) is inline


def _with_inlined_stylesheet(page: Page) -> Element:
    return html[head[page.head(), page.ui_head(inline_stylesheet=True)], body[page.content]]


@pytest.mark.parametrize(
    ("policy", "inline"),
    [(STRICT_POLICY, True), (None, True), ("default-src 'self'; script-src 'self'", False)],
)
async def test_an_inlined_stylesheet_is_a_style_with_the_nonce_where_the_policy_allows(
    policy: str | None, inline: bool
) -> None:
    app = _app(content_security_policy=policy, layout=_with_inlined_stylesheet)
    response = await http_request(app, "GET", "/")
    tree = parse(response.text)
    styles, links = tree.css("style"), tree.css('link[rel="stylesheet"]')
    if not inline:
        assert not styles and len(links) == 1
        assert "/live/assets/ui/pylive-ui.css?v=" in (links[0].attributes["href"] or "")
        return
    assert not links and len(styles) == 1 and "--ui-bg" in styles[0].text()
    header = response.header("content-security-policy")
    nonce = None if header is None else re.findall(r"'nonce-([^']+)'", header)[0]
    assert styles[0].attributes.get("nonce") == nonce
