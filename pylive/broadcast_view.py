"""Broadcast views: one render and one diff per update, shared by every viewer of a page.

A ``BroadcastView`` is a LiveView whose connected viewers with the same ``shared_key`` form a
group (per process) that holds ONE view instance, ONE set of assigns and ONE tree of what was
sent. The group mounts once (when its first viewer joins), handles every message (``handle_info``
from pub/sub and timers, the viewers' ``handle_event``) one at a time, renders and diffs once,
encodes the diff once, and hands the same JSON to each viewer's socket, where only the frame's
envelope (topic, join ref) differs. A viewer who joins later gets the group's current tree in
full; the shared diffs apply to it from there. The group ends with its last viewer.

The viewer's channel (``pylive.channel``) keeps what is per viewer: the join checks (token,
route, the live session's ``on_mount`` hooks, with the viewer's own session), its topic and
join ref, its ``phx_leave``. Everything else belongs to the group, see docs/pubsub.md
("Broadcast views") for what is not supported in shared mode.

A crash in the group (mount, a handler, the render) is logged; the group ends and every viewer
gets ``phx_error``, so their clients rejoin and mount a fresh group, as a crashed Phoenix
LiveView rejoins. A viewer whose socket falls 256 frames behind is dropped the same way (its
client rejoins and gets the current tree in full); the others are not slowed down.
"""

from __future__ import annotations

import itertools
import logging
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import anyio
import orjson

from pylive.effects import AsyncDone, Effects, Info, Update
from pylive.errors import PyliveError
from pylive.lifecycle import (
    after_render,
    run_handle_async,
    run_handle_event,
    run_handle_info,
    run_handle_params,
)
from pylive.mailbox import Mailbox
from pylive.phoenix_socket import Outlet
from pylive.pubsub import Member
from pylive.routing import RouteMatch
from pylive.runtime import Runtime
from pylive.socket import Socket, spawn_in
from pylive.streams import Stream
from pylive.view import LiveView
from pylive.view_tree import ViewTree

__all__ = ["BroadcastView", "BroadcastViewError", "Viewer", "join_group"]

logger = logging.getLogger(__name__)


class BroadcastViewError(PyliveError):
    """A broadcast view used what shared mode does not support."""


class BroadcastView(LiveView):
    """A LiveView rendered once per update for all its viewers (docs/pubsub.md).

    ``mount`` runs once per group with the params of the viewer who opened it and an empty
    session (the session is a viewer's, the group is everyone's); ``handle_event``,
    ``handle_info``, ``handle_async`` and ``render`` run once for the whole group. The first
    HTTP render of the page is an ordinary one, per request.
    """

    shared_mailbox: ClassVar[int] = 1024
    """Messages a group queues (its viewers' events and its infos) before senders wait."""

    @classmethod
    def shared_key(cls, params: dict[str, Any], session: dict[str, Any]) -> str:
        """Which group a viewer joins, from the route params and the viewer's session: viewers
        with the same key share one render. Default: one group for the whole route."""
        return ""


RenderObserver = Callable[..., None]


@dataclass(eq=False)
class Viewer:
    """One viewer's membership in a group, held by its channel."""

    outlet: Outlet
    end: Callable[[], None]
    """Closes the viewer's channel (its mailbox); it then reports ``phx_error``."""
    observer: RenderObserver | None
    group: _Group | None = None
    dropped: bool = False
    """The group ended or dropped this viewer: its channel crashes so that its client
    rejoins."""

    async def event(self, ref: str | None, event: str, params: dict[str, Any]) -> None:
        """A client event: the group handles it; the sender gets its reply after the diff."""
        group = self.group
        if group is not None:
            await group.mail.deliver(_Event(self, ref, event, params))

    def leave(self) -> None:
        """The viewer's channel ended: leave the group (the last viewer ends it)."""
        group, self.group = self.group, None
        if group is not None:
            group.leave(self)


@dataclass(eq=False)
class _Join:
    viewer: Viewer
    accept: Callable[[dict[str, Any]], Awaitable[None]]
    done: anyio.Event = field(default_factory=anyio.Event)
    ok: bool = False


@dataclass(eq=False)
class _Event:
    viewer: Viewer
    ref: str | None
    event: str
    params: dict[str, Any]


_GroupKey = tuple[str, type[LiveView], str]
_groups: weakref.WeakKeyDictionary[Runtime, dict[_GroupKey, _Group]] = weakref.WeakKeyDictionary()
_ids = itertools.count(1)


