"""Pydantic validation errors as per-field messages a person can read.

A ``ValidationError`` lists errors with a location (``("addresses", 0, "city")``) and a message.
``error_map`` keeps the location as a path of strings and ints relative to the form, and trims
the prefixes pydantic adds to messages of custom validators (``"Value error, "``).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

__all__ = ["ErrorMap", "Path", "error_map", "message"]

Path = tuple[str | int, ...]
"""Where an error is, from the form's root: ``("addresses", 0, "city")``; ``()`` is the form."""

ErrorMap = dict[Path, list[str]]

_PREFIXES = ("Value error, ", "Assertion failed, ")


def message(error: Any) -> str:
    """The message of one pydantic error (a dict of ``ValidationError.errors()``)."""
    if error.get("type") == "missing":
        return "This field is required"
    text = str(error.get("msg", "is invalid"))
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def error_map(error: ValidationError) -> ErrorMap:
    """Every message of ``error``, by path."""
    found: ErrorMap = {}
    for item in error.errors(include_url=False):
        path: Path = tuple(p if isinstance(p, int) else str(p) for p in item.get("loc", ()))
        found.setdefault(path, []).append(message(item))
    return found
