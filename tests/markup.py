"""Reading rendered HTML in tests: parse a node or a page, find one element, its attributes."""

from __future__ import annotations

from typing import Any

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

__all__ = ["attrs", "one", "parse"]


def parse(node: Any) -> HTMLParser:
    """The HTML of ``node`` (an htpy node, a ``Rendered``'s HTML, a page's text), parsed."""
    return HTMLParser(str(node))


def one(tree: HTMLParser | LexborNode, selector: str) -> LexborNode:
    """The first element matching ``selector``, which must exist."""
    node = tree.css_first(selector)
    assert node is not None, selector
    return node


def attrs(tree: HTMLParser | LexborNode, selector: str) -> dict[str, str | None]:
    """Attributes of the first element matching ``selector`` (which must exist)."""
    return one(tree, selector).attributes
