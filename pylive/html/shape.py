"""Building one template: its statics, the values between them, and whether it is one element.

Shared by the runtime walker (values are slot contents) and the compiler (values are slots).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pylive.html import adapter
from pylive.rendered import Template, template

__all__ = ["ShapeBuilder"]

T = TypeVar("T")


class ShapeBuilder(Generic[T]):
    """Accumulates static text and slot values; ``shape()`` interns the statics.

    The template is a single element (eligible for ``"r": 1``) when exactly one element and
    nothing else sits at its top level.
    """

    __slots__ = ("buf", "depth", "other", "statics", "top_elements", "values")

    def __init__(self) -> None:
        self.statics: list[str] = []
        self.values: list[T] = []
        self.buf: list[str] = []
        self.depth = 0
        self.top_elements = 0
        self.other = False

    def text(self, s: str) -> None:
        """Static text (markup) at the current position."""
        self.buf.append(s)
        if self.depth == 0 and s:
            self.other = True

    def slot(self, value: T) -> None:
        """A dynamic position holding ``value``."""
        self.statics.append("".join(self.buf))
        self.buf = []
        self.values.append(value)
        if self.depth == 0:
            self.other = True

    def open_element(self, el: Any, name: str) -> None:
        """``<name`` (after the doctype of ``html``); attributes and ``>`` come next."""
        if self.depth == 0:
            self.top_elements += 1
        if isinstance(el, adapter.HTMLElement):
            self.other = self.other or self.depth == 0
            self.buf.append("<!doctype html>")
        self.buf.append("<" + name)
        self.depth += 1

    def close_element(self, name: str | None) -> None:
        """``</name>``, or nothing for a void element (``name=None``)."""
        if name is not None:
            self.buf.append(f"</{name}>")
        self.depth -= 1

    def shape(self) -> Template:
        """The interned template of everything added (call once, at the end)."""
        self.statics.append("".join(self.buf))
        return template(self.statics, self.top_elements == 1 and not self.other)
