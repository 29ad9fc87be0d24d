"""The user API: ``LiveView`` (what you subclass) and ``Socket`` (the state it works on).

A LiveView is one object per mounted page. Its handlers are ``async def`` and receive the
``Socket``; they change state with ``socket.assign(...)`` and ask for side effects (navigation,
client events, timers, background work) through it. The runtime renders after each handled
message, but only when an assign changed, and sends the client what changed in the output.

Sync handlers are refused at class creation: a handler runs on the event loop that serves every
other connection too, so blocking work belongs in ``start_async``/``assign_async`` (sync
functions given to those run in a worker thread) or ``anyio.to_thread.run_sync``. ``render`` is
the exception: it is a plain function of the assigns and must not block or await.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import NoneType
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar

import anyio
import anyio.to_thread

from pylive.html.compiler import compile_template

__all__ = ["Assigns", "AsyncResult", "Inbox", "LiveView", "Socket", "Timer"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

_SCALARS = (str, bytes, int, float, bool, NoneType)
"""Values whose equality means "unchanged"; anything else may have been mutated in place."""

_ASYNC_HANDLERS = (
    "mount",
    "handle_params",
    "handle_event",
    "handle_info",
    "handle_async",
    "terminate",
)


# --------------------------------------------------------------------------- results and mail


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
    """Mail: a message for ``handle_info`` (from a timer, the inbox or pub/sub)."""

    msg: Any


@dataclass(frozen=True, slots=True)
class AsyncDone:
    """Mail: background work ``key`` finished; ``keys`` is set for ``assign_async`` work."""

    key: Hashable
    job: anyio.CancelScope
    keys: tuple[str, ...] | None
    outcome: AsyncResult[Any]


@dataclass(frozen=True, slots=True)
class Navigation:
    """A navigation requested by a handler, carried out by the runtime after it returns."""

    kind: Literal["patch", "navigate", "redirect"]
    to: str
    replace: bool = False


class Host(Protocol):
    """What a connected Socket needs from the channel that runs its LiveView."""

    def spawn(self, job: Callable[[], Awaitable[None]]) -> anyio.CancelScope:
        """Run ``job`` in the LiveView's task group; cancelling the scope stops it."""
        ...

    async def post(self, mail: Info | AsyncDone) -> bool:
        """Queue mail for the LiveView (waits while its mailbox is full); False once it ended."""
        ...

    def post_nowait(self, mail: Info | AsyncDone) -> bool:
        """Queue mail without waiting; False if the mailbox is full or the LiveView ended."""
        ...


# --------------------------------------------------------------------------- small handles


