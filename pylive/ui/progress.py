"""``progress_bar``: how far a task has got (``role="progressbar"``)."""

from __future__ import annotations

from typing import Any, Literal

from htpy import Element, div, span

from pylive.html.compiler import component

__all__ = ["progress_bar"]


@component
def progress_bar(
    *,
    value: float,
    label: str,
    max: float = 100,
    tone: Literal["info", "success", "warning", "danger"] = "info",
    show_value: bool = True,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A progress bar with its label and percentage.

    Attributes:
        value: how much is done, from 0 to ``max``.
        label: what is progressing (the bar's accessible name, shown above it).
        max: the value when done.
        tone: its colour: ``info``, ``success``, ``warning`` or ``danger``.
        show_value: show the percentage next to the label.
    """
    percent = round(100 * min(max, value if value > 0 else 0) / max) if max > 0 else 0
    return div(class_=["ui-progress", f"ui-progress-{tone}", class_], **attrs)[
        div(".ui-progress-label")[
            span[label], span(".ui-progress-value")[f"{percent}%"] if show_value else None
        ],
        div(
            ".ui-progress-track",
            role="progressbar",
            aria_label=label,
            aria_valuemin="0",
            aria_valuemax=str(max),
            aria_valuenow=str(value),
            aria_valuetext=f"{percent}%",
        )[div(".ui-progress-fill", style=f"width: {percent}%")],
    ]
