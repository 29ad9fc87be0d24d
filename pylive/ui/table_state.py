"""The state of a ``data_table`` that lives in the URL and on the server.

``TableParams`` reads ``?sort=name&dir=desc&page=2`` in ``handle_params``: a value it cannot
use (an unknown column, a direction other than ``asc``/``desc``, a page that is not a number
or is out of range) falls back to the default, so a hand-edited or stale URL never crashes the
view. It writes the URLs of the table's header buttons and of its pagination, keeping the
page's other query parameters (filters), and it sorts and slices a list in memory.

``Selection`` is the set of selected row keys, kept in an assign: the table's checkboxes send
its event, ``Selection.toggle(params)`` applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = ["Direction", "Selection", "TableParams"]

T = TypeVar("T")

Direction = Literal["asc", "desc"]

SORT, DIR, PAGE = "sort", "dir", "page"
"""The query parameters a table owns."""


def _page(value: Any) -> int:
    """A 1-based page number from a query value; 1 when it is not one."""
    text = value if isinstance(value, str) else ""
    return max(1, int(text)) if text.isascii() and text.isdigit() and len(text) < 10 else 1


@dataclass(frozen=True, slots=True)
class TableParams:
    """Sort column, direction and page of a table, read from the URL.

    Build it with ``TableParams.parse`` in ``handle_params``; give it to ``data_table(params=)``.
    """

    path: str
    """The page's path, which the table's links patch (``/users``)."""
    sort: str | None = None
    """The key of the column sorted by, or None."""
    direction: Direction = "asc"
    page: int = 1
    """The page shown (1-based, within ``1..pages``)."""
    per_page: int = 20
    total: int = 0
    """How many rows there are, on every page."""
    keep: tuple[tuple[str, str], ...] = ()
    """The URL's other query parameters, kept in the links the table writes."""

    @classmethod
    def parse(
        cls,
        params: Mapping[str, Any],
        uri: str,
        *,
        total: int,
        sortable: Iterable[str] = (),
        sort: str | None = None,
        direction: Direction = "asc",
        per_page: int = 20,
    ) -> TableParams:
        """The table's state from ``handle_params``' ``params`` and ``uri``.

        ``total`` is the number of rows; ``sortable`` the column keys the URL may sort by (a
        mapping of keys works too); ``sort`` and ``direction`` the defaults; ``per_page`` the
        rows on a page. Bad values fall back to the defaults; the page is kept in range.
        """
        if per_page < 1:
            raise ValueError(f"per_page must be at least 1, got {per_page!r}")
        if total < 0:
            raise ValueError(f"total must not be negative, got {total!r}")
        keys = set(sortable)
        if sort is not None and sort not in keys:
            raise ValueError(f"the default sort {sort!r} is not one of sortable {sorted(keys)}")
        wanted = params.get(SORT)
        chosen = wanted if isinstance(wanted, str) and wanted in keys else sort
        given = params.get(DIR)
        way: Direction = given if given in ("asc", "desc") else direction
        split = urlsplit(uri)
        keep = tuple(
            (name, value)
            for name, value in parse_qsl(split.query, keep_blank_values=True)
            if name not in (SORT, DIR, PAGE)
        )
        state = cls(split.path or "/", chosen, way, 1, per_page, total, keep)
        return replace(state, page=min(_page(params.get(PAGE)), state.pages))

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        """The index of the page's first row (for a database's ``OFFSET``)."""
        return (self.page - 1) * self.per_page

    @property
    def descending(self) -> bool:
        return self.direction == "desc"

    def href(
        self, *, sort: str | None = None, direction: Direction | None = None, page: int = 1
    ) -> str:
        """The URL of the table with this sort (default: the current one) at ``page``."""
        query: list[tuple[str, str]] = list(self.keep)
        key = sort or self.sort
        if key is not None:
            query += [(SORT, key), (DIR, direction or self.direction)]
        if page != 1:
            query.append((PAGE, str(page)))
        return f"{self.path}?{urlencode(query)}" if query else self.path

    def sort_href(self, key: str) -> str:
        """Where a click on column ``key``'s header goes: its first page, sorted ascending, or
        the other way round when it is already sorted by ``key``."""
        if key == self.sort:
            return self.href(sort=key, direction="asc" if self.descending else "desc")
        return self.href(sort=key, direction="asc")

    def page_href(self) -> str:
        """The URL of a page in ``pagination``'s form: ``{page}`` stands for its number."""
        base = self.href()
        return base + ("&" if "?" in base else "?") + PAGE + "={page}"

    def aria_sort(self, key: str) -> Literal["ascending", "descending"] | None:
        """The ``aria-sort`` of column ``key``'s header: set on the sorted column only."""
        if key != self.sort:
            return None
        return "descending" if self.descending else "ascending"

    def rows(self, items: Sequence[T], keys: Mapping[str, Callable[[T], Any]]) -> list[T]:
        """The rows of the page: ``items`` sorted by ``keys[sort]`` (a function of an item
        giving what to compare), then sliced. For a database, use ``sort``, ``descending``,
        ``offset`` and ``per_page`` in the query instead."""
        ordered: Sequence[T] = items
        if self.sort is not None and self.sort in keys:
            ordered = sorted(items, key=keys[self.sort], reverse=self.descending)
        return list(ordered[self.offset : self.offset + self.per_page])


@dataclass(frozen=True, slots=True)
class Selection:
    """The keys of the selected rows, and of those shown now (the page).

    The selection outlives the page: rows picked on page 1 stay selected on page 2.
    """

    selected: frozenset[str] = frozenset()
    shown: tuple[str, ...] = ()

    def showing(self, keys: Iterable[Any]) -> Selection:
        """The same selection with ``keys`` (made strings) as the rows on the page."""
        return replace(self, shown=tuple(str(key) for key in keys))

    def toggle(self, params: Mapping[str, Any]) -> Selection:
        """Apply the table's select event: ``{"key": k}`` selects or deselects the row ``k``
        shown; ``{"all": ...}`` selects every row shown, or deselects them when all are
        selected. Anything else changes nothing."""
        if "all" in params:
            if self.state == "true":
                return replace(self, selected=self.selected - set(self.shown))
            return replace(self, selected=self.selected | set(self.shown))
        key = params.get("key")
        if not isinstance(key, str) or key not in self.shown:
            return self
        return replace(self, selected=self.selected ^ {key})

    def clear(self) -> Selection:
        """Nothing selected."""
        return replace(self, selected=frozenset())

    @property
    def state(self) -> Literal["true", "false", "mixed"]:
        """The select-all box's ``aria-checked``: every row shown selected, none, or some."""
        picked = sum(key in self.selected for key in self.shown)
        if picked == 0:
            return "false"
        return "true" if picked == len(self.shown) else "mixed"

    @property
    def count(self) -> int:
        """How many rows are selected (on every page)."""
        return len(self.selected)

    def __contains__(self, key: object) -> bool:
        return str(key) in self.selected
