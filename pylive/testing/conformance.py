"""The check run on every diff: the client's merged HTML must equal the server's render.

The server renders the whole view to HTML with its own engine at the moment it computes a diff
(``probe``); the test client merges that diff with its port of the official client
(``client_tree``) and renders the result. Any difference is a bug in the diff engine or the
runtime — or in a LiveView that is not a pure function of its assigns — and fails the test
with both HTMLs, where they first differ, a line diff and the diff that was applied.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

import orjson

from pylive.testing.errors import DiffMismatch
from pylive.testing.probe import RenderRecord

__all__ = ["check_diff_matches", "check_html_matches"]

_CONTEXT = 80
_MAX_JSON = 4000


def check_diff_matches(
    where: str, received: Mapping[str, Any], record: RenderRecord | None
) -> RenderRecord:
    """The server's record for the diff just received: it must exist and be that diff."""
    if record is None:
        raise DiffMismatch(
            f"{where}: the client received a diff the server never reported rendering "
            f"(render probe missing or out of step):\n{_json(received)}"
        )
    if record.diff != received:
        raise DiffMismatch(
            f"{where}: the diff on the wire differs from the one the server computed\n"
            f"  wire:   {_json(received)}\n  server: {_json(record.diff)}"
        )
    return record


def check_html_matches(
    where: str, diff: Mapping[str, Any], client: str, record: RenderRecord
) -> None:
    """Raise ``DiffMismatch`` unless the client's HTML equals the server's fresh render.

    The session tokens of nested LiveViews' containers are compared masked: the fresh render
    signs its own (another key, another time)."""
    server = _mask_sessions(record.html)
    client = _mask_sessions(client)
    if client == server:
        return
    if client == record.sent_html:
        cause = (
            "the client shows what the diff encodes, but the view renders something else "
            "for these assigns: a change-tracking/compiler bug (or a render that is not a "
            "pure function of its assigns)"
        )
    elif server == record.sent_html:
        cause = "the diff does not bring the client to the server's render: a diff-engine bug"
    else:
        cause = "the client, the diff and the view's render all disagree"
    at = next(
        (i for i, (a, b) in enumerate(zip(client, server, strict=False)) if a != b),
        min(len(client), len(server)),
    )
    lines = difflib.unified_diff(
        _split_tags(server), _split_tags(client), "server render", "client after merge", n=2
    )
    raise DiffMismatch(
        f"{where}: after applying the diff, the client's HTML differs from the server's "
        f"full render at character {at} ({cause})\n"
        f"  server: …{server[max(0, at - _CONTEXT) : at + _CONTEXT]}…\n"
        f"  client: …{client[max(0, at - _CONTEXT) : at + _CONTEXT]}…\n"
        f"diff applied:\n{_json(diff)}\n"
        f"line diff:\n{''.join(lines)}\n"
        f"server HTML:\n{server}\n"
        f"client HTML:\n{client}"
    )


_NESTED_SESSION = re.compile(r'( data-phx-session=")[^"]+"')


def _mask_sessions(html: str) -> str:
    return _NESTED_SESSION.sub(r'\1(signed)"', html) if "data-phx-session" in html else html


def _split_tags(html: str) -> list[str]:
    return [part + "\n" for part in re.split(r"(?<=>)(?=<)", html)]


def _json(value: Any) -> str:
    text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    return text if len(text) <= _MAX_JSON else text[:_MAX_JSON] + "…"
