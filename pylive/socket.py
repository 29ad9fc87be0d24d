"""The socket a handler works on: assigns, client events, navigation, timers, background work.

``BaseSocket`` is what every socket offers (assigns and ``push_event``); ``Socket`` is a
LiveView's, adding the flash, navigation, the inbox, timers and background work. Every call only
records into the socket's ``Effects`` (``pylive.effects``), which the runtime drains after the
handler returns; timers and background work run in the LiveView's task group through its
``Host``, so a socket that is not connected (the first HTTP render) starts nothing.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol, Self, overload

import anyio
import anyio.to_thread

from pylive.assigns import Assigns
from pylive.effects import AsyncDone, AsyncResult, Effects, Info, Navigation, Update
from pylive.lifecycle_hooks import Halt, Stage
from pylive.pubsub import Member
from pylive.streams import DomId
from pylive.uploads.config import (
    ExternalPresign,
    ProgressCallback,
    UploadConfig,
    UploadEntry,
    Uploads,
    WriterFactory,
)

__all__ = [
    "AfterRenderHook",
    "AsyncHook",
    "BaseSocket",
    "EventHook",
    "Host",
    "Inbox",
    "InfoHook",
    "ParamsHook",
    "Socket",
    "Timer",
]

logger = logging.getLogger(__name__)


class Host(Protocol):
    """What a connected Socket needs from the channel that runs its LiveView."""

    def spawn(self, job: Callable[[], Awaitable[None]]) -> anyio.CancelScope:
        """Run ``job`` in the LiveView's task group; cancelling the scope stops it."""
        ...

    async def post(self, mail: Info | AsyncDone | Update) -> bool:
        """Queue mail for the LiveView (waits while its mailbox is full); False once it ended."""
        ...

    def post_nowait(self, mail: Info | AsyncDone | Update) -> bool:
        """Queue mail without waiting; False if the mailbox is full or the LiveView ended."""
        ...

    def pubsub_member(self) -> Member:
        """The LiveView's subscriber of the app's pub/sub hub (``pylive.pubsub``)."""
        ...


