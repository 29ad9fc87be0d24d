"""``Effects``: what a socket's handlers changed or asked for, drained by the runtime (internal).

A handler works on the user-facing ``Socket`` (``pylive.socket``); every call there lands here.
After the handler returns, the channel (or the HTTP render) reads this one object: the assigns
and which of them changed (render only if any did), client events (``e`` in the next diff), a
requested navigation, and finished background work to apply. Nothing else in the runtime touches
a socket's state. A LiveComponent's socket keeps its assigns in an ``Effects`` of its own and hands
everything else to its view's socket.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from types import MappingProxyType, NoneType
from typing import Any, Generic, Literal, TypeVar

import anyio

from pylive.assigns import Assigns
from pylive.lifecycle_hooks import LifecycleHooks
from pylive.streams import StreamBook

__all__ = ["AsyncDone", "AsyncResult", "Effects", "Info", "Navigation", "Update"]

T = TypeVar("T")

_SCALARS = (str, bytes, int, float, bool, NoneType)
"""Values whose equality means "unchanged"; anything else may have been mutated in place."""

_MISSING: Any = object()
_NO_TEMPORARY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class AsyncResult(Generic[T]):
    """The state of background work: ``loading``, ``ok`` (with ``result``) or ``failed``.

    ``assign_async`` puts one in each assign it fills; ``handle_async`` receives one. While
    reloading, the previous ``result`` stays available so the page can keep showing it.
    """

    state: Literal["loading", "ok", "failed"]
    result: T | None = None
    reason: BaseException | None = None

    @property
    def loading(self) -> bool:
        """The work has not finished yet."""
        return self.state == "loading"

    @property
    def ok(self) -> bool:
        """The work finished and ``result`` holds its value."""
        return self.state == "ok"

    @property
    def failed(self) -> bool:
        """The work raised; ``reason`` holds the exception."""
        return self.state == "failed"


@dataclass(frozen=True, slots=True)
class Info:
    """Mail: a message for ``handle_info`` (from a timer or the inbox)."""

    msg: Any
    timer: anyio.CancelScope | None = None
    """The timer that sent it: a tick still queued when its timer is cancelled is dropped."""

    @property
    def cancelled(self) -> bool:
        """Whether this is a tick of a timer cancelled since it was sent."""
        return self.timer is not None and self.timer.cancel_called


@dataclass(frozen=True, slots=True)
class AsyncDone:
    """Mail: background work ``key`` finished; ``keys`` is set for ``assign_async`` work."""

    key: Hashable
    job: anyio.CancelScope
    keys: tuple[str, ...] | None
    outcome: AsyncResult[Any]


@dataclass(frozen=True, slots=True)
class Update:
    """New assigns for the LiveComponent ``component`` with ``id`` (``send_update``): queued
    by a handler, or mail from a timer or the inbox."""

    component: type
    id: Hashable
    assigns: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Navigation:
    """A navigation requested by a handler, carried out by the runtime after it returns."""

    kind: Literal["patch", "navigate", "redirect"]
    to: str
    replace: bool = False


class Effects:
    """One socket's state and pending requests; the runtime's side of a ``Socket``.

    ``assigns``/``changed`` drive rendering; ``rendered()`` marks a render done (clears
    ``changed``, resets temporary assigns). ``take_events``/``take_navigation`` hand over and
    forget what handlers queued. ``settle`` applies finished background work.
    """

    __slots__ = (
        "assigns",
        "changed",
        "data",
        "events",
        "hooks",
        "jobs",
        "navigation",
        "streams",
        "temporary",
        "touched",
        "updates",
    )

    def __init__(self, initial: Mapping[str, Any]) -> None:
        self.data: dict[str, Any] = dict(initial)
        self.assigns = Assigns(self.data)
        # key sets as dicts: mostly empty between renders, and an empty dict is a fraction
        # of an empty set's size (and not tracked by the garbage collector)
        self.changed: dict[str, None] = dict.fromkeys(self.data)
        """Keys assigned a different value since the last render (all of them at first)."""
        self.touched: dict[str, None] = {}
        """Keys changed since the last ``take_touched`` (what a render itself changed)."""
        self.temporary: Mapping[str, Any] = _NO_TEMPORARY
        """Assigns reset after every render (``temporary_assigns``); replaced, never changed
        in place, so that most sockets share the empty one."""
        self.events: list[list[Any]] | None = None
        """``push_event`` calls as ``[event, payload]`` pairs (None: none since the last take,
        which spares most sockets a list)."""
        self.navigation: Navigation | None = None
        self.updates: list[Update] | None = None
        """``send_update`` requests, applied to the view's components before its next render
        (None: none)."""
        self.hooks = LifecycleHooks()
        """Lifecycle hooks attached with ``attach_hook``, run by the runtime."""
        self.streams = StreamBook()
        """The socket's streams (their items are in the assigns until the next render)."""
        self.jobs: dict[Hashable, anyio.CancelScope] | None = None
        """Background work by name; finished work is applied only if it is still the current
        job of its name (not cancelled or superseded meanwhile). None until the first."""

    @classmethod
    def for_view(cls, flash: Mapping[str, str] | None = None) -> Effects:
        """The effects of a LiveView's socket: every view starts with ``flash`` and
        ``page_title`` assigned."""
        return cls({"flash": dict(flash or {}), "page_title": None})

    def assign(self, values: Mapping[str, Any]) -> None:
        """Set assigns; a key counts as changed unless it holds an equal scalar already."""
        data = self.data
        for key, value in values.items():
            # changed unless an equal scalar of the same type is there (inlined: every
            # handler's assign runs this)
            old = data.get(key, _MISSING)
            if type(old) is not type(value) or not isinstance(value, _SCALARS) or old != value:
                self.changed[key] = None
                self.touched[key] = None
            data[key] = value

    def push_event(self, event: str, payload: dict[str, Any]) -> None:
        """Queue a client event (``e`` in the next diff)."""
        if self.events is None:
            self.events = []
        self.events.append([event, payload])

    def send_update(self, update: Update) -> None:
        """Queue a ``send_update`` request."""
        if self.updates is None:
            self.updates = []
        self.updates.append(update)

    # drained by the runtime

    def rendered(self) -> None:
        """The current assigns were rendered: nothing is changed any more, and the streams
        forget the items they sent."""
        self.streams.prune(self.data, self.changed)
        self.changed.clear()
        if self.temporary:  # most sockets have none (and share an empty mapping)
            self.data.update(self.temporary)

    def take_touched(self) -> set[str]:
        """The keys changed since the last take (cleared; ``changed`` is left as it is)."""
        touched, self.touched = self.touched, {}
        return set(touched)

    def take_events(self) -> list[list[Any]]:
        """The ``push_event`` calls since the last take, as ``[event, payload]`` pairs."""
        events, self.events = self.events, None
        return [] if events is None else events

    def take_updates(self) -> list[Update]:
        """The ``send_update`` requests since the last take, in order."""
        updates, self.updates = self.updates, None
        return [] if updates is None else updates

    def take_navigation(self) -> Navigation | None:
        """The navigation requested since the last take (the last request wins)."""
        nav, self.navigation = self.navigation, None
        return nav

    @property
    def leaving(self) -> bool:
        """A redirect or ``push_navigate`` is pending: the mount sequence stops."""
        nav = self.navigation
        return nav is not None and nav.kind != "patch"

    def settle(self, done: AsyncDone) -> AsyncResult[Any] | None:
        """Apply finished work; returns the result still owed to ``handle_async``, if any."""
        jobs = self.jobs
        if jobs is None or jobs.get(done.key) is not done.job:
            return None  # cancelled or superseded meanwhile
        del jobs[done.key]
        if done.keys is None:
            return done.outcome
        for name in done.keys:
            if done.outcome.ok:
                assert isinstance(done.outcome.result, Mapping)
                value = AsyncResult("ok", done.outcome.result[name])
            else:
                value = AsyncResult("failed", self.kept_result(name), done.outcome.reason)
            self.assign({name: value})
        return None

    def kept_result(self, name: str) -> Any:
        """The last result of async assign ``name`` (shown while it reloads or after it fails)."""
        previous = self.data.get(name)
        return previous.result if isinstance(previous, AsyncResult) else None
