"""``escape_str`` must agree with htpy's own escaping (markupsafe) on every string."""

from __future__ import annotations

import re

import htpy as h
from e2e.xss_app import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from pylive import link
from pylive.html.escaping import escape_str


# no deadline or speed health check: a loaded CI machine may pause any example for a while
@settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.text())
def test_escape_str_matches_markupsafe_and_htpy(value: str) -> None:
    assert escape_str(value) == str(escape(value))
    assert str(h.p[value]) == f"<p>{escape_str(value)}</p>"


def test_plain_text_comes_back_as_is_and_specials_are_escaped() -> None:
    text = "item 42"
    assert escape_str(text) is text
    assert escape_str("""<a href='x'>&"</a>""") == "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"


def test_link_refuses_every_script_url_of_the_xss_corpus() -> None:
    """``link(href=...)`` refuses any scheme outside Phoenix's list, whatever its disguise
    (case, leading space or control character, tab inside); the browser test
    (tests/e2e/test_xss.py) checks that the rest stay inert."""
    refused = []
    for text in CORPUS:
        try:
            link(href=text)
        except ValueError:
            refused.append(text)
    script_urls = [
        text for text in CORPUS if re.search("script:|^data:", text.replace("\t", ""), re.I)
    ]
    assert set(script_urls) <= set(refused)
    # the rest have no scheme (a relative URL, harmless), or one that is not a URL's at all
    assert [text for text in refused if text not in script_urls] == [CORPUS[23]]