class Assigns(Mapping[str, Any]):
    """Read-only view of a socket's assigns, by key (``a["count"]``) or attribute (``a.count``).

    The assigns dict *is* the instance ``__dict__``, so ``a.count`` is a plain attribute lookup
    (templates read assigns this way in every slot). An assign named like a ``Mapping`` method
    (``a.items``) shadows it for attribute access; ``a["items"]`` always works.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "__dict__", data)

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def __getattr__(self, name: str) -> Any:  # only called when the assign is missing
        raise AttributeError(f"no assign named {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("assigns are read-only: use socket.assign(...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("assigns are read-only: use socket.assign(...)")

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def __repr__(self) -> str:
        return f"Assigns({self.__dict__!r})"


class Timer:
    """A running ``send_after``/``send_interval`` timer; pass it to ``cancel_timer``."""

    __slots__ = ("_scope",)

    def __init__(self, scope: anyio.CancelScope | None) -> None:
        self._scope = scope

    def cancel(self) -> None:
        """Stop the timer (no effect once it has fired for the last time)."""
        if self._scope is not None:
            self._scope.cancel()


class Inbox:
    """Delivers messages to a LiveView's ``handle_info`` from anywhere (pub/sub, other views).

    Messages are handled one at a time, in order, between client events.
    """

    __slots__ = ("_host",)

    def __init__(self, host: Host | None) -> None:
        self._host = host

    async def send(self, msg: Any) -> bool:
        """Queue ``msg``, waiting while the mailbox is full; False if the view is gone."""
        return self._host is not None and await self._host.post(Info(msg))

    def send_nowait(self, msg: Any) -> bool:
        """Queue ``msg`` if there is room; False if the mailbox is full or the view is gone."""
        return self._host is not None and self._host.post_nowait(Info(msg))


# --------------------------------------------------------------------------- Socket


class Socket:
    """The state of one mounted LiveView and the side effects its handlers request.

    ``assigns`` is what ``render`` sees; ``assign`` records which keys changed since the last
    render in ``changed``, and the runtime renders only when that set is not empty. The socket
    of the first HTTP render is not ``connected``: timers and background work do nothing there.
    """

    def __init__(
        self,
        view_id: str,
        *,
        host: Host | None = None,
        flash: Mapping[str, str] | None = None,
        connect_params: Mapping[str, Any] | None = None,
    ) -> None:
        self.id = view_id
        """The LiveView's DOM id (its container's ``id``; the channel topic is ``lv:<id>``)."""
        self.connect_params: Mapping[str, Any] = connect_params or {}
        """Params the client sent with its join (``LiveSocket`` ``params``); empty when dead."""
        self._host = host
        self._data: dict[str, Any] = {"flash": dict(flash or {}), "page_title": None}
        self._assigns = Assigns(self._data)
        self._changed: set[str] = set(self._data)
        self._navigation: Navigation | None = None
        self._events: list[list[Any]] = []
        self._jobs: dict[Hashable, anyio.CancelScope] = {}
        self._temporary: dict[str, Any] = {}

    # state

    @property
    def connected(self) -> bool:
        """True over the live connection; False during the first (HTTP) render."""
        return self._host is not None

    @property
    def assigns(self) -> Assigns:
        """The current assigns (read-only; change them with ``assign``)."""
        return self._assigns

    @property
    def changed(self) -> frozenset[str]:
        """Keys assigned a different value since the last render."""
        return frozenset(self._changed)

    @property
    def inbox(self) -> Inbox:
        """Where other code sends messages for this LiveView's ``handle_info``."""
        return Inbox(self._host)

    def assign(self, **values: Any) -> Socket:
        """Set assigns; a key counts as changed unless it holds an equal scalar already.

        Mutable values (lists, dicts, objects) always count as changed when assigned, so
        mutating a list in place and assigning it again re-renders. Returns the socket.
        """
        for key, value in values.items():
            if key not in self._data or _differs(self._data[key], value):
                self._changed.add(key)
            self._data[key] = value
        return self

    def temporary_assigns(self, **defaults: Any) -> Socket:
        """Reset these assigns to ``defaults`` after every render, without re-rendering them.

        For large collections rendered into a ``phx-update="append"``/``"prepend"`` container:
        the client keeps the rows already shown, so the server need not hold them. Returns the
        socket.
        """
        self._temporary.update(defaults)
        return self.assign(**{k: v for k, v in defaults.items() if k not in self._data})

    # flash and title

    def put_flash(self, kind: str, message: str) -> None:
        """Show ``message`` under ``kind`` (e.g. "info", "error"); survives live navigation."""
        self.assign(flash={**self._data["flash"], kind: message})

    def clear_flash(self, kind: str | None = None) -> None:
        """Remove the flash message of ``kind``, or all of them."""
        flash = {} if kind is None else {k: v for k, v in self._data["flash"].items() if k != kind}
        self.assign(flash=flash)

    # client events and navigation

    def push_event(self, event: str, payload: Mapping[str, Any] | None = None) -> None:
        """Dispatch ``phx:<event>`` on the client's window (hooks' ``handleEvent``)."""
        self._events.append([event, dict(payload or {})])

    def push_patch(self, to: str, *, replace: bool = False) -> None:
        """Change the URL to another one of this LiveView; ``handle_params`` runs for it."""
        self._navigation = Navigation("patch", to, replace)

    def push_navigate(self, to: str, *, replace: bool = False) -> None:
        """Navigate to another LiveView of the same live_session without reloading the page."""
        self._navigation = Navigation("navigate", to, replace)

    def redirect(self, to: str) -> None:
        """Leave the LiveView with a full page load of ``to`` (a path or an absolute URL)."""
        self._navigation = Navigation("redirect", to)

    # timers

    def send_after(self, delay: float, msg: Any) -> Timer:
        """Deliver ``msg`` to ``handle_info`` after ``delay`` seconds (only when connected)."""
        return self._timer(delay, msg, repeat=False)

    def send_interval(self, interval: float, msg: Any) -> Timer:
        """Deliver ``msg`` every ``interval`` seconds, without drift (only when connected)."""
        return self._timer(interval, msg, repeat=True)

    def cancel_timer(self, timer: Timer) -> None:
        """Stop a timer started by ``send_after`` or ``send_interval``."""
        timer.cancel()

    def _timer(self, period: float, msg: Any, *, repeat: bool) -> Timer:
        host = self._host
        if host is None:
            return Timer(None)

        async def tick() -> None:
            start = anyio.current_time()
            n = 1
            while True:
                await anyio.sleep_until(start + n * period)
                if not await host.post(Info(msg)) or not repeat:
                    return
                n += 1

        return Timer(host.spawn(tick))

    # background work

    def assign_async(
        self,
        keys: str | Sequence[str],
        fn: Callable[[], Awaitable[Mapping[str, Any]] | Mapping[str, Any]],
    ) -> None:
        """Fill assigns ``keys`` in the background: each becomes an ``AsyncResult``.

        ``fn`` returns a mapping with a value for every key; it may be ``async`` or a plain
        function (run in a worker thread). Until it finishes, each assign is ``loading``; then
        ``ok`` with its value, or ``failed`` with the exception. Only runs when connected.
        """
        names = (keys,) if isinstance(keys, str) else tuple(keys)
        for name in names:
            previous = self._data.get(name)
            kept = previous.result if isinstance(previous, AsyncResult) else None
            self.assign(**{name: AsyncResult("loading", kept)})
        self._launch(names, fn, names)

    def start_async(self, name: Hashable, fn: Callable[[], Any]) -> None:
        """Run ``fn`` in the background; its outcome goes to ``handle_async(socket, name, result)``.

        Starting work under a name that is still running cancels the older run.
        """
        self._launch(name, fn, None)

    def cancel_async(self, name: Hashable) -> None:
        """Cancel background work started under ``name`` (its outcome is never delivered)."""
        job = self._jobs.pop(name, None)
        if job is not None:
            job.cancel()

    def _launch(self, key: Hashable, fn: Callable[[], Any], keys: tuple[str, ...] | None) -> None:
        host = self._host
        if host is None:
            return
        self.cancel_async(key)
        scope_box: list[anyio.CancelScope] = []

        async def work() -> None:
            try:
                value = (
                    await fn()
                    if inspect.iscoroutinefunction(fn)
                    else await anyio.to_thread.run_sync(fn)
                )
                if keys is not None and not (
                    isinstance(value, Mapping) and all(k in value for k in keys)
                ):
                    raise ValueError(
                        f"assign_async function must return a mapping with keys {keys}"
                    )
                outcome: AsyncResult[Any] = AsyncResult("ok", value)
            except Exception as exc:
                logger.warning("background work %r failed", key, exc_info=True)
                outcome = AsyncResult("failed", reason=exc)
            await host.post(AsyncDone(key, scope_box[0], keys, outcome))

        scope = host.spawn(work)
        scope_box.append(scope)
        self._jobs[key] = scope

    def _settle(self, done: AsyncDone) -> AsyncResult[Any] | None:
        """Apply finished work; returns the result still owed to ``handle_async``, if any."""
        if self._jobs.get(done.key) is not done.job:
            return None  # cancelled or superseded meanwhile
        del self._jobs[done.key]
        if done.keys is None:
            return done.outcome
        for name in done.keys:
            if done.outcome.ok:
                assert isinstance(done.outcome.result, Mapping)
                value = AsyncResult("ok", done.outcome.result[name])
            else:
                previous = self._data.get(name)
                kept = previous.result if isinstance(previous, AsyncResult) else None
                value = AsyncResult("failed", kept, done.outcome.reason)
            self.assign(**{name: value})
        return None

    # used by the runtime

    def _take_navigation(self) -> Navigation | None:
        nav, self._navigation = self._navigation, None
        return nav

    def _leaving(self) -> bool:
        nav = self._navigation
        return nav is not None and nav.kind != "patch"

    def _take_events(self) -> list[list[Any]]:
        events, self._events = self._events, []
        return events

    def _rendered(self) -> None:
        self._changed.clear()
        self._data.update(self._temporary)


