"""Errors pylive raises on bad input, each naming what was wrong and where."""

from __future__ import annotations


class PyliveError(Exception):
    """Base class of every error pylive raises itself."""


class RenderError(PyliveError):
    """A template produced something that cannot be rendered (the message names the node)."""


class NoEventHandler(PyliveError, NotImplementedError):
    """An event reached a LiveView or LiveComponent that does not define ``handle_event``.

    The channel answers the event with an error reply and logs it; the view keeps running."""
