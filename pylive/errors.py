"""Errors pylive raises on bad input, each naming what was wrong and where."""

from __future__ import annotations


class PyliveError(Exception):
    """Base class of every error pylive raises itself."""


class RenderError(PyliveError):
    """A template produced something that cannot be rendered (the message names the node)."""
