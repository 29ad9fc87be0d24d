"""``icon``: a small set of inline SVG icons (24 by 24, drawn with ``currentColor`` strokes).

An icon without ``label`` is decoration: ``aria-hidden="true"``, the text next to it says what
it means. With ``label`` it is an image with that accessible name (``role="img"``).
"""

from __future__ import annotations

from typing import Any, Literal

from htpy import Element, path, svg
from htpy import title as svg_title

from pylive.html.compiler import component

__all__ = ["ICONS", "IconName", "icon"]

IconName = Literal[
    "check",
    "x",
    "plus",
    "minus",
    "chevron-down",
    "chevron-up",
    "chevron-left",
    "chevron-right",
    "info",
    "alert",
    "menu",
    "search",
    "sun",
    "moon",
    "home",
    "user",
]

ICONS: dict[str, str] = {
    "check": "M5 12.5l4.5 4.5L19 7.5",
    "x": "M6 6l12 12M18 6L6 18",
    "plus": "M12 5v14M5 12h14",
    "minus": "M5 12h14",
    "chevron-down": "M6 9l6 6 6-6",
    "chevron-up": "M6 15l6-6 6 6",
    "chevron-left": "M15 6l-6 6 6 6",
    "chevron-right": "M9 6l6 6-6 6",
    "info": "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M12 11v6M12 7.5v.5",
    "alert": "M12 3.5L2.5 20h19zM12 10v4.5M12 17.5v.5",
    "menu": "M4 6.5h16M4 12h16M4 17.5h16",
    "search": "M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M15.5 15.5L20 20",
    "sun": "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8M12 2.5v2M12 19.5v2M2.5 12h2M19.5 12h2"
    "M5.3 5.3l1.4 1.4M17.3 17.3l1.4 1.4M5.3 18.7l1.4-1.4M17.3 6.7l1.4-1.4",
    "moon": "M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z",
    "home": "M4 11l8-7 8 7M6 9.5V20h4.5v-5h3v5H18V9.5",
    "user": "M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8M4.5 20a7.5 7.5 0 0 1 15 0",
}
"""Each icon's path data (the ``d`` of one ``<path>``), by name."""


@component
def icon(
    name: IconName,
    *,
    label: str | None = None,
    size: int = 20,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """An inline SVG icon.

    Attributes:
        name: which icon (see ``ICONS``).
        label: its accessible name; without one the icon is hidden from assistive technology.
        size: width and height in CSS pixels.
    """
    return svg(
        class_=["ui-icon", f"ui-icon-{name}", class_],
        viewBox="0 0 24 24",
        width=str(size),
        height=str(size),
        fill="none",
        stroke="currentColor",
        stroke_width="2",
        stroke_linecap="round",
        stroke_linejoin="round",
        focusable="false",
        role="img" if label else None,
        aria_label=label,
        aria_hidden=None if label else "true",
        **attrs,
    )[svg_title[label] if label else None, path(d=ICONS[name])]
