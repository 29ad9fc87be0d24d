"""The server's side of every diff, observed in-process: what the client must show after it.

The test client checks each diff it applies against the server's own full render of the view
at the moment that diff was computed. That render has to be captured when the diff is made —
not when the frame arrives, since a busy view may already have moved on — so the LiveView
channel reports every render to an observer: ``(topic, join_ref, diff, html, assigns)``.

The observer lives in a context variable that the test client sets only around starting the
app's WebSocket task, so it sees exactly the channels of its own connection (anyio tasks
inherit context variables), and concurrent tests never mix.

Seam: when the runtime provides ``pylive.rendering.render_observer`` (a ``ContextVar`` it calls
in ``LiveViewChannel._render``), that is used. Until then ``install`` wraps
``LiveViewChannel._render`` once to make the same call (the only place this package reaches
into runtime internals).
"""

from __future__ import annotations

import contextvars
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

__all__ = ["Recorder", "RenderObserver", "RenderRecord", "observer_var"]

_TOP_LEVEL = ("t", "e", "r")


class RenderObserver(Protocol):
    """Called by the runtime after every render it sends: the channel's topic and join ref,
    the diff (as sent, top-level ``t``/``e``/``r`` included), the full HTML of the view after
    that diff (``pylive.render.to_html`` of the whole tree) and the view's assigns."""

    def __call__(
        self,
        topic: str,
        join_ref: str | None,
        diff: Mapping[str, Any],
        html: str,
        assigns: Mapping[str, Any],
    ) -> None: ...


@dataclass(frozen=True)
class RenderRecord:
    """One render as the server saw it."""

    diff: dict[str, Any]
    """The diff without its top-level ``t``, ``e``, ``r``."""
    html: str
    assigns: dict[str, Any]


def strip_top_level(diff: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``diff`` without ``t``, ``e`` and ``r`` (what changes the client's tree)."""
    return {k: v for k, v in diff.items() if k not in _TOP_LEVEL}


@dataclass
class Recorder:
    """Collects the renders of one connection, per channel instance, in order."""

    _renders: dict[tuple[str, str | None], deque[RenderRecord]] = field(default_factory=dict)

    def __call__(
        self,
        topic: str,
        join_ref: str | None,
        diff: Mapping[str, Any],
        html: str,
        assigns: Mapping[str, Any],
    ) -> None:
        tree_diff = strip_top_level(diff)
        if not tree_diff:
            return
        snapshot = orjson.loads(orjson.dumps(tree_diff))  # frozen before the socket sends it
        queue = self._renders.setdefault((topic, join_ref), deque())
        queue.append(RenderRecord(snapshot, html, dict(assigns)))

    def take(self, topic: str, join_ref: str | None) -> RenderRecord | None:
        """The oldest render of that channel not taken yet."""
        queue = self._renders.get((topic, join_ref))
        return queue.popleft() if queue else None

    def forget(self, topic: str, join_ref: str | None) -> None:
        """Drop what is left of a channel instance (after it ended)."""
        self._renders.pop((topic, join_ref), None)


_SHIM_VAR: contextvars.ContextVar[RenderObserver | None] = contextvars.ContextVar(
    "pylive_testing_render_observer", default=None
)
_installed = False


def observer_var() -> contextvars.ContextVar[RenderObserver | None]:
    """The context variable the runtime reads its render observer from."""
    import pylive.rendering

    seam = getattr(pylive.rendering, "render_observer", None)
    if isinstance(seam, contextvars.ContextVar):
        return seam
    _install_shim()
    return _SHIM_VAR


def _install_shim() -> None:
    """Wrap ``LiveViewChannel._render`` to report renders (until the runtime has the seam)."""
    global _installed
    if _installed:
        return
    from pylive.channel import LiveViewChannel
    from pylive.render import to_html

    original: Callable[..., dict[str, Any] | None] = LiveViewChannel._render

    def _render(self: Any, view: Any, socket: Any, **kwargs: Any) -> dict[str, Any] | None:
        out = original(self, view, socket, **kwargs)
        observer = _SHIM_VAR.get()
        if observer is not None and out:
            client = self._tree._client
            html = "" if client.root is None else to_html(client.root, client.components)
            observer(self._out.topic, self._out.join_ref, out, html, socket.assigns)
        return out

    LiveViewChannel._render = _render  # type: ignore[method-assign]
    _installed = True
