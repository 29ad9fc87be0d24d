"""``flash_group``: a view's flash messages, each an accessible alert the user can dismiss.

Like the flash of Phoenix's generated core components: each message has ``role="alert"`` and a
close button; clicking the message or the button sends the client's built-in ``lv:clear-flash``
event with ``phx-value-key`` set to the message's kind, which pylive handles by removing that
kind from the ``flash`` assign.
"""

from __future__ import annotations

from collections.abc import Mapping

from htpy import Element, button, div, p, path, section, svg

from pylive.html.compiler import component

__all__ = ["flash_group"]


@component
def flash_group(flash: Mapping[str, str], close_label: str = "Close") -> Element:
    """The messages of ``flash`` (the view's ``flash`` assign) in a polite live region.

    Each kind renders as ``<div id="flash-KIND" class="flash flash-KIND" role="alert">`` with
    the message in a ``<p>`` and a ``<button aria-label=close_label>`` (an SVG cross, no text)
    that clears it; the whole message is clickable too. Style it with those classes.
    """
    return section("#flash-group", aria_live="polite")[
        (
            div(
                id=f"flash-{kind}",
                class_=f"flash flash-{kind}",
                role="alert",
                phx_click="lv:clear-flash",
                phx_value_key=kind,
            )[
                p(".flash-message")[message],
                button(
                    ".flash-close",
                    type="button",
                    aria_label=close_label,
                    phx_click="lv:clear-flash",
                    phx_value_key=kind,
                )[
                    svg(
                        viewBox="0 0 16 16",
                        width="16",
                        height="16",
                        aria_hidden="true",
                        focusable="false",
                    )[path(d="M3 3l10 10M13 3L3 13", stroke="currentColor", stroke_width="2")]
                ],
            ]
            for kind, message in flash.items()
        )
    ]
