"""Loading states: ``spinner``, ``skeleton``, and ``async_result`` for ``AsyncResult`` assigns.

``async_result`` is Phoenix's ``<.async_result>``: while the work runs it shows its ``loading``
slot (a skeleton by default), when it failed its ``failed`` slot (called with the exception),
and when it is done its children, called with the result. While a finished result reloads, the
previous result stays on screen.
"""

from __future__ import annotations

from typing import Any, Literal

from htpy import Element, Node, div, span

from pylive.effects import AsyncResult
from pylive.html.compiler import Slot, component, render_slot

__all__ = ["async_result", "skeleton", "spinner"]


@component
def spinner(
    *,
    size: Literal["sm", "md", "lg"] = "md",
    label: str | None = "Loading…",
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A spinning ring; a ``role="status"`` region announcing ``label``.

    Attributes:
        size: ``sm``, ``md`` or ``lg``.
        label: the text assistive technology announces (visually hidden); ``None`` for a
            decorative spinner (``aria-hidden``), when the text next to it says it all.
    """
    return span(
        class_=["ui-spinner", f"ui-spinner-{size}", class_],
        role="status" if label else None,
        aria_hidden=None if label else "true",
        **attrs,
    )[span(".ui-spinner-ring", aria_hidden="true"), span(".ui-visually-hidden")[label]]


@component
def skeleton(
    *,
    lines: int = 3,
    shape: Literal["text", "block", "circle"] = "text",
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """Grey placeholders where content will appear, hidden from assistive technology (say
    "loading" elsewhere, e.g. with ``aria-busy`` on the region).

    Attributes:
        lines: how many text lines (``shape="text"``).
        shape: ``text`` lines, one ``block``, or a ``circle`` (an avatar).
    """
    return div(class_=["ui-skeleton", f"ui-skeleton-{shape}", class_], aria_hidden="true", **attrs)[
        [span(".ui-skeleton-line") for _ in range(lines if shape == "text" else 1)]
    ]


@component
def async_result(
    *,
    assign: AsyncResult[Any],
    loading: list[Slot] | None = None,
    failed: list[Slot] | None = None,
    class_: str | None = None,
    children: Node = None,
    **attrs: Any,
) -> Element:
    """What an ``AsyncResult`` assign holds, in a region marked ``aria-busy`` while loading.

    Attributes:
        assign: the ``AsyncResult`` (from ``socket.assign_async``).
        loading: shown while it loads and there is no previous result (default: a skeleton).
        failed: shown when it failed; content that is a function gets the exception.
        children: the result: a function of it (``[lambda org: org.name]``) or plain content.
    """
    show_result = assign.ok or (assign.loading and assign.result is not None)
    return div(
        class_=["ui-async", class_],
        aria_busy="true" if assign.loading else "false",
        **attrs,
    )[
        render_slot(children, assign.result)
        if show_result
        else (render_slot(failed, assign.reason) if failed else _failed())
        if assign.failed
        else (render_slot(loading) if loading else skeleton())
    ]


def _failed() -> Element:
    return div(".ui-alert.ui-alert-danger", role="alert")["Could not load this."]
