"""``presence_list``: the people of ``presence.list(topic)`` (pylive's presence,
docs/pubsub.md): their avatars and names, each key once, and a count in a ``role="status"``
line, so that arrivals and departures are announced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from htpy import Element, li, p, section, span, ul

from pylive.html.compiler import component
from pylive.ui.avatar import avatar

__all__ = ["presence_list"]


@dataclass(frozen=True, slots=True)
class _Person:
    key: str
    name: str
    src: str | None
    tabs: int


def _text(meta: Mapping[str, Any], field: str) -> str | None:
    value = meta.get(field)
    return value if isinstance(value, str) and value else None


def _people(presences: Mapping[str, Any], name_key: str, avatar_key: str) -> list[_Person]:
    """Each present key once, by name: its name and picture from its first meta (the key
    when it has no name), and its number of metas (tabs)."""
    people = []
    for key, entry in presences.items():
        metas = entry.get("metas") if isinstance(entry, Mapping) else None
        metas = metas if isinstance(metas, list) and metas else [{}]
        first = metas[0] if isinstance(metas[0], Mapping) else {}
        name = _text(first, name_key) or str(key)
        people.append(_Person(str(key), name, _text(first, avatar_key), len(metas)))
    return sorted(people, key=lambda person: (person.name.casefold(), person.key))


def _count_text(count: int, noun: tuple[str, str]) -> str:
    return f"{count} {noun[0] if count == 1 else noun[1]} here"


@component
def presence_list(
    *,
    id: str,
    presences: Mapping[str, Any],
    label: str = "Who is here",
    me: str | None = None,
    name_key: str = "name",
    avatar_key: str = "avatar",
    max: int | None = None,
    noun: tuple[str, str] = ("person", "people"),
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """The people of a presence topic.

    Attributes:
        id: the list's id.
        presences: ``presence.list(topic)``: ``{key: {"metas": [meta, ...]}}``.
        label: the list's accessible name.
        me: the key of the person looking, marked "(you)".
        name_key: the meta field with a person's display name (the key without one).
        avatar_key: the meta field with a picture's URL (initials without one).
        max: show at most this many people, then "+N more".
        noun: the singular and plural of the count ("3 people here").
    """
    if max is not None and max < 1:
        raise ValueError(f"presence_list(): max must be at least 1, got {max!r}")
    people = _people(presences, name_key, avatar_key)
    shown = people if max is None else people[:max]
    hidden = len(people) - len(shown)
    return section(id=id, class_=["ui-presence", class_], aria_label=label, **attrs)[
        p(".ui-presence-count", id=f"{id}-count", role="status")[_count_text(len(people), noun)],
        ul(".ui-presence-people")[
            [
                li(".ui-presence-person", data_key=person.key)[
                    avatar(name=person.name, src=person.src, alt="", size="sm"),
                    span(".ui-presence-name")[person.name],
                    span(".ui-presence-me")[" (you)"] if person.key == me else None,
                    span(".ui-presence-tabs")[f" · {person.tabs} tabs"]
                    if person.tabs > 1
                    else None,
                ]
                for person in shown
            ],
            li(".ui-presence-more")[f"+{hidden} more"] if hidden else None,
        ],
    ]
