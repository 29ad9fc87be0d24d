"""``avatar``: a person's picture (``<img>`` with ``alt``) or, without one, their initials on
a colour chosen from their name (the same name always gets the same colour), with an optional
status dot whose meaning is also written out for screen readers.
"""

from __future__ import annotations

import zlib
from typing import Any, Literal

from htpy import Element, img, span

from pylive.html.compiler import component

__all__ = ["TONES", "avatar", "initials"]

TONES = ("info", "success", "warning", "danger", "neutral")
"""The colours of initials (the toolkit's tones), picked from the name."""


def initials(name: str) -> str:
    """Up to two letters: the first of the first and of the last word (``"Ada Lovelace"`` →
    ``"AL"``); ``"?"`` for a name without letters or digits."""
    words = ["".join(c for c in word if c.isalnum()) for word in name.split()]
    words = [word for word in words if word]
    if not words:
        return "?"
    first, last = words[0], words[-1]
    return (first[0] + (last[0] if len(words) > 1 else "")).upper()


def _tone(name: str) -> str:
    return TONES[zlib.crc32(name.encode()) % len(TONES)]


@component
def avatar(
    *,
    name: str,
    src: str | None = None,
    alt: str | None = None,
    size: Literal["sm", "md", "lg"] = "md",
    status: Literal["online", "away", "busy", "offline"] | None = None,
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """A person's picture, or their initials.

    Attributes:
        name: who it is: the picture's text alternative, and where the initials come from.
        src: the picture's URL; without one, the initials are shown.
        alt: the text alternative when it is not ``name``; ``""`` when the name is written
            next to the avatar (it is then decoration).
        size: ``sm``, ``md`` or ``lg``.
        status: a dot for ``online``, ``away``, ``busy`` or ``offline``, with the word for
            screen readers.
    """
    text = name if alt is None else alt
    picture = (
        img(".ui-avatar-img", src=src, alt=text)
        if src
        else span(
            class_=["ui-avatar-initials", f"ui-avatar-tone-{_tone(name)}"],
            role="img" if text else None,
            aria_label=text or None,
            aria_hidden=None if text else "true",
        )[initials(name)]
    )
    return span(class_=["ui-avatar", f"ui-avatar-{size}", class_], **attrs)[
        picture,
        span(class_=["ui-avatar-status", f"ui-avatar-status-{status}"])[
            span(".ui-visually-hidden")[f" ({status})"]
        ]
        if status
        else None,
    ]
