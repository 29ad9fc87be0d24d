"""Gallery pages of pagination and breadcrumb."""

from __future__ import annotations

from typing import Any

from htpy import Node, div, li, ol, p

from gallery.components.page import ComponentPage
from pylive import Assigns, Socket
from pylive.ui import Crumb, breadcrumb, pagination

PER_PAGE = 5
ITEMS = [f"Item {n}" for n in range(1, 48)]
PAGES = (len(ITEMS) + PER_PAGE - 1) // PER_PAGE


def example_pagination(assigns: Assigns) -> Node:
    """Pages of a list

    Each link is a live patch: ``handle_params`` reads ``?page=`` and the list changes
    without a page load; the back button goes to the previous page."""
    start = (assigns.page - 1) * PER_PAGE
    return div(".stack")[
        ol(id="paged-items", start=str(start + 1))[
            [li[item] for item in ITEMS[start : start + PER_PAGE]]
        ],
        pagination(page=assigns.page, pages=PAGES, href="/components/pagination?page={page}"),
    ]


class PaginationPage(ComponentPage):
    name = "pagination"
    title = "Pagination"
    summary = "Links to the pages of a list, as live patches."
    examples = (example_pagination,)
    components = (pagination,)

    async def setup(self, socket: Socket) -> None:
        socket.assign(page=1)

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        try:
            page = int(params.get("page", 1))
        except ValueError:
            page = 1
        socket.assign(page=max(1, min(PAGES, page)))


def example_breadcrumb(assigns: Assigns) -> Node:
    """Where a page is

    Live links to the ancestors; the last step is the page itself (``aria-current``)."""
    return div[
        breadcrumb(
            label="Example breadcrumb",
            crumb=[
                Crumb(navigate="/")["Gallery"],
                Crumb(navigate="/components/card")["Components"],
                Crumb()["Breadcrumb"],
            ],
        ),
        p(".hint")["This page's own breadcrumb, at the top, is the same component."],
    ]


class BreadcrumbPage(ComponentPage):
    name = "breadcrumb"
    title = "Breadcrumb"
    summary = "The path to the current page, as links."
    examples = (example_breadcrumb,)
    components = (breadcrumb,)
