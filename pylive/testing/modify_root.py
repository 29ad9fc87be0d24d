"""Rewriting the start tag of a single-element template: port of the official client's
``rendered/modify_root.ts`` (phoenix_live_view 1.2.12).

The client injects ``data-phx-id`` (and, for LiveComponents, ``data-phx-component`` and
``data-phx-view``) right after the tag name of every template flagged ``"r": 1``, and replaces
unchanged ones by an empty "skip" shell. The scan below reproduces the client's string
handling exactly, including its quirks (only a quoted ``id`` preceded by a space is kept in a
shell; void tags self-close), so that the test client renders byte-for-byte what the browser
would be given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["MalformedRoot", "RootAttrs", "modify_root", "root_id"]

RootAttrs = Mapping[str, "str | int | bool"]
"""Attributes to add; ``True`` renders a bare attribute."""

VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "command",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_LOOKAHEAD = re.compile(r"^(\s*(?:<!--.*?-->\s*)*)<([^\s/>]+)")


class MalformedRoot(ValueError):
    """A template flagged as a single element does not start with a tag (the client throws)."""


def _scan_id(html: str, start: int) -> str | None:
    """The value of a quoted `` id=`` attribute in the start tag beginning at ``start``."""
    i = start
    n = len(html)
    while i < n:
        char = html[i]
        if char == ">":
            return None
        if char == "=":
            is_id = html[i - 3 : i] == " id"
            i += 1
            quote = html[i] if i < n else ""
            if quote in ("'", '"'):
                attr_start = i
                i += 1
                while i < n and html[i] != quote:
                    i += 1
                if is_id:
                    return html[attr_start + 1 : i]
        i += 1
    return None


def root_id(html: str) -> str | None:
    """The ``id`` of the first element of ``html`` as the client reads it (None if none)."""
    found = _LOOKAHEAD.match(html)
    return None if found is None else _scan_id(html, found.end())


def modify_root(
    html: str, attrs: RootAttrs, clear_inner_html: bool = False
) -> tuple[str, str, str]:
    """``(root element, text before it, text after it)`` with ``attrs`` injected.

    With ``clear_inner_html`` the element becomes an empty shell keeping only its ``id``.
    """
    found = _LOOKAHEAD.match(html)
    if found is None:
        raise MalformedRoot(f"malformed html {html}")
    before, tag = found.group(1), found.group(2)
    tag_name_ends_at = found.end()
    element_id = _scan_id(html, tag_name_ends_at)

    close_at = len(html) - 1
    inside_comment = False
    while close_at >= len(before) + len(tag):
        char = html[close_at]
        if inside_comment:
            if char == "-" and html[close_at - 3 : close_at] == "<!-":
                inside_comment = False
                close_at -= 4
            else:
                close_at -= 1
        elif char == ">" and html[close_at - 2 : close_at] == "--":
            inside_comment = True
            close_at -= 3
        elif char == ">":
            break
        else:
            close_at -= 1
    after = html[close_at + 1 :]

    attrs_str = " ".join(
        name if value is True else f'{name}="{_js_string(value)}"' for name, value in attrs.items()
    )
    sep = "" if attrs_str == "" else " "
    if clear_inner_html:
        id_attr = f' id="{element_id}"' if element_id else ""
        if tag in VOID_TAGS:
            new_html = f"<{tag}{id_attr}{sep}{attrs_str}/>"
        else:
            new_html = f"<{tag}{id_attr}{sep}{attrs_str}></{tag}>"
    else:
        new_html = f"<{tag}{sep}{attrs_str}{html[tag_name_ends_at : close_at + 1]}"
    return new_html, before, after


def _js_string(value: str | int | bool) -> str:
    if value is False:
        return "false"
    return str(value)