def _differs(old: Any, new: Any) -> bool:
    if type(old) is type(new) and isinstance(new, _SCALARS):
        return bool(old != new)
    return True


# --------------------------------------------------------------------------- LiveView


class LiveView:
    """Base class of a live page. Override ``render`` and the handlers you need.

    One instance serves one mounted page; every handler is ``async`` and gets the ``Socket``.
    ``render(assigns)`` returns an htpy node and must depend on the assigns only (it is not
    called when no assign changed). It is compiled so that a render evaluates only the parts
    that read changed assigns (docs/change-tracking.md); ``track_changes = False`` on the class
    turns that off.
    """

    track_changes: ClassVar[bool] = True
    """Render only what reads changed assigns; False re-evaluates the whole template each time."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _ASYNC_HANDLERS:
            handler = getattr(cls, name)
            if not inspect.iscoroutinefunction(handler):
                raise TypeError(
                    f"{cls.__qualname__}.{name} must be 'async def': handlers run on the shared "
                    "event loop; move blocking work to start_async/assign_async or "
                    "anyio.to_thread.run_sync"
                )
        if inspect.iscoroutinefunction(cls.render):
            raise TypeError(f"{cls.__qualname__}.render must be a plain 'def' (no awaiting)")
        render = cls.__dict__.get("render")
        if inspect.isfunction(render):
            # compiled on first use: renders then evaluate only what changed assigns touch
            compiled = compile_template(render)
            compiled.__set_name__(cls, "render")
            cls.render = compiled  # type: ignore[method-assign]

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        """Set up the initial assigns; runs for the HTTP render and again when connected."""

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        """React to the URL (after mount, and on every ``push_patch`` or patch link)."""

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        """Handle a client event (``phx-click`` etc.); a returned mapping is the hook reply."""
        raise NotImplementedError(f"{type(self).__qualname__} does not handle event {event!r}")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        """Handle a message from a timer, the inbox or pub/sub."""
        logger.warning("%s ignored message %r (no handle_info)", type(self).__qualname__, msg)

    async def handle_async(self, socket: Socket, name: Hashable, result: AsyncResult[Any]) -> None:
        """Receive the outcome of ``start_async(name, ...)``."""
        raise NotImplementedError(f"{type(self).__qualname__} does not handle async {name!r}")

    async def terminate(self, socket: Socket, reason: str) -> None:
        """Last call before the view goes away (``"leave"``, ``"redirect"``, ``"closed"``...)."""

    def render(self, assigns: Assigns) -> Any:
        """The page for these assigns, as an htpy node."""
        raise NotImplementedError(f"{type(self).__qualname__} must define render(assigns)")
