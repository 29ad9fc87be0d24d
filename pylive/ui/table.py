"""``data_table``: the WAI-ARIA APG sortable table, with pages and row selection.

The table is named by its ``<caption>``. A sortable column's header holds a button; a click
(or Enter, Space) is a live patch (``JS().patch``) to the URL of the new order, so
``handle_params`` reads it with ``TableParams.parse``, and back and forward work. The sorted
header carries ``aria-sort``. Below, the existing ``pagination`` links keep the sort.

With a ``selection``, each row starts with a labelled checkbox and the header with a
select-all box (a ``role="checkbox"`` button, whose ``aria-checked="mixed"`` needs no script);
both send the ``on_select`` event, which ``Selection.toggle`` applies; a ``role="status"``
line announces how many rows are selected. ``rows`` may be a stream (``socket.stream``): the
body is then ``phx-update="stream"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from htpy import Element, Node, button, div, input, p, span, table, tbody, td, th, thead, tr
from htpy import caption as caption_element

from pylive.html.compiler import Slot, component, render_slot
from pylive.js import JS
from pylive.streams import Stream, item_id
from pylive.ui.icon import icon
from pylive.ui.navigation import pagination
from pylive.ui.table_state import Selection, TableParams

__all__ = ["Column", "data_table"]


class Column(Slot):
    """One column: its header ``label``, and the cell in brackets, a function of the row's
    item (``Column(label="Name", key="name", sortable=True)[lambda user: user.name]``).
    A sortable column needs ``key``, its name in the URL (``?sort=name``)."""

    label: str
    key: str | None = None
    sortable: bool = False
    align: Literal["start", "end"] = "start"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.sortable and not self.key:
            raise TypeError(f"Column {self.label!r}: a sortable column needs key=...")


def _row_key(item: Any) -> str:
    """The item's ``id`` attribute (or ``"id"`` key), as a string."""
    key = item_id(item)
    if key is None:
        raise TypeError(f"data_table(): row {item!r} has no id; give the table row_key=...")
    return str(key)


def _selected_text(count: int) -> str:
    if count == 0:
        return "No rows selected"
    return f"{count} row{'' if count == 1 else 's'} selected"


def _header(entry: Column, params: TableParams | None) -> Element:
    align = "ui-table-end" if entry.align == "end" else None
    if not entry.sortable:
        return th(scope="col", class_=align)[entry.label]
    if params is None or entry.key is None:
        raise TypeError(f"data_table(): column {entry.label!r} is sortable; give params=...")
    state = params.aria_sort(entry.key)
    arrow = "chevron-down" if state == "descending" else "chevron-up"
    return th(scope="col", class_=align, aria_sort=state)[
        button(".ui-table-sort", type="button", phx_click=JS().patch(params.sort_href(entry.key)))[
            entry.label,
            span(class_=["ui-table-sort-icon", None if state else "ui-table-unsorted"])[
                icon(arrow, size=16)
            ],
        ]
    ]


@component
def data_table(
    *,
    id: str,
    caption: str,
    rows: Iterable[Any],
    column: list[Column],
    params: TableParams | None = None,
    selection: Selection | None = None,
    on_select: str = "select",
    row_key: Callable[[Any], Any] | None = None,
    row_label: Callable[[Any], str] | None = None,
    action: list[Slot] | None = None,
    action_label: str = "Actions",
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A table of ``rows``, sortable, paged and selectable.

    Attributes:
        id: the table's id (its caption, body and rows get ids derived from it).
        caption: the table's caption, which names it.
        rows: the items, one per row; or a stream of them (``assigns.users`` after
            ``socket.stream("users", ...)``).
        column: the columns (``Column(label=...)[lambda item: cell]``).
        params: the sort and page, from ``TableParams.parse``; needed by sortable columns
            and for the pagination below the table.
        selection: the selected rows (a ``Selection``); without one, no checkboxes.
        on_select: the event the checkboxes send: ``{"key": row key}`` or ``{"all": "page"}``.
        row_key: a function of an item giving its key (default: its ``id``); a list's rows
            get the id ``{id}-row-{key}`` (a stream's rows, their DOM id).
        row_label: a function of an item naming its checkbox (default: "Select row KEY").
        action: cells after the columns, such as buttons (``Slot()[lambda item: ...]``).
        action_label: the (visually hidden) header of the actions column.
    """
    streamed = isinstance(rows, Stream)
    key_of = row_key or _row_key

    def cells(dom_id: str, item: Any) -> Element:
        key = str(key_of(item))
        label = row_label(item) if row_label else f"Select row {key}"
        return tr(id=dom_id)[
            td(".ui-table-select")[
                input(
                    ".ui-table-check",
                    type="checkbox",
                    checked=key in selection,
                    aria_label=label,
                    phx_click=on_select,
                    phx_value_key=key,
                )
            ]
            if selection is not None
            else None,
            [
                td(class_="ui-table-end" if entry.align == "end" else None)[
                    render_slot(entry, item)
                ]
                for entry in column
            ],
            td(".ui-table-actions")[render_slot(action, item)] if action else None,
        ]

    pairs: Iterable[tuple[str, Any]] = (
        rows if streamed else ((f"{id}-row-{key_of(item)}", item) for item in rows)
    )
    sortable = any(entry.sortable for entry in column)
    body: Node = [cells(dom_id, item) for dom_id, item in pairs]
    return div(id=id, class_=["ui-table", class_], **attrs)[
        p(".ui-table-status", id=f"{id}-status", role="status")[_selected_text(selection.count)]
        if selection is not None
        else None,
        div(".ui-table-scroll", role="region", aria_labelledby=f"{id}-caption", tabindex="0")[
            table(".ui-table-grid")[
                caption_element(id=f"{id}-caption")[
                    caption,
                    span(".ui-visually-hidden")[", column headers with buttons are sortable"]
                    if sortable
                    else None,
                ],
                thead[
                    tr[
                        th(".ui-table-select", scope="col")[
                            button(
                                ".ui-table-check-all",
                                type="button",
                                role="checkbox",
                                aria_checked=selection.state,
                                aria_label="Select all rows on this page",
                                phx_click=on_select,
                                phx_value_all="page",
                            )
                        ]
                        if selection is not None
                        else None,
                        [_header(entry, params) for entry in column],
                        th(scope="col")[span(".ui-visually-hidden")[action_label]]
                        if action
                        else None,
                    ]
                ],
                tbody(id=f"{id}-body", phx_update="stream" if streamed else None)[body],
            ]
        ],
        pagination(
            page=params.page,
            pages=params.pages,
            href=params.page_href(),
            label=f"Pages of {caption}",
        )
        if params is not None and params.pages > 1
        else None,
    ]