def spawn_in(tg: anyio.abc.TaskGroup, job: Callable[[], Awaitable[None]]) -> anyio.CancelScope:
    """``Host.spawn`` over a task group: run ``job`` there, under a scope that cancels it."""
    scope = anyio.CancelScope()

    async def guarded() -> None:
        with scope:
            await job()

    tg.start_soon(guarded)
    return scope


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
    """Delivers messages to a LiveView's ``handle_info`` from anywhere (other views, tasks).

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

    async def send_update(self, component: type, /, id: Hashable, **assigns: Any) -> bool:
        """Queue new ``assigns`` for this LiveView's component ``component`` with ``id`` (its
        ``update`` runs, then it re-renders); False if the view is gone."""
        return self._host is not None and await self._host.post(Update(component, id, assigns))


class BaseSocket:
    """Assigns and client events: what every socket offers.

    ``assigns`` is what ``render`` sees; ``assign`` records which keys changed since the last
    render in ``changed``, and the runtime renders only when that set is not empty.
    """

    __slots__ = ("_effects", "_host")

    def __init__(self, effects: Effects, host: Host | None) -> None:
        self._effects = effects
        self._host = host

    @property
    def connected(self) -> bool:
        """True over the live connection; False during the first (HTTP) render."""
        return self._host is not None

    @property
    def assigns(self) -> Assigns:
        """The current assigns (read-only; change them with ``assign``)."""
        return self._effects.assigns

    @property
    def changed(self) -> frozenset[str]:
        """Keys assigned a different value since the last render."""
        return frozenset(self._effects.changed)

    def assign(self, **values: Any) -> Self:
        """Set assigns; a key counts as changed unless it holds an equal scalar already.

        Mutable values (lists, dicts, objects) always count as changed when assigned, so
        mutating a list in place and assigning it again re-renders. Returns the socket.
        """
        self._effects.assign(values)
        return self

    def assign_new(self, key: str, fn: Callable[[], Any] | Callable[[Assigns], Any]) -> Self:
        """Assign ``key`` the value of ``fn`` unless ``key`` is assigned already.

        ``fn`` is only called when the key is missing: give it the expensive lookup. It takes
        no argument, or one: the current assigns (``lambda a: a.user.org``). A value it sets
        counts as changed, as with ``assign``. Returns the socket.
        """
        effects = self._effects
        if key not in effects.data:
            value = fn(effects.assigns) if _wants_assigns(fn) else fn()  # type: ignore[call-arg]
            effects.assign({key: value})
        return self

    def update(self, key: str, fn: Callable[[Any], Any]) -> Self:
        """Assign ``key`` the result of ``fn(current value)``; ``KeyError`` if it is not assigned.

        Whether it counts as changed follows ``assign`` (an equal scalar does not). Returns the
        socket.
        """
        effects = self._effects
        if key not in effects.data:
            raise KeyError(f"update({key!r}, ...): no assign named {key!r}; assign it first")
        effects.assign({key: fn(effects.data[key])})
        return self

    def push_event(self, event: str, payload: Mapping[str, Any] | None = None) -> None:
        """Dispatch ``phx:<event>`` on the client's window (hooks' ``handleEvent``)."""
        self._effects.push_event(event, dict(payload or {}))

    # streams (pylive.streams)

    def stream(
        self,
        name: str,
        items: Iterable[Any],
        *,
        at: int = -1,
        limit: int | None = None,
        reset: bool = False,
    ) -> Self:
        """Insert ``items`` into stream ``name`` (created on first use as the assign ``name``).

        The template iterates ``assigns.<name>`` as ``(dom_id, item)`` pairs inside a
        ``phx-update="stream"`` container, each row's root element with ``id=dom_id``. The
        items are sent with the next render, then forgotten: the browser keeps the rows.
        ``at``: -1 appends, 0 prepends, n inserts before the n-th row; ``limit``: keep the
        first ``limit`` rows (or the last ``-limit``) after inserting; ``reset``: remove every
        row the client shows first. Each item's DOM id is ``f"{name}-{item.id}"`` (or
        ``item["id"]``) unless ``stream_configure`` set another. Returns the socket.
        """
        effects = self._effects
        stream = effects.streams.stream(
            effects.data,
            name,
            items,
            at=at,
            limit=limit,
            reset=reset,
            prefix=self._stream_prefix(),
        )
        if stream is not None:
            effects.assign({name: stream})
        return self

    def stream_insert(
        self,
        name: str,
        item: Any,
        *,
        at: int = -1,
        limit: int | None = None,
        update_only: bool = False,
    ) -> Self:
        """Insert ``item`` into stream ``name``, or update its row in place if the client
        shows it already (``at`` then has no effect; delete and insert to move a row).
        ``update_only``: never add a row, only update one shown. Returns the socket."""
        effects = self._effects
        stream = effects.streams.insert(
            effects.data, name, item, at=at, limit=limit, update_only=update_only
        )
        effects.assign({name: stream})
        return self

    def stream_delete(self, name: str, item: Any) -> Self:
        """Remove ``item``'s row from stream ``name`` on the client (its ``phx-remove`` runs).
        Returns the socket."""
        effects = self._effects
        effects.assign({name: effects.streams.delete(effects.data, name, item)})
        return self

    def stream_delete_by_dom_id(self, name: str, dom_id: str) -> Self:
        """Remove the row whose element id is ``dom_id`` from stream ``name`` on the client.
        Returns the socket."""
        effects = self._effects
        effects.assign({name: effects.streams.delete_by_dom_id(effects.data, name, dom_id)})
        return self

    def stream_configure(self, name: str, *, dom_id: DomId) -> Self:
        """Compute the DOM ids of stream ``name``'s items with ``dom_id(item)``; call it before
        the first ``stream(name, ...)`` (once: in a LiveComponent, in ``mount``). Returns the
        socket."""
        self._effects.streams.configure(name, dom_id)
        return self

    def _stream_prefix(self) -> str:
        """What this socket's stream refs start with (a component's: its cid and a dash)."""
        return ""

    # ------------------------------------------------------------------ uploads

    def allow_upload(
        self,
        name: str,
        *,
        accept: Sequence[str] | None,
        max_entries: int = 1,
        max_file_size: int = 8_000_000,
        chunk_size: int = 64_000,
        chunk_timeout: float = 10.0,
        auto_upload: bool = False,
        progress: ProgressCallback | None = None,
        external: ExternalPresign | None = None,
        writer: WriterFactory | None = None,
    ) -> Self:
        """Allow uploads under ``name`` (``assigns.uploads.<name>``; render it with
        ``live_file_input``). ``accept``: extensions (``".png"``) and MIME types
        (``"image/*"``), or None for any file. ``max_file_size`` is in bytes and checked
        against the bytes received; ``chunk_timeout`` in seconds; ``progress(name, entry,
        socket)`` runs after each progress update; ``external(entry, socket)`` makes a
        direct-to-cloud upload (returns the client uploader's metadata, with ``uploader``);
        ``writer(entry)`` sends the bytes elsewhere than a temporary file (``UploadWriter``).
        Allowing a name again replaces its config and drops its entries."""
        config = UploadConfig(
            name,
            None if accept is None else list(accept),
            max_entries=max_entries,
            max_file_size=max_file_size,
            chunk_size=chunk_size,
            chunk_timeout=chunk_timeout,
            auto_upload=auto_upload,
            progress_callback=progress,
            external=external,
            writer=writer,
        )
        uploads = self._uploads(create=True)
        assert uploads is not None
        uploads.put(config)
        self._effects.assign({"uploads": uploads})
        return self

    def disallow_upload(self, name: str) -> Self:
        """Remove the upload ``name`` (its files are dropped)."""
        uploads = self._uploads()
        if uploads is not None:
            uploads.remove(name)
            self._effects.assign({"uploads": uploads})
        return self

    def cancel_upload(self, name: str, ref: str) -> Self:
        """Cancel entry ``ref`` of upload ``name``: its bytes are dropped and the client stops
        sending it."""
        uploads = self._uploads()
        if uploads is not None and name in uploads and uploads[name].cancel(ref):
            self._effects.assign({"uploads": uploads})
        return self

    def uploaded_entries(self, name: str) -> tuple[list[UploadEntry], list[UploadEntry]]:
        """``(completed, in_progress)`` entries of upload ``name``."""
        uploads = self._uploads()
        if uploads is None or name not in uploads:
            return [], []
        config = uploads[name]
        config.validate()  # the limits again, whatever happened since the preflight
        entries = config.entries
        done = [e for e in entries if _complete(e)][: config.max_entries]
        return done, [e for e in entries if not _complete(e)]

    async def consume_uploaded_entries(
        self, name: str, fn: Callable[[Any, UploadEntry], Any]
    ) -> list[Any]:
        """Call ``fn(path, entry)`` (sync or async) for each completed entry of ``name``, with
        the path of its file (for an external upload, the path is None); returns the results.
        Each file is deleted afterwards and the entry removed; entries still in progress
        stay. Invalid entries (over the limits) are never consumed."""
        done, _ = self.uploaded_entries(name)
        return [await self._consume(name, entry, fn) for entry in done]

    async def consume_uploaded_entry(
        self, entry: UploadEntry, fn: Callable[[Any, UploadEntry], Any]
    ) -> Any:
        """``consume_uploaded_entries`` for one completed ``entry``."""
        if not _complete(entry):
            raise ValueError(f"entry {entry.ref} is not completed")
        return await self._consume(entry.upload_name, entry, fn)

    async def _consume(
        self, name: str, entry: UploadEntry, fn: Callable[[Any, UploadEntry], Any]
    ) -> Any:
        try:
            meta = entry.path if entry.writer_meta is None else entry.writer_meta
            result = fn(meta, entry)
            if inspect.isawaitable(result):
                result = await result
        finally:
            self.cancel_upload(name, entry.ref)
        return result

    def _uploads(self, *, create: bool = False) -> Uploads | None:
        found = self._effects.data.get("uploads")
        if isinstance(found, Uploads):
            return found
        return Uploads() if create else None


def _wants_assigns(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` takes a positional argument (the assigns, for ``assign_new``)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # some builtins have no signature: call them bare
        return False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(
        p.kind in positional and p.default is inspect.Parameter.empty for p in parameters
    ) or any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters)


ParamsHook = Callable[["Socket", dict[str, Any], str], Awaitable[Halt | None]]
"""A ``handle_params`` lifecycle hook: ``async def hook(socket, params, uri)``."""
EventHook = Callable[["Socket", str, dict[str, Any]], Awaitable[Halt | None]]
"""A ``handle_event`` lifecycle hook: ``async def hook(socket, event, params)``; may return
``Halt(reply)``."""
InfoHook = Callable[["Socket", Any], Awaitable[Halt | None]]
"""A ``handle_info`` lifecycle hook: ``async def hook(socket, msg)``."""
AsyncHook = Callable[["Socket", Hashable, AsyncResult[Any]], Awaitable[Halt | None]]
"""A ``handle_async`` lifecycle hook: ``async def hook(socket, name, result)``."""
AfterRenderHook = Callable[["Socket"], Awaitable[None]]
"""An ``after_render`` lifecycle hook: ``async def hook(socket)``."""


class Socket(BaseSocket):
    """A LiveView's socket: assigns and events, plus flash, navigation, inbox, timers and
    background work. The socket of the first HTTP render is not ``connected``: timers and
    background work do nothing there.
    """

    __slots__ = ("_children", "_inbox", "_parent", "connect_params", "id")

    def __init__(
        self,
        view_id: str,
        effects: Effects | None = None,
        *,
        host: Host | None = None,
        connect_params: Mapping[str, Any] | None = None,
        parent: Host | None = None,
        children: Mapping[str, Host] | None = None,
    ) -> None:
        """A LiveView's socket recording into ``effects`` (fresh ones by default); ``host``
        runs its timers and background work (None: not connected); ``parent`` and
        ``children`` are the hosts of the LiveViews nested around and in it."""
        super().__init__(effects or Effects.for_view(), host)
        self.id = view_id
        """The LiveView's DOM id (its container's ``id``; the channel topic is ``lv:<id>``)."""
        self.connect_params: Mapping[str, Any] = connect_params or {}
        """Params the client sent with its join (``LiveSocket`` ``params``); empty when dead."""
        self._inbox = Inbox(host)
        self._parent = None if parent is None else Inbox(parent)
        self._children: Mapping[str, Host] = {} if children is None else children

    @property
    def live_action(self) -> str | None:
        """The ``action`` of the route that matched the current URL (``LiveRoute(...,
        action="edit")``), also in the assigns as ``live_action``; None for a route without
        one. It follows ``push_patch`` and patch links to another route of this LiveView."""
        action = self._effects.data.get("live_action")
        return action if isinstance(action, str) else None

    @property
    def inbox(self) -> Inbox:
        """Where other code sends messages for this LiveView's ``handle_info``."""
        return self._inbox

    # nested LiveViews (pylive.live_render)

    @property
    def parent(self) -> Inbox | None:
        """The inbox of the LiveView that rendered this one with ``live_render`` (its
        ``handle_info`` gets what is sent there); None for a root or sticky LiveView, and
        during the HTTP render."""
        return self._parent

    def child(self, child_id: str) -> Inbox | None:
        """The inbox of the joined LiveView this one rendered with ``live_render(...,
        id=child_id)``; None if there is none (not joined yet, gone, or not connected)."""
        host = self._children.get(child_id)
        return None if host is None else Inbox(host)

    def temporary_assigns(self, **defaults: Any) -> Socket:
        """Reset these assigns to ``defaults`` after every render, without re-rendering them.

        For large collections rendered into a ``phx-update="append"``/``"prepend"`` container:
        the client keeps the rows already shown, so the server need not hold them. Returns the
        socket.
        """
        effects = self._effects
        effects.temporary = {**effects.temporary, **defaults}
        effects.assign({k: v for k, v in defaults.items() if k not in effects.data})
        return self

    # lifecycle hooks

    @overload
    def attach_hook(self, name: str, stage: Literal["handle_params"], fn: ParamsHook) -> Self: ...
    @overload
    def attach_hook(self, name: str, stage: Literal["handle_event"], fn: EventHook) -> Self: ...
    @overload
    def attach_hook(self, name: str, stage: Literal["handle_info"], fn: InfoHook) -> Self: ...
    @overload
    def attach_hook(self, name: str, stage: Literal["handle_async"], fn: AsyncHook) -> Self: ...
    @overload
    def attach_hook(
        self, name: str, stage: Literal["after_render"], fn: AfterRenderHook
    ) -> Self: ...
    def attach_hook(self, name: str, stage: Stage, fn: Callable[..., Awaitable[Any]]) -> Self:
        """Run ``fn`` before the view's ``stage`` callback (``"handle_params"``,
        ``"handle_event"``, ``"handle_info"``, ``"handle_async"``), or after each live render
        (``"after_render"``); like Phoenix's ``attach_hook/4``.

        Hooks of a stage run in attach order and get the callback's arguments, the socket
        first. Each returns ``None`` (or ``CONT``) to go on, ``HALT`` to stop: later hooks and
        the view's callback are skipped. A ``handle_event`` hook may return ``Halt(reply)`` to
        stop with a hook reply. ``after_render`` hooks return nothing; what they assign does not
        count as changed (no render follows), as in Phoenix. A name is unique per stage
        (``ValueError``).
        Returns the socket.
        """
        self._effects.hooks.attach(name, stage, fn)
        return self

    def detach_hook(self, name: str, stage: Stage) -> Self:
        """Remove the lifecycle hook ``name`` from ``stage`` (no error if it is not attached).
        Returns the socket."""
        self._effects.hooks.detach(name, stage)
        return self

    # LiveComponents

    def send_update(self, component: type, /, id: Hashable, **assigns: Any) -> None:
        """Give new ``assigns`` to this view's LiveComponent ``component`` with ``id``: its
        ``update`` runs after the current handler, before the next render. Updating a component
        that is not (or no longer) rendered is logged and ignored."""
        self._effects.send_update(Update(component, id, assigns))

    def send_update_after(
        self, delay: float, component: type, /, id: Hashable, **assigns: Any
    ) -> Timer:
        """``send_update`` after ``delay`` seconds (only when connected); cancel with
        ``cancel_timer``."""
        return self._timer(delay, lambda scope: Update(component, id, assigns), repeat=False)

    # pub/sub (pylive.pubsub, docs/pubsub.md)

    @property
    def pubsub_member(self) -> Member | None:
        """This view as a pub/sub subscriber (None when not connected); what
        ``broadcast_from`` and ``presence.track`` take it from."""
        return None if self._host is None else self._host.pubsub_member()

    def subscribe(self, topic: str) -> None:
        """Receive every message broadcast on ``topic`` (and its presence diffs) in
        ``handle_info``, in order, until ``unsubscribe`` or the end of the view. Does nothing
        when not connected (the first HTTP render)."""
        if self._host is not None:
            self._host.pubsub_member().subscribe(topic)

    def unsubscribe(self, topic: str) -> None:
        """Stop receiving ``topic`` (no error if not subscribed)."""
        if self._host is not None:
            self._host.pubsub_member().unsubscribe(topic)

    # flash

    def put_flash(self, kind: str, message: str) -> None:
        """Show ``message`` under ``kind`` (e.g. "info", "error"); survives live navigation."""
        self.assign(flash={**self._effects.data["flash"], kind: message})

    def clear_flash(self, kind: str | None = None) -> None:
        """Remove the flash message of ``kind``, or all of them."""
        flash = self._effects.data["flash"]
        self.assign(flash={} if kind is None else {k: v for k, v in flash.items() if k != kind})

    # navigation

    def push_patch(self, to: str, *, replace: bool = False) -> None:
        """Change the URL to another one of this LiveView; ``handle_params`` runs for it."""
        self._effects.navigation = Navigation("patch", to, replace)

    def push_navigate(self, to: str, *, replace: bool = False) -> None:
        """Navigate to another LiveView of the same live session without reloading the page."""
        self._effects.navigation = Navigation("navigate", to, replace)

    def redirect(self, to: str) -> None:
        """Leave the LiveView with a full page load of ``to`` (a path or an absolute URL)."""
        self._effects.navigation = Navigation("redirect", to)

    # timers

    def send_after(self, delay: float, msg: Any) -> Timer:
        """Deliver ``msg`` to ``handle_info`` after ``delay`` seconds (only when connected)."""
        return self._timer(delay, lambda scope: Info(msg, scope), repeat=False)

    def send_interval(self, interval: float, msg: Any) -> Timer:
        """Deliver ``msg`` every ``interval`` seconds, without drift (only when connected)."""
        return self._timer(interval, lambda scope: Info(msg, scope), repeat=True)

    def cancel_timer(self, timer: Timer) -> None:
        """Stop a timer started by ``send_after`` or ``send_interval``: no message of it is
        handled afterwards, not even one already queued."""
        timer.cancel()

    def _timer(
        self,
        period: float,
        mail: Callable[[anyio.CancelScope], Info | Update],
        *,
        repeat: bool,
    ) -> Timer:
        host = self._host
        if host is None:
            return Timer(None)

        scope_box: list[anyio.CancelScope] = []

        async def tick() -> None:
            start = anyio.current_time()
            n = 1
            while True:
                await anyio.sleep_until(start + n * period)
                if not await host.post(mail(scope_box[0])) or not repeat:
                    return
                n += 1

        scope = host.spawn(tick)
        scope_box.append(scope)
        return Timer(scope)

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
        effects = self._effects
        effects.assign({name: AsyncResult("loading", effects.kept_result(name)) for name in names})
        self._launch(names, fn, names)

    def start_async(self, name: Hashable, fn: Callable[[], Any]) -> None:
        """Run ``fn`` in the background; its outcome goes to ``handle_async(socket, name, result)``.

        Starting work under a name that is still running cancels the older run.
        """
        self._launch(name, fn, None)

    def cancel_async(self, name: Hashable) -> None:
        """Cancel background work started under ``name`` (its outcome is never delivered)."""
        jobs = self._effects.jobs
        job = None if jobs is None else jobs.pop(name, None)
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
        effects = self._effects
        if effects.jobs is None:
            effects.jobs = {}
        effects.jobs[key] = scope


def _complete(entry: UploadEntry) -> bool:
    """Valid, reported done by the client and (for channel uploads) all bytes on disk."""
    config_external = entry.meta is not None
    return entry.valid and entry.done and (entry.received or config_external)
