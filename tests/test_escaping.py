"""``escape_str`` must agree with htpy's own escaping (markupsafe) on every string."""

from __future__ import annotations

import htpy as h
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

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
