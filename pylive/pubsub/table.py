"""The presence table: who is tracked under which key of which topic, on which node.

A pure data structure (no I/O): the hub (``pylive.pubsub.hub``) feeds it local tracks and the
joins, leaves and snapshots other processes publish, and turns what changed into
``PresenceDiff`` messages. Every entry (one ``track`` call) has a unique ``phx_ref`` in its
meta, as in Phoenix.Presence, so that applying the same join twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Changes", "PresenceDiff", "PresenceTable"]

Presences = dict[str, dict[str, list[dict[str, Any]]]]
"""``{key: {"metas": [meta, ...]}}``: what ``list(topic)`` returns and a diff's joins/leaves."""


@dataclass(frozen=True, slots=True)
class PresenceDiff:
    """Who joined and who left ``topic``, delivered to its subscribers' ``handle_info`` (the
    ``presence_diff`` of Phoenix.Presence): ``joins`` and ``leaves`` map each key to
    ``{"metas": [...]}``, only the metas that came or went."""

    topic: str
    joins: Presences
    leaves: Presences


@dataclass(slots=True)
class _Entry:
    node: str
    topic: str
    key: str
    meta: dict[str, Any]
    owner: str | None  # the local member that tracked it (None: another process's)


@dataclass
class Changes:
    """Joins and leaves per topic, collected while applying updates."""

    joins: dict[str, Presences] = field(default_factory=dict)
    leaves: dict[str, Presences] = field(default_factory=dict)

    def add(self, side: dict[str, Presences], entry: _Entry) -> None:
        metas = side.setdefault(entry.topic, {}).setdefault(entry.key, {"metas": []})["metas"]
        metas.append(entry.meta)

    def diffs(self) -> list[PresenceDiff]:
        topics = dict.fromkeys([*self.joins, *self.leaves])
        return [PresenceDiff(t, self.joins.get(t, {}), self.leaves.get(t, {})) for t in topics]


class PresenceTable:
    """Every known entry, by ``phx_ref``."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._topics: dict[str, dict[str, dict[str, _Entry]]] = {}  # topic → key → ref → entry

    def add(
        self,
        changes: Changes,
        node: str,
        topic: str,
        key: str,
        meta: dict[str, Any],
        owner: str | None = None,
    ) -> None:
        """Add an entry (its ``meta`` holds its ``phx_ref``) unless it is known already."""
        ref = meta["phx_ref"]
        if ref in self._entries:
            return
        entry = _Entry(node, topic, key, meta, owner)
        self._entries[ref] = entry
        self._topics.setdefault(topic, {}).setdefault(key, {})[ref] = entry
        changes.add(changes.joins, entry)

    def remove(self, changes: Changes, refs: Iterable[str]) -> None:
        """Remove the entries of ``refs`` (unknown ones are ignored)."""
        for ref in list(refs):
            entry = self._entries.pop(ref, None)
            if entry is None:
                continue
            keys = self._topics[entry.topic]
            del keys[entry.key][ref]
            if not keys[entry.key]:
                del keys[entry.key]
                if not keys:
                    del self._topics[entry.topic]
            changes.add(changes.leaves, entry)

    def refs(
        self,
        *,
        node: str | None = None,
        owner: str | None = None,
        topic: str | None = None,
        key: str | None = None,
    ) -> list[str]:
        """The refs of the entries matching every filter given."""
        return [
            ref
            for ref, e in self._entries.items()
            if (node is None or e.node == node)
            and (owner is None or e.owner == owner)
            and (topic is None or e.topic == topic)
            and (key is None or e.key == key)
        ]

    def replace_node(self, changes: Changes, node: str, snapshot: Mapping[str, Any]) -> None:
        """Make ``node``'s entries exactly ``snapshot`` (``{topic: {key: [meta, ...]}}``)."""
        wanted: dict[str, tuple[str, str, dict[str, Any]]] = {}
        for topic, keys in snapshot.items():
            for key, metas in keys.items():
                for meta in metas:
                    wanted[meta["phx_ref"]] = (topic, key, meta)
        self.remove(changes, [r for r in self.refs(node=node) if r not in wanted])
        for topic, key, meta in wanted.values():
            self.add(changes, node, topic, key, meta)

    def snapshot(self, node: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """``node``'s entries as ``{topic: {key: [meta, ...]}}``."""
        out: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for entry in self._entries.values():
            if entry.node == node:
                out.setdefault(entry.topic, {}).setdefault(entry.key, []).append(entry.meta)
        return out

    def nodes(self) -> set[str]:
        """The nodes that have entries."""
        return {e.node for e in self._entries.values()}

    def list(self, topic: str) -> Presences:
        """``{key: {"metas": [meta, ...]}}`` for ``topic``, metas in the order they joined."""
        return {
            key: {"metas": [dict(e.meta) for e in refs.values()]}
            for key, refs in self._topics.get(topic, {}).items()
        }
