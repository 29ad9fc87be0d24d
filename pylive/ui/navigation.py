"""Navigation: ``pagination`` (live patch links) and ``breadcrumb``."""

from __future__ import annotations

from typing import Any

from htpy import Element, a, li, nav, ol, span, ul

from pylive.html.compiler import Slot, component, render_slot
from pylive.html.links import link
from pylive.ui.icon import icon

__all__ = ["Crumb", "breadcrumb", "page_window", "pagination"]


def page_window(page: int, pages: int, around: int = 1) -> list[int | None]:
    """The page numbers to show: the first, the last, ``around`` pages each side of ``page``;
    ``None`` where pages are left out."""
    shown = sorted({1, pages, *range(page - around, page + around + 1)} & set(range(1, pages + 1)))
    result: list[int | None] = []
    for number in shown:
        if result and number - (result[-1] or 0) > 1:
            result.append(None)
        result.append(number)
    return result


@component
def pagination(
    *,
    page: int,
    pages: int,
    href: str,
    label: str = "Pagination",
    around: int = 1,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """Links to the pages of a list; each is a live patch (``handle_params`` gets the page).
    On the first and last page, "previous" and "next" are links without ``href``, marked
    ``aria-disabled``.

    Attributes:
        page: the current page (1-based).
        pages: how many pages there are.
        href: the URL of a page, ``{page}`` standing for its number (``"/users?page={page}"``).
        label: the navigation landmark's accessible name.
        around: how many page links to show each side of the current one.
    """
    return nav(class_=["ui-pagination", class_], aria_label=label, **attrs)[
        ul[
            li[
                link(".ui-page-prev", patch=href.format(page=page - 1), aria_label="Previous page")[
                    icon("chevron-left", size=16)
                ]
                if page > 1
                else a(
                    ".ui-page-prev", role="link", aria_disabled="true", aria_label="Previous page"
                )[icon("chevron-left", size=16)]
            ],
            [
                li[
                    span(".ui-page-gap")["…"]
                    if number is None
                    else link(
                        ".ui-page",
                        patch=href.format(page=number),
                        aria_current="page" if number == page else None,
                        aria_label=f"Page {number}",
                    )[str(number)]
                ]
                for number in page_window(page, pages, around)
            ],
            li[
                link(".ui-page-next", patch=href.format(page=page + 1), aria_label="Next page")[
                    icon("chevron-right", size=16)
                ]
                if page < pages
                else a(".ui-page-next", role="link", aria_disabled="true", aria_label="Next page")[
                    icon("chevron-right", size=16)
                ]
            ],
        ]
    ]


class Crumb(Slot):
    """One step of the path: a live link (``navigate``, or ``patch``), none for the last."""

    navigate: str | None = None
    patch: str | None = None


@component
def breadcrumb(
    *, crumb: list[Crumb], label: str = "Breadcrumb", class_: str | None = None, **attrs: Any
) -> Element:
    """Where the page is: links to its ancestors, the page itself last (``aria-current``).

    Attributes:
        crumb: the steps, outermost first (``Crumb(navigate="/")["Home"]``).
        label: the navigation landmark's accessible name.
    """
    return nav(class_=["ui-breadcrumb", class_], aria_label=label, **attrs)[
        ol[
            [
                li[
                    span(aria_current="page")[render_slot(entry)]
                    if index == len(crumb) - 1
                    else link(navigate=entry.navigate, patch=entry.patch)[render_slot(entry)]
                ]
                for index, entry in enumerate(crumb)
            ]
        ]
    ]
