"""The server's side of every diff, observed in-process: what the client must show after it.

The test client checks each diff it applies against the server at the moment that diff was
computed — not when the frame arrives, since a busy view may already have moved on. So the
LiveView channel reports every render it sends to an observer:
``(topic, join_ref, diff, view, assigns, sent_html, components)``, where ``sent_html`` is the
HTML of the engine's tree after the diff (what the diff should bring the client to). The
recorder adds the ground truth: a fresh, side-effect-free render of ``view.render(assigns)``
through the walker (no compiled templates, no change tracking, no memo), each LiveComponent in
it rendered the same way from its current assigns, so a bug in the diff engine, the template
compiler or change tracking all show up as a mismatch.

The observer lives in a context variable that the test client sets only around starting the
app's WebSocket task, so it sees exactly the channels of its own connection (anyio tasks
inherit context variables), and concurrent tests never mix.

The seam is ``pylive.view_tree.render_observer``, a ``ContextVar`` the channel calls for every
render it sends.
"""

from __future__ import annotations

import contextvars
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import orjson

if TYPE_CHECKING:
    from pylive.component_registry import ComponentRegistry

__all__ = ["Recorder", "RenderObserver", "RenderRecord", "observer_var"]

_TOP_LEVEL = ("t", "e", "r")


class RenderObserver(Protocol):
    """Called by the runtime after every render it sends: the channel's topic and join ref,
    the diff as sent (top-level ``t``/``e``/``r`` included), the LiveView, its assigns, and
    the HTML of the engine's tree after that diff."""

    def __call__(
        self,
        topic: str,
        join_ref: str | None,
        diff: Mapping[str, Any],
        view: Any,
        assigns: Mapping[str, Any],
        sent_html: str,
        components: Any,
    ) -> None: ...


@dataclass(frozen=True)
class RenderRecord:
    """One render as the server saw it."""

    diff: dict[str, Any]
    """The diff without its top-level ``t``, ``e``, ``r``."""
    html: str
    """A fresh full render of the view's ``render(assigns)`` (the ground truth)."""
    sent_html: str
    """The engine's tree after the diff (what the diff encodes)."""
    assigns: dict[str, Any]


def strip_top_level(diff: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``diff`` without ``t``, ``e`` and ``r`` (what changes the client's tree)."""
    return {k: v for k, v in diff.items() if k not in _TOP_LEVEL}


class _Components:
    """Resolves component references against the view's registry, without touching it: each
    component met is rendered (by the walker) from its current assigns."""

    def __init__(self, registry: ComponentRegistry) -> None:
        self._registry = registry
        self.todo: list[tuple[int, Any, Any]] = []

    def resolve(self, ref: object) -> int:
        from pylive.html.component_ref import ComponentRef

        assert isinstance(ref, ComponentRef)
        found = self._registry.state(ref)
        if found is None:
            raise LookupError(f"{ref!r} is not among the view's components")
        self.todo.append(found)
        return found[0]


def full_render(topic: str, view: Any, assigns: Any, registry: ComponentRegistry) -> str:
    """``view.render(assigns)`` as HTML through the walker: no compiled template, no memo,
    no change tracking — and no effect on the view's own render state (its LiveComponents are
    rendered from their current assigns, without running any of their handlers)."""
    from pylive.html.walker import walk
    from pylive.render_context import RenderContext
    from pylive.rendered import to_html
    from pylive.tokens import Tokens

    components = _Components(registry)
    context = RenderContext(topic.removeprefix("lv:"), True, Tokens(_PROBE_KEY), components)
    root = walk(view.render(assigns), context)
    trees = {}
    while components.todo:
        cid, instance, component_assigns = components.todo.pop()
        trees[cid] = walk(instance.render(component_assigns), context)
    return to_html(root, trees)


_PROBE_KEY = "pylive.testing probe: nothing it signs is ever verified"


@dataclass
class Recorder:
    """Collects the renders of one connection, per channel instance, in order."""

    _renders: dict[tuple[str, str | None], deque[RenderRecord]] = field(default_factory=dict)

    def __call__(
        self,
        topic: str,
        join_ref: str | None,
        diff: Mapping[str, Any],
        view: Any,
        assigns: Mapping[str, Any],
        sent_html: str,
        components: ComponentRegistry,
    ) -> None:
        tree_diff = strip_top_level(diff)
        if not tree_diff:
            return
        snapshot = orjson.loads(orjson.dumps(tree_diff))  # frozen before the socket sends it
        try:
            html = full_render(topic, view, assigns, components)
        except Exception as exc:  # reported by the client as a mismatch, never a server crash
            html = f"<!-- the walker could not render this view: {exc!r} -->"
        record = RenderRecord(snapshot, html, sent_html, dict(assigns))
        self._renders.setdefault((topic, join_ref), deque()).append(record)

    def take(self, topic: str, join_ref: str | None) -> RenderRecord | None:
        """The oldest render of that channel not taken yet."""
        queue = self._renders.get((topic, join_ref))
        return queue.popleft() if queue else None


def observer_var() -> contextvars.ContextVar[RenderObserver | None]:
    """The context variable the runtime reads its render observer from."""
    from pylive.view_tree import render_observer

    return render_observer
