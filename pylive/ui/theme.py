"""``theme_switch``: a button switching the page between the light and dark themes.

It dispatches ``ui:theme`` (a JS command, no round trip); ``pylive-ui.js`` flips
``data-theme`` on ``<html>`` between ``light`` and ``dark``, remembers the choice in the
``pylive-ui-theme`` cookie (``THEME_COOKIE``) and keeps the button's ``aria-pressed`` (pressed:
dark) in step. The layout renders the choice, ``Page.ui_theme``, on ``<html data-theme>``, so a
page paints in it from the first frame. Without a choice the stylesheet follows the system's
``prefers-color-scheme``.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, span

from pylive.html.compiler import component
from pylive.js import JS
from pylive.ui.icon import icon

__all__ = ["THEME_COOKIE", "theme_switch"]

THEME_COOKIE = "pylive-ui-theme"
"""The cookie ``pylive-ui.js`` keeps the chosen theme in (``light`` or ``dark``)."""


@component
def theme_switch(
    *,
    id: str = "ui-theme-switch",
    label: str = "Dark theme",
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """The switch.

    Attributes:
        id: the button's id.
        label: its accessible name (a toggle button: pressed means dark).
    """
    return button(
        class_=["ui-btn", "ui-btn-ghost", "ui-btn-sm", "ui-theme-switch", class_],
        type="button",
        aria_pressed="false",
        aria_label=label,
        phx_click=JS().dispatch("ui:theme"),
        id=id,
        **attrs,
    )[span(".ui-theme-light")[icon("moon")], span(".ui-theme-dark")[icon("sun")]]
