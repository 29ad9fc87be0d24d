"""Querying rendered HTML with CSS selectors (selectolax's HTML5 parser, lexbor).

``Document`` parses a view's HTML once; ``Element`` is a read-only handle on one element with
what tests need: tag, attributes, text, HTML, sub-queries and ``closest``. Selection helpers
raise ``SelectorError`` (an ``AssertionError``, so it reads as a test failure) naming the
selector and what was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

__all__ = ["Document", "Element", "SelectorError", "TextFilter"]

TextFilter = str | re.Pattern[str] | None
"""Keep only elements whose text contains this string / matches this regex."""

_WS = re.compile(r"\s+")


class SelectorError(AssertionError):
    """A selector matched no element, or several where exactly one was required."""


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


class Element:
    """One element of a parsed document (a snapshot: later renders do not change it)."""

    __slots__ = ("_doc", "_node")

    def __init__(self, node: LexborNode, doc: Document) -> None:
        self._node = node
        self._doc = doc

    @property
    def tag(self) -> str:
        """Lower-case tag name."""
        return self._node.tag or ""

    @property
    def attrs(self) -> dict[str, str]:
        """Attributes as written (a boolean attribute has the value ``""``)."""
        return {k: "" if v is None else v for k, v in self._node.attributes.items()}

    def attr(self, name: str, default: str | None = None) -> str | None:
        """One attribute's value (``""`` for a boolean attribute), or ``default``."""
        attrs = self._node.attributes
        if name not in attrs:
            return default
        value = attrs[name]
        return "" if value is None else value

    def has_attr(self, name: str) -> bool:
        """Whether the attribute is present."""
        return name in self._node.attributes

    @property
    def id(self) -> str | None:
        """The ``id`` attribute."""
        return self.attr("id")

    @property
    def text(self) -> str:
        """The text content with whitespace collapsed (what a reader sees)."""
        return _collapse(self.raw_text)

    @property
    def raw_text(self) -> str:
        """The text content as in the document."""
        return self._node.text(deep=True, separator="", strip=False)

    @property
    def html(self) -> str:
        """The element's outer HTML (re-serialized by the parser)."""
        return self._node.html or ""

    @property
    def inner_html(self) -> str:
        """The element's inner HTML (re-serialized by the parser)."""
        return self._node.inner_html or ""

    @property
    def parent(self) -> Element | None:
        """The parent element, if it is inside the document body."""
        parent = self._node.parent
        if parent is None or parent.tag in (None, "body", "html", "-document"):
            return None
        return Element(parent, self._doc)

    def closest(self, selector: str) -> Element | None:
        """This element or its nearest ancestor matching ``selector``."""
        node: LexborNode | None = self._node
        while node is not None and node.tag not in ("body", "html", "-document"):
            if node.is_element_node and self._doc.matches(node, selector):
                return Element(node, self._doc)
            node = node.parent
        return None

    def matches(self, selector: str) -> bool:
        """Whether this element matches ``selector``."""
        return self._doc.matches(self._node, selector)

    def find_all(self, selector: str, text: TextFilter = None) -> list[Element]:
        """Descendants matching ``selector`` (and ``text``), in document order."""
        return _filter([Element(n, self._doc) for n in _css(self._node, selector)], text)

    def find(self, selector: str, text: TextFilter = None) -> Element | None:
        """The first descendant matching, or None."""
        found = self.find_all(selector, text)
        return found[0] if found else None

    def descendants(self) -> Iterator[Element]:
        """Every element below this one, in document order."""
        for node in self._node.traverse(include_text=False):
            if node is not self._node and node.mem_id != self._node.mem_id:
                yield Element(node, self._doc)

    @property
    def position(self) -> int:
        """Index of this element in a document-order walk (identifies it across two parses
        of documents with the same structure)."""
        return self._doc.position_of(self._node)

    @property
    def document(self) -> Document:
        """The document this element belongs to."""
        return self._doc

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Element) and other._node.mem_id == self._node.mem_id

    def __hash__(self) -> int:
        return hash(self._node.mem_id)

    def __repr__(self) -> str:
        html = self.html
        return f"<Element {html[:120]}{'…' if len(html) > 120 else ''}>"


class Document:
    """A parsed HTML fragment (a view's content)."""

    def __init__(self, html: str) -> None:
        self.source = html
        self._parser = LexborHTMLParser(f"<!DOCTYPE html><html><head></head><body>{html}</body>")
        body = self._parser.body
        assert body is not None
        self._body = body

    @property
    def root(self) -> Element:
        """The fragment's container (the ``<body>`` of the parse)."""
        return Element(self._body, self)

    def find_all(self, selector: str, text: TextFilter = None) -> list[Element]:
        """Elements matching ``selector`` (and ``text``), in document order."""
        return _filter([Element(n, self) for n in _css(self._body, selector)], text)

    def one(self, selector: str, text: TextFilter = None) -> Element:
        """The single element matching; ``SelectorError`` for none or several."""
        found = self.find_all(selector, text)
        if len(found) == 1:
            return found[0]
        what = f"{selector!r}" + ("" if text is None else f" with text {_describe(text)}")
        if not found:
            raise SelectorError(f"no element matches {what} in:\n{self.source}")
        listing = "\n".join(f"  {e.html[:200]}" for e in found[:10])
        raise SelectorError(f"{len(found)} elements match {what}, expected one:\n{listing}")

    def element_at(self, position: int) -> Element:
        """The element at a document-order position (see ``Element.position``)."""
        for n, node in enumerate(self._body.traverse(include_text=False)):
            if n == position:
                return Element(node, self)
        raise IndexError(position)

    def position_of(self, target: LexborNode) -> int:
        """Document-order position of ``target``."""
        for n, node in enumerate(self._body.traverse(include_text=False)):
            if node.mem_id == target.mem_id:
                return n
        raise ValueError("element is not in this document")

    def matches(self, node: LexborNode, selector: str) -> bool:
        """Whether ``node`` itself matches ``selector`` (in the context of this document)."""
        return any(found.mem_id == node.mem_id for found in _css(self._body, selector))

    def by_id(self, element_id: str) -> Element | None:
        """The first element with this id."""
        for node in self._body.traverse(include_text=False):
            if node.attributes.get("id") == element_id:
                return Element(node, self)
        return None

    @property
    def text(self) -> str:
        """All text, whitespace collapsed."""
        return _collapse(self._body.text(deep=True, separator="", strip=False))


def _css(node: LexborNode, selector: str) -> list[LexborNode]:
    try:
        return node.css(selector)
    except SelectolaxError as exc:
        raise ValueError(f"invalid CSS selector {selector!r}: {exc}") from None


def _filter(elements: list[Element], text: TextFilter) -> list[Element]:
    if text is None:
        return elements
    if isinstance(text, str):
        return [e for e in elements if text in e.text or text in e.raw_text]
    return [e for e in elements if text.search(e.raw_text) or text.search(e.text)]


def _describe(text: Any) -> str:
    return repr(text.pattern) if isinstance(text, re.Pattern) else repr(text)
