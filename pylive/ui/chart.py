"""``line_chart`` and ``bar_chart``: small SVG charts rendered on the server.

Give them new ``values`` and the page updates like any other markup: only the changed
coordinates travel. Each chart is an image (``role="img"``) named by its ``title``; its
``<desc>`` lists the values, for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from htpy import Element, desc, g, line, polyline, rect, svg, text
from htpy import title as svg_title

from pylive.html.compiler import component

__all__ = ["bar_chart", "line_chart"]

_PAD = 24


def _scale(values: Sequence[float], top: float | None) -> float:
    highest = top if top is not None else max([*values, 0.0])
    return highest if highest > 0 else 1.0


def _describe(values: Sequence[float], labels: Sequence[str] | None) -> str:
    names = labels or [str(i + 1) for i in range(len(values))]
    return "; ".join(f"{name}: {value:g}" for name, value in zip(names, values, strict=False))


def _axes(width: int, height: int, top: float) -> Element:
    return g(".ui-chart-axes", aria_hidden="true")[
        line(x1=str(_PAD), y1=str(height - _PAD), x2=str(width - 4), y2=str(height - _PAD)),
        line(x1=str(_PAD), y1="4", x2=str(_PAD), y2=str(height - _PAD)),
        text(x=str(_PAD - 4), y="12", text_anchor="end")[f"{top:g}"],
        text(x=str(_PAD - 4), y=str(height - _PAD), text_anchor="end")["0"],
    ]


def _points(values: Sequence[float], width: int, height: int, top: float) -> str:
    inner_w, inner_h = width - _PAD - 8, height - _PAD - 8
    step = inner_w / (len(values) - 1) if len(values) > 1 else 0
    return " ".join(
        f"{_PAD + 4 + i * step:.1f},{height - _PAD - inner_h * min(v, top) / top:.1f}"
        for i, v in enumerate(values)
    )


@component
def line_chart(
    *,
    values: Sequence[float],
    title: str,
    labels: Sequence[str] | None = None,
    max: float | None = None,
    width: int = 400,
    height: int = 160,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A line through ``values``, left to right.

    Attributes:
        values: the data points.
        title: what the chart shows (its accessible name).
        labels: a name per value, for the description (default: 1, 2, 3...).
        max: the top of the scale (default: the largest value).
        width: the drawing's width in SVG units (it scales to its container).
        height: its height.
    """
    top = _scale(values, max)
    return svg(
        class_=["ui-chart", "ui-chart-line", class_],
        viewBox=f"0 0 {width} {height}",
        role="img",
        aria_label=title,
        **attrs,
    )[
        svg_title[title],
        desc[_describe(values, labels)],
        _axes(width, height, top),
        polyline(".ui-chart-series", points=_points(values, width, height, top), fill="none"),
    ]


@component
def bar_chart(
    *,
    values: Sequence[float],
    title: str,
    labels: Sequence[str] | None = None,
    max: float | None = None,
    width: int = 400,
    height: int = 160,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A bar per value.

    Attributes:
        values: the data points.
        title: what the chart shows (its accessible name).
        labels: a name per value, for the description (default: 1, 2, 3...).
        max: the top of the scale (default: the largest value).
        width: the drawing's width in SVG units (it scales to its container).
        height: its height.
    """
    top = _scale(values, max)
    inner_w, inner_h = width - _PAD - 8, height - _PAD - 8
    slot = inner_w / len(values) if values else inner_w
    return svg(
        class_=["ui-chart", "ui-chart-bar", class_],
        viewBox=f"0 0 {width} {height}",
        role="img",
        aria_label=title,
        **attrs,
    )[
        svg_title[title],
        desc[_describe(values, labels)],
        _axes(width, height, top),
        g(".ui-chart-series")[
            [
                rect(
                    x=f"{_PAD + 4 + i * slot + slot * 0.15:.1f}",
                    y=f"{height - _PAD - inner_h * min(v, top) / top:.1f}",
                    width=f"{slot * 0.7:.1f}",
                    height=f"{inner_h * min(v, top) / top:.1f}",
                )
                for i, v in enumerate(values)
            ]
        ],
    ]