async def join_group(
    runtime: Runtime,
    match: RouteMatch,
    session: dict[str, Any],
    uri: str,
    viewer: Viewer,
    accept: Callable[[dict[str, Any]], Awaitable[None]],
) -> bool:
    """Put ``viewer`` in its group (mounting the group if it is the first): ``accept`` is
    called with the join ``rendered``, in the group's order, before any shared diff reaches
    the viewer. False if the group could not mount or ended first."""
    view = match.route.view
    assert issubclass(view, BroadcastView)
    key = (match.session.name, view, view.shared_key(dict(match.params), session))
    groups = _groups.setdefault(runtime, {})
    group = groups.get(key)
    if group is None:
        group = groups[key] = _Group(runtime, key, match, uri)
        await runtime.tasks.start_soon(group.run, name=f"broadcast view {view.__name__}")
    group.viewers.add(viewer)  # counted at once: the group cannot end before this join
    viewer.group = group
    join = _Join(viewer, accept)
    group.joining.add(join)
    try:
        if await group.mail.deliver(join):
            await join.done.wait()
    finally:
        group.joining.discard(join)
    if not join.ok:
        viewer.leave()
    return join.ok


_GroupMail = _Join | _Event | Info | AsyncDone | Update


class _Group:
    """The viewers of one shared key, their one view, and its one render state."""

    def __init__(self, runtime: Runtime, key: _GroupKey, match: RouteMatch, uri: str) -> None:
        self._runtime = runtime
        self._key = key
        self._match = match
        self._uri = uri
        view_class = key[1]
        assert issubclass(view_class, BroadcastView)
        self.mail = Mailbox[_GroupMail](view_class.shared_mailbox)
        self.joining: set[_Join] = set()
        """Joins not answered yet (told when the group ends first)."""
        self.viewers: set[Viewer] = set()
        self._members: dict[Viewer, None] = {}  # joined, in join order: who gets the diffs
        self._effects = Effects.for_view()
        self._socket = Socket(f"phx-shared-{next(_ids)}", self._effects, host=self)
        self._tree = ViewTree(
            self._socket, self._effects, runtime.tokens, connected=True, layout=match.layout
        )
        self._tg: anyio.abc.TaskGroup | None = None
        self._member: Member | None = None
        self._view: LiveView | None = None

    # ------------------------------------------------------------------ Host protocol

    def spawn(self, job: Callable[[], Awaitable[None]]) -> anyio.CancelScope:
        """Run ``job`` in the group's task group (timers, background work)."""
        assert self._tg is not None
        return spawn_in(self._tg, job)

    async def post(self, mail: Info | AsyncDone | Update) -> bool:
        """Queue mail for the group, waiting for room; False once it ended."""
        return await self.mail.deliver(mail)

    def post_nowait(self, mail: Info | AsyncDone | Update) -> bool:
        """Queue mail if there is room; False if full or ended."""
        return self.mail.offer(mail)

    def pubsub_member(self) -> Member:
        """The group's one subscriber of the app's hub (one per group, not per viewer)."""
        if self._member is None:
            hub = self._runtime.pubsub
            self._member = hub.member(lambda msg: self.post_nowait(Info(msg)), self.spawn)
        return self._member

    # ------------------------------------------------------------------ life

    def leave(self, viewer: Viewer) -> None:
        self.viewers.discard(viewer)
        self._members.pop(viewer, None)
        if not self.viewers:
            self._forget()
            self.mail.close()

    def _forget(self) -> None:
        groups = _groups.get(self._runtime, {})
        if groups.get(self._key) is self:
            del groups[self._key]

    async def run(self) -> None:
        """Mount, then handle the group's mail until its last viewer leaves or it crashes."""
        name = self._key[1].__name__
        try:
            async with anyio.create_task_group() as tg:
                self._tg = tg
                try:
                    await self._mount()
                    async for mail in self.mail:
                        await self._handle(mail)
                except Exception:
                    logger.exception("broadcast view %s (key %r) crashed", name, self._key[2])
                tg.cancel_scope.cancel()
        finally:
            self._forget()
            self.mail.close()
            for viewer in list(self.viewers):  # every client rejoins and mounts afresh
                viewer.dropped = True
                viewer.group = None
                viewer.end()
            self.viewers.clear()
            for join in self.joining:
                join.done.set()
            await self._terminate()
            if self._member is not None:
                self._member.close()

    async def _terminate(self) -> None:
        if self._view is None:
            return
        with anyio.CancelScope(shield=True), anyio.move_on_after(5.0):
            try:
                await self._view.terminate(self._socket, "closed")
            except Exception:
                logger.exception("terminate of broadcast view %s failed", self._key[1].__name__)

    async def _mount(self) -> None:
        match, effects, socket = self._match, self._effects, self._socket
        view = match.route.view()
        params = dict(match.params)
        effects.assign({"live_action": match.route.action})
        await view.mount(socket, params, {})
        await run_handle_params(view, socket, effects, params, self._uri)
        self._view = view
        self._check()
        rendered = await self._render()  # the first diff: the tree in full, for every joiner
        self._check_children(orjson.dumps(rendered).decode())

    async def _handle(self, mail: _GroupMail) -> None:
        view, socket, effects = self._mounted()
        if isinstance(mail, _Join):
            return await self._join(mail)
        if isinstance(mail, _Event):
            reply = await run_handle_event(view, socket, effects, mail.event, mail.params)
            await self._emit()
            if mail.viewer in self._members:
                response = {"diff": {"r": dict(reply)}} if reply is not None else {}
                await mail.viewer.outlet.reply(mail.ref, response)
            return None
        if isinstance(mail, Info):
            if not mail.cancelled:
                await run_handle_info(view, socket, effects, mail.msg)
                await self._emit()
            return None
        if isinstance(mail, AsyncDone):
            result = effects.settle(mail)
            if result is not None:
                await run_handle_async(view, socket, effects, mail.key, result)
            await self._emit()
            return None
        raise BroadcastViewError("send_update: a broadcast view has no LiveComponents")

    def _mounted(self) -> tuple[LiveView, Socket, Effects]:
        assert self._view is not None
        return self._view, self._socket, self._effects

    async def _join(self, join: _Join) -> None:
        viewer = join.viewer
        if viewer.group is not self:  # left while waiting
            join.done.set()
            return
        rendered = self._tree.full() or {}
        title = self._effects.assigns["page_title"]
        if title is not None:
            rendered = {**rendered, "t": str(title)}
        self._observe(viewer, rendered)
        try:
            await join.accept(rendered)
            join.ok = True
            self._members[viewer] = None
        finally:
            join.done.set()

    # ------------------------------------------------------------------ render

    def _check(self) -> None:
        """Refuse what shared mode does not support, with the reason."""
        effects = self._effects
        nav = effects.take_navigation()
        if nav is not None:
            raise BroadcastViewError(
                f"a broadcast view cannot navigate (push_patch/push_navigate/redirect to "
                f"{nav.to!r}): it is shared by every viewer; navigate from the client "
                f"(a link) instead"
            )
        if any(isinstance(value, Stream) for value in effects.data.values()):
            raise BroadcastViewError("a broadcast view cannot use streams (assign lists)")
        if self._tree.components:
            raise BroadcastViewError("a broadcast view cannot render LiveComponents")

    def _check_children(self, payload: str) -> None:
        """Refuse a nested LiveView: its container names the group as its parent (which no
        channel serves), as an attribute in the JSON of the render."""
        if f'\\"{self._socket.id}\\"' in payload:
            raise BroadcastViewError(
                "a broadcast view cannot render nested LiveViews (live_render): they would "
                "have the shared render as their parent"
            )

    async def _render(self) -> dict[str, Any]:
        """Render and diff once for everyone; returns the diff (empty if nothing changed)."""
        view, socket, effects = self._mounted()
        tree = self._tree
        out: dict[str, Any] = {}
        changed = frozenset(effects.changed)
        if changed or tree.stale:
            out = await tree.diff(view, effects.assigns, changed) or {}
            self._check()
            if "page_title" in changed:
                title = effects.assigns["page_title"]
                out["t"] = "" if title is None else str(title)
            await after_render(socket, effects)
            effects.rendered()
        if events := effects.take_events():
            out["e"] = events
        return out

    async def _emit(self) -> None:
        """After a handled message: the one diff, encoded once, to every viewer."""
        self._check()
        out = await self._render()
        if not out:
            return
        payload = orjson.dumps(out).decode()
        self._check_children(payload)
        for viewer in list(self._members):
            self._observe(viewer, out)
            if not viewer.outlet.push_encoded_nowait("diff", payload):
                logger.warning(
                    "viewer %s of broadcast view %s is too slow: dropped (its client rejoins)",
                    viewer.outlet.topic,
                    self._key[1].__name__,
                )
                viewer.dropped = True
                viewer.leave()
                viewer.end()

    def _observe(self, viewer: Viewer, out: Mapping[str, Any]) -> None:
        """The ``render_observer`` test seam, per viewer (each has its own topic)."""
        if viewer.observer is None or not out:
            return
        view, _, effects = self._mounted()
        outlet = viewer.outlet
        observed = self._tree.observed(view)
        html = self._tree.html()
        viewer.observer(
            outlet.topic,
            outlet.join_ref,
            out,
            observed,
            effects.assigns,
            html,
            self._tree.components,
        )
