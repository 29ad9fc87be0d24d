"""What the test client reports: navigations away from a view, and failures (as exceptions).

Failures that mean "the server did something wrong" are ``AssertionError`` subclasses, so they
read as test failures; ``Redirected`` is a plain exception a test can expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "DiffMismatch",
    "JoinError",
    "NotALiveView",
    "Redirect",
    "Redirected",
    "ViewClosed",
    "ViewCrashed",
]


@dataclass(frozen=True)
class Redirect:
    """A navigation that leaves the current view.

    ``kind`` is ``"live_redirect"`` (live navigation: the next view joins on the same socket)
    or ``"redirect"`` (a full page load). ``to`` is what the server or the link said (a path,
    or an absolute URL for another site); ``flash`` is the flash it carries, decoded without
    checking its signature (empty when none).
    """

    kind: Literal["redirect", "live_redirect"]
    to: str
    replace: bool = False
    flash: dict[str, Any] = field(default_factory=dict)
    flash_token: str | None = None


class Redirected(Exception):
    """Opening a page did not give a LiveView: it redirected (``redirect`` says where)."""

    def __init__(self, redirect: Redirect) -> None:
        super().__init__(f"{redirect.kind} to {redirect.to}")
        self.redirect = redirect


class JoinError(AssertionError):
    """The server refused to join the view (``reason`` as in its reply)."""

    def __init__(self, response: Any) -> None:
        super().__init__(f"join refused: {response!r}")
        self.response = response


class NotALiveView(AssertionError):
    """The page (or a redirect target) is not a LiveView page."""


class ViewCrashed(AssertionError):
    """The LiveView crashed on the server; the cause (when the server logged it) is chained
    as ``__cause__`` and its traceback is in the message."""


class ViewClosed(AssertionError):
    """The view is gone (redirected, closed by the server, or the test left it)."""


class DiffMismatch(AssertionError):
    """After applying a diff, the client's HTML differs from the server's full render."""
