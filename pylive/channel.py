"""One channel per joined LiveView: its mailbox, its lifecycle calls, render → diff → reply.

Everything that reaches a LiveView goes through one mailbox and is handled one message at a time:
client events, ``live_patch``, infos (timers, the inbox) and finished background work. The channel
runs in a task of the socket's only while it has mail (``run``): an idle LiveView holds no task, and
its timers and background work run in the socket's task group under cancel scopes the channel
cancels when the view ends. After each message the LiveView is rendered (only if an assign changed),
diffed against what the client holds, and the result is written: a reply for client requests (every
ref gets one unless the view crashes, as from ``Phoenix.LiveView.Channel`` in
``lib/phoenix_live_view/channel.ex``), a ``diff`` push otherwise, never an empty diff. Because the
join is the first thing the channel handles and all output is written in order, the join reply
always precedes the channel's first push.

Errors in user code are logged and reported as ``phx_error`` only: like Phoenix's channel
process, a crashed view answers no pending ref (the client rejoins and the view mounts afresh).
The socket and the other channels are not affected.

The channel finds the app's router and tokens through its ``Connection``; it reads what handlers
did from the view socket's ``Effects`` and nothing else.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from time import perf_counter
from typing import Any, Final

import anyio

from pylive.broadcast_view import BroadcastView, Viewer, join_group
from pylive.component_registry import UnknownComponent
from pylive.connection import Connection
from pylive.effects import AsyncDone, Effects, Info, Navigation, Update
from pylive.errors import NoEventHandler, PyliveError
from pylive.lifecycle import (
    after_render,
    mount_view,
    patch_view,
    restore_view,
    run_handle_async,
    run_handle_event,
    run_handle_info,
    run_on_mount,
)
from pylive.live_render import NOT_MOUNTED_AT_ROUTER, ChildClaims, find_view, verify_child_join
from pylive.mailbox import Mailbox
from pylive.params import decode_query, key_path
from pylive.phoenix_socket import Outlet
from pylive.pubsub import Member
from pylive.routing import RouteMatch, view_key
from pylive.runtime import Runtime
from pylive.session import JoinClaims, verify_join
from pylive.socket import BaseSocket, Socket
from pylive.stash import ViewStash
from pylive.streams import StreamError
from pylive.telemetry_events import Telemetry
from pylive.transport.serializer import Message
from pylive.uploads.config import UploadConfig, UploadEntry, Uploads
from pylive.urls import client_path, client_target, resolve
from pylive.view import LiveLayout, LiveView
from pylive.view_tree import ViewTree, render_observer

__all__ = ["LIVEVIEW_VERSION", "LiveViewChannel"]

logger = logging.getLogger(__name__)

LIVEVIEW_VERSION: Final = "1.2.12"
"""The official client version this server speaks (sent in every join reply)."""

_MAX_PATCHES = 20
"""push_patch chains longer than this (handle_params patching again...) are a bug; Phoenix
stops at the same count."""


class _JoinRefused(Exception):
    """The join ends with this error reply."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__(response)
        self.response = response


class _Crashed(Exception):
    """User code failed; the channel has reported it and stops."""


_Mail = Message | Info | AsyncDone | Update


class LiveViewChannel:
    """Serves topic ``lv:<id>`` for one join: mount, then messages until leave/redirect/crash."""

    __slots__ = (
        "_channels",
        "_children",
        "_connect",
        "_counted",
        "_effects",
        "_ended",
        "_hub",
        "_jobs",
        "_join_payload",
        "_join_ref",
        "_joined_at",
        "_mail",
        "_member",
        "_out",
        "_parent",
        "_router",
        "_runtime",
        "_session_name",
        "_socket",
        "_started",
        "_stash",
        "_stash_store",
        "_sticky",
        "_telemetry",
        "_terminate_timeout",
        "_tokens",
        "_tree",
        "_uri",
        "_view",
        "_view_name",
        "_viewer",
    )

    def __init__(
        self,
        join: Message,
        outlet: Outlet,
        connection: Connection[Runtime],
        *,
        mailbox_size: int = 1024,
        terminate_timeout: float = 5.0,
    ) -> None:
        runtime = connection.runtime
        self._router = runtime.router
        self._tokens = runtime.tokens
        self._connect = connection.info
        self._join_ref = join.ref
        self._join_payload: Any = join.payload  # dropped once joined (the page's tokens)
        self._out = outlet
        self._mail = Mailbox[_Mail](mailbox_size, outlet.wake)
        self._terminate_timeout = terminate_timeout
        self._started = False  # run has begun the join
        self._jobs: set[anyio.CancelScope] | None = None  # running timers and background work
        self._tree: ViewTree | None = None
        self._view: LiveView | None = None
        self._socket: Socket | None = None
        self._effects = Effects({})
        self._session_name = ""
        self._uri = ""
        # nested LiveViews (pylive.live_render): the channels this view rendered and joined,
        # and the parent whose end ends this one (None for root and sticky views)
        self._channels = connection.channels
        self._children: dict[str, LiveViewChannel] = {}
        self._parent: LiveViewChannel | None = None
        self._sticky = False
        self._ended = False
        self._hub = runtime.pubsub
        self._member: Member | None = None  # created by the view's first pub/sub call
        self._runtime = runtime
        self._viewer: Viewer | None = None  # a broadcast view's viewer (pylive.broadcast_view)
        self._stash_store = runtime.settings.stash
        self._stash: ViewStash | None = None  # for a view with stashed assigns (pylive.stash)
        self._telemetry: Telemetry = runtime.telemetry
        self._view_name = ""  # the view's class (view_key), for telemetry and log records
        self._joined_at = 0.0  # perf_counter() when the join began
        self._counted = False  # the mount was reported to telemetry: its close will be

    # ------------------------------------------------------------------ Channel protocol

    def deliver(self, message: Message) -> Awaitable[None]:
        """Queue a client message (waits while the mailbox is full). (The mailbox's ``put``
        itself: no coroutine of its own on every client message.)"""
        return self._mail.put(message)

    async def run(self) -> bool:
        """Join (on the first call), then handle the mail queued: False once the mailbox is
        empty (the outlet's ``wake`` runs it again when mail comes), True once the LiveView
        ended (``terminate`` ran last)."""
        ended: str | None = "closed"  # if cancelled
        try:
            if not self._started:
                self._started = True
                self._joined_at = perf_counter()
                if (refused := await self._open()) is not None:
                    ended = refused
                    return True
            ended = await self._drain()
        finally:
            if ended is not None:
                await self._end(ended)
        return ended is not None

    async def _end(self, reason: str) -> None:
        """The LiveView ended: its jobs stop, ``terminate`` runs, resources are released."""
        left = self._mail.close()
        for job in self._jobs or ():
            job.cancel()
        try:
            if self._viewer is not None:
                reason = await self._leave_group(self._viewer, reason)
        finally:
            await self._terminate(reason)
            self._report_close(reason)
            self._discard_uploads()  # no temporary file outlives its view
            if self._member is not None:  # unsubscribe and untrack: no user code needed
                self._member.close()
            if self._stash is not None:
                with anyio.CancelScope(shield=True):
                    await self._stash.close(reason)
            self._ended = True
            self._unlink()
            await self._out.unhandled(left)  # what came in after the view's last message

    def _discard_uploads(self) -> None:
        components = [] if self._tree is None else self._tree.components.all_effects()
        for effects in (self._effects, *components):
            if isinstance(uploads := effects.data.get("uploads"), Uploads):
                uploads.discard_all()

    def close(self) -> None:
        """End the LiveView (idempotent): nothing more is delivered, it ends in its next
        ``run``."""
        self._mail.close()

    # ------------------------------------------------------------------ Host protocol

    def spawn(self, job: Callable[[], Awaitable[None]]) -> anyio.CancelScope:
        """Run ``job`` (a timer, background work) in the socket's task group until it returns
        or the LiveView ends. An exception in it is a bug: logged, and the view crashes."""
        scope = anyio.CancelScope()
        jobs = self._jobs
        if jobs is None:
            jobs = self._jobs = set()

        async def guarded() -> None:
            try:
                with scope:
                    await job()
            except Exception:
                self._report_crash("background job of %s failed")
                with anyio.CancelScope(shield=True):
                    await self._out.error()
                self.close()
            finally:
                jobs.discard(scope)

        if self._mail.closed or not self._out.start_soon(guarded):
            scope.cancel()  # the view or its socket ended: the job never runs
        else:
            jobs.add(scope)
        return scope

    async def post(self, mail: Info | AsyncDone | Update) -> bool:
        """Queue mail, waiting for room; False once the LiveView ended."""
        return await self._mail.deliver(mail)

    def post_nowait(self, mail: Info | AsyncDone | Update) -> bool:
        """Queue mail if there is room; False if full or ended."""
        return self._mail.offer(mail)

    def pubsub_member(self) -> Member:
        """This view's subscriber of the app's pub/sub hub (made on first use)."""
        if self._member is None:
            self._member = self._hub.member(lambda msg: self.post_nowait(Info(msg)), self.spawn)
        return self._member

    # ------------------------------------------------------------------ main loop

    async def _open(self) -> str | None:
        """The join; why the channel ends if it was refused."""
        payload, self._join_payload = self._join_payload, None
        try:
            await self._join(payload)
        except _JoinRefused as refused:
            await self._out.reply(self._join_ref, refused.response, status="error")
            return "join refused"
        return None

    async def _drain(self) -> str | None:
        """Handle the queued mail one message at a time: None once the mailbox is empty, or
        why the channel ends."""
        handle = self._handle if self._viewer is None else self._handle_viewer
        mailbox = self._mail
        while len(mailbox) or mailbox.closed:  # (empty: no WouldBlock raised and caught)
            try:
                mail = mailbox.get_nowait()
            except anyio.EndOfStream:
                return "closed"
            try:
                ended = await handle(mail)
            except _Crashed:
                return "crash"
            if ended is not None:
                return ended
        return None

    async def _handle(self, mail: _Mail) -> str | None:
        """Handle one message; returns why the channel ends, or None to go on.

        An exception in a handler is logged, reported with ``phx_error`` (and no reply to the
        message's ref, as a crashed Phoenix channel sends none), and ends the channel."""
        started = 0.0  # when a client event's handling began, if it is to be reported
        if isinstance(mail, Message):
            if mail.event == "phx_leave":
                await self._out.close()  # Phoenix's LiveView channel closes, then replies
                await self._out.reply(mail.ref, {})
                return "leave"
            handler = self._client_handlers.get(mail.event)
            if handler is None:
                await self._out.reply(mail.ref, {"reason": "unknown event"}, status="error")
                return None
            payload = mail.payload if isinstance(mail.payload, dict) else {}
            if mail.event == "event" and (
                self._telemetry.active or logger.isEnabledFor(logging.DEBUG)
            ):
                started = perf_counter()
            call = handler(self, mail.ref, payload)
        elif isinstance(mail, Info):
            call = self._on_info(mail)
        elif isinstance(mail, Update):
            call = self._on_update(mail)
        else:
            call = self._on_async(mail)
        try:
            ended = await call
        except Exception:
            self._report_crash("LiveView %s crashed")
            await self._out.error()
            raise _Crashed from None
        if started:
            self._report_event(payload.get("event"), perf_counter() - started)
        return ended

    async def _terminate(self, reason: str) -> None:
        if self._view is None or self._socket is None:
            return
        with anyio.CancelScope(shield=True), anyio.move_on_after(self._terminate_timeout):
            try:
                await self._view.terminate(self._socket, reason)
            except Exception:
                logger.exception("terminate of %s failed", self._out.topic)

    # ------------------------------------------------------------------ telemetry and logs

    def _metadata(self, **more: Any) -> dict[str, Any]:
        """What telemetry events and log records say about this view (their ``extra``)."""
        return {"view": self._view_name, "topic": self._out.topic, **more}

    def _report_mount(self, size: int) -> None:
        duration = perf_counter() - self._joined_at
        if logger.isEnabledFor(logging.INFO):
            extra = self._metadata(duration=duration)
            logger.info(
                "%s mounted %s in %.1f ms",
                self._out.topic,
                self._view_name,
                duration * 1000,
                extra=extra,
            )
        if self._telemetry.active:
            self._counted = True
            measurements = {"duration": duration, "bytes": size}
            self._telemetry.execute("pylive.live_view.mount", measurements, self._metadata())

    def _report_event(self, event: Any, duration: float) -> None:
        name = event if isinstance(event, str) else ""
        if logger.isEnabledFor(logging.DEBUG):
            extra = self._metadata(event=name, duration=duration)
            logger.debug(
                "%s handled %r in %.2f ms", self._out.topic, name, duration * 1000, extra=extra
            )
        if self._telemetry.active:
            self._telemetry.execute(
                "pylive.live_view.handle_event", {"duration": duration}, self._metadata(event=name)
            )

    def _report_crash(self, message: str) -> None:
        """Log the exception being handled (``message`` % topic) and count it."""
        logger.exception(message, self._out.topic, extra=self._metadata())
        if self._telemetry.active:
            self._telemetry.execute("pylive.live_view.crash", {}, self._metadata())

    def _report_close(self, reason: str) -> None:
        if self._view is None and self._viewer is None and not self._counted:
            return  # never mounted: the join was refused or crashed
        duration = perf_counter() - self._joined_at
        if logger.isEnabledFor(logging.INFO):
            extra = self._metadata(reason=reason, duration=duration)
            logger.info(
                "%s closed (%s) after %.1f s", self._out.topic, reason, duration, extra=extra
            )
        if self._counted:
            measurements = {"duration": duration}
            self._telemetry.execute(
                "pylive.live_view.close", measurements, self._metadata(reason=reason)
            )

    # ------------------------------------------------------------------ join

    async def _join(self, payload: Any) -> None:
        child = verify_child_join(self._tokens, self._out.topic, payload)
        if child is not None:
            return await self._join_child(child, payload)
        claims = verify_join(self._tokens, self._out.topic, payload)
        if claims is None or self._connect.session is None:
            raise _JoinRefused({"reason": "stale"})
        assert isinstance(payload, dict)

        match, navigated = self._route_join(claims, payload)
        if issubclass(match.route.view, BroadcastView):
            return await self._join_shared(claims, payload, match, navigated)
        socket = self._new_socket(claims.view_id, payload, claims.static_flash, navigated)
        effects = self._effects
        self._session_name = match.session.name
        session = dict(self._connect.session)

        async def mount() -> LiveView:
            stashed = await self._open_stash(match.route.view, claims.view_id, socket)
            return await mount_view(match, socket, effects, session, self._uri, stashed)

        view, rendered, patch = await self._mount(
            socket, view_key(match.route.view), mount, match.layout
        )
        reply: dict[str, Any] = {"rendered": rendered, "liveview_version": LIVEVIEW_VERSION}
        if navigated:
            reply["container"] = [match.route.container[0], match.route.container_attrs()]
        if patch is not None:
            reply["live_patch"] = patch
        self._view = view
        self._report_mount(await self._out.reply(self._join_ref, reply))

    async def _join_shared(
        self, claims: JoinClaims, payload: dict[str, Any], match: RouteMatch, navigated: bool
    ) -> None:
        """Join a broadcast view's group (``pylive.broadcast_view``): this viewer's own
        ``on_mount`` hooks (with its session) may refuse it; the group's render is the reply."""
        self._view_name = view_key(match.route.view)
        socket = self._new_socket(claims.view_id, payload, claims.static_flash, navigated)
        session = dict(self._connect.session or {})
        try:
            await run_on_mount(match, socket, self._effects, session)
        except Exception:
            logger.exception("mounting %s failed", self._out.topic)
            raise _JoinRefused({"reason": "join crashed"}) from None
        if self._effects.leaving and (nav := self._effects.take_navigation()) is not None:
            key, target = self._leave_payload(nav)
            raise _JoinRefused({key: target})

        async def accept(rendered: dict[str, Any]) -> None:
            reply: dict[str, Any] = {"rendered": rendered, "liveview_version": LIVEVIEW_VERSION}
            if navigated:
                reply["container"] = [match.route.container[0], match.route.container_attrs()]
            self._report_mount(await self._out.reply(self._join_ref, reply))

        viewer = Viewer(self._out, self.close, render_observer.get())
        try:
            joined = await join_group(self._runtime, match, session, self._uri, viewer, accept)
        except Exception:  # in shared_key: the group itself logs its own crashes
            logger.exception("joining %s to its broadcast view failed", self._out.topic)
            joined = False
        if not joined:
            raise _JoinRefused({"reason": "join crashed"})
        self._viewer = viewer

    async def _handle_viewer(self, mail: _Mail) -> str | None:
        """A broadcast view's viewer: its events go to the group, which sends the diffs."""
        viewer = self._viewer
        assert viewer is not None
        if not isinstance(mail, Message):
            return None
        payload = mail.payload if isinstance(mail.payload, dict) else {}
        if mail.event == "phx_leave":
            await self._out.close()
            await self._out.reply(mail.ref, {})
            return "leave"
        if mail.event == "event" and isinstance(event := payload.get("event"), str):
            await viewer.event(mail.ref, event, _event_params(payload))
        else:
            reason = f"{mail.event}: not supported by a broadcast view"
            await self._out.reply(mail.ref, {"reason": reason}, status="error")
        return None

    async def _leave_group(self, viewer: Viewer, reason: str) -> str:
        """A viewer leaves its broadcast view's group; ``crash`` if the group dropped it
        (it crashed, or this viewer fell behind: the client rejoins)."""
        viewer.leave()
        if viewer.dropped and reason == "closed":
            await self._out.error()
            return "crash"
        return reason

    def _new_socket(
        self,
        view_id: str,
        payload: dict[str, Any],
        static_flash: dict[str, Any],
        navigated: bool,
        *,
        parent: LiveViewChannel | None = None,
    ) -> Socket:
        """The joining view's socket, over fresh ``Effects`` (``self._effects``) holding its
        first flash: the one carried over by live navigation, or the HTTP render's on the first
        join of the page."""
        params = payload.get("params")
        connect_params: dict[str, Any] = params if isinstance(params, dict) else {}
        if isinstance(payload.get("flash"), str):
            flash = self._tokens.verify("flash", payload["flash"]) or {}
        elif not navigated and connect_params.get("_mounts") == 0:
            flash = static_flash
        else:
            flash = {}
        effects = self._effects = Effects.for_view(flash)
        return Socket(
            view_id,
            effects,
            host=self,
            connect_params=connect_params,
            parent=parent,
            children=self._children,
        )

    async def _open_stash(
        self, view_class: type[LiveView], view_id: str, socket: Socket
    ) -> dict[str, Any] | None:
        """The stash of a view that lists assigns in ``stash``; what this join restores."""
        if not view_class.stash:
            return None
        assert self._connect.session is not None  # joins are refused without it
        self._stash = ViewStash(
            self._stash_store,
            self._tokens,
            view_class,
            view_id,
            str(self._connect.session["_csrf_token"]),
            push=socket.push_event,
            spawn=self.spawn,
        )
        return await self._stash.load(socket.connect_params)

    async def _mount(
        self,
        socket: Socket,
        view_name: str,
        mount: Callable[[], Awaitable[LiveView]],
        layout: LiveLayout | None,
    ) -> tuple[LiveView, dict[str, Any], dict[str, str] | None]:
        """Run ``mount`` (which creates and mounts the view), follow its patches and render
        (inside its live ``layout``, if any): the view, its join ``rendered`` and the last
        patch. A mount that leaves, or fails, ends the join with an error reply."""
        effects = self._effects
        self._socket = socket
        self._view_name = view_name
        self._tree = ViewTree(socket, effects, self._tokens, connected=True, layout=layout)
        try:
            view = await mount()
            nav, patch = await self._follow_patches(view, socket)
            if nav is not None:
                key, target = self._leave_payload(nav)
                refusal: dict[str, Any] = {key: target}
                if events := effects.take_events():
                    refusal["events"] = events
                raise _JoinRefused(refusal)
            rendered = await self._render(view, force=True) or {}
        except (_JoinRefused, anyio.get_cancelled_exc_class()):
            raise
        except Exception:
            self._report_crash("mounting %s failed")
            raise _JoinRefused({"reason": "join crashed"}) from None
        return view, rendered, patch

    def _route_join(self, claims: JoinClaims, payload: dict[str, Any]) -> tuple[RouteMatch, bool]:
        """The route to mount: the ``redirect`` target (live navigation, same live session
        only) or the view in the token, whose ``url`` must still route to it."""
        root = self._connect.root_path
        redirect = payload.get("redirect")
        url = redirect if isinstance(redirect, str) else payload.get("url")
        if not isinstance(url, str):
            raise _JoinRefused({"reason": "unauthorized"})
        match = self._router.match_url(url, root)
        view = self._router.view(claims.view)
        if match is None or view is None or match.session.name != claims.live_session:
            raise _JoinRefused({"reason": "unauthorized"})
        if redirect is None and match.route.view is not view:
            raise _JoinRefused({"reason": "unauthorized"})
        self._uri = url
        return match, redirect is not None

    # ------------------------------------------------------------------ client messages

    async def _on_event(self, ref: str | None, payload: dict[str, Any]) -> str | None:
        view, socket = self._view, self._socket  # (``_mounted`` inlined: every event)
        assert view is not None and socket is not None
        event = payload.get("event")
        if not isinstance(event, str):
            await self._out.reply(ref, {"reason": "malformed event"}, status="error")
            return None
        if payload.get("type") == "form" and not isinstance(payload.get("value"), str):
            logger.warning(
                "%s: form event %r with malformed params dropped", self._out.topic, event
            )
            await self._out.reply(ref, {"reason": "malformed form params"}, status="error")
            return None
        params = _event_params(payload)
        if isinstance(payload.get("uploads"), dict):
            self._put_upload_entries(payload["uploads"], payload.get("cid"))
        cid = payload.get("cid")
        if isinstance(cid, int):
            return await self._on_component_event(ref, cid, event, params)
        if event == "lv:clear-flash":
            key = params.get("key")
            socket.clear_flash(key if isinstance(key, str) else None)
            return await self._emit(ref)
        if event.startswith("lv:"):
            await self._out.reply(ref, {"reason": "unknown event"}, status="error")
            return None
        try:
            reply = await run_handle_event(view, socket, self._effects, event, params)
        except (NoEventHandler, StreamError) as bad:
            return await self._refuse(ref, bad)
        return await self._emit(ref, reply)

    async def _refuse(self, ref: str | None, error: NoEventHandler | StreamError) -> str | None:
        """An event the view cannot take: one for a view or component without
        ``handle_event``, or whose handler called a stream operation with bad input (an item
        without an id, an unknown stream; the operation did nothing). An error reply and a log
        line; the view goes on (Phoenix would crash it). What the handler changed before is
        rendered with the next message."""
        logger.warning("%s: %s", self._out.topic, error)
        reason = "no handle_event" if isinstance(error, NoEventHandler) else str(error)
        await self._out.reply(ref, {"reason": reason}, status="error")
        return None

    async def _on_component_event(
        self, ref: str | None, cid: int, event: str, params: dict[str, Any]
    ) -> str | None:
        assert self._tree is not None
        try:
            reply = await self._tree.components.handle_event(cid, event, params)
        except (NoEventHandler, StreamError) as bad:
            return await self._refuse(ref, bad)
        except UnknownComponent:
            # the component was removed while the event was on its way (or never existed)
            logger.warning(
                "%s: event %r for unknown component %d dropped", self._out.topic, event, cid
            )
            await self._out.reply(ref, {"reason": "unknown component"}, status="error")
            return None
        if reply is not None and not isinstance(reply, Mapping):
            raise TypeError(f"handle_event must return a mapping or None, got {reply!r}")
        return await self._emit(ref, reply)

    async def _on_live_patch(self, ref: str | None, payload: dict[str, Any]) -> str | None:
        view, socket = self._mounted()
        url = payload.get("url")
        match = (
            self._router.match_url(url, self._connect.root_path) if isinstance(url, str) else None
        )
        if match is None or not match.same_view(self._session_name, type(view)):
            await self._out.reply(ref, {"link_redirect": True})
            return None
        assert isinstance(url, str)
        self._uri = url
        await patch_view(view, socket, self._effects, match, url)
        return await self._emit(ref)

    async def _on_cids_will_destroy(self, ref: str | None, payload: dict[str, Any]) -> str | None:
        assert self._tree is not None
        cids = payload.get("cids")
        self._tree.components.mark(cids if isinstance(cids, list) else [])
        await self._out.reply(ref, {})
        return None

    async def _on_cids_destroyed(self, ref: str | None, payload: dict[str, Any]) -> str | None:
        assert self._tree is not None
        cids = payload.get("cids")
        gone = self._tree.components.destroy(cids if isinstance(cids, list) else [])
        await self._out.reply(ref, {"cids": gone})
        return None

    # ------------------------------------------------------------------ uploads

    def _upload_home(self, cid: object = None) -> tuple[Effects, Uploads, BaseSocket] | None:
        """Where uploads live: the view's assigns, or component ``cid``'s."""
        effects: Effects = self._effects
        socket: BaseSocket | None = self._socket
        if cid is not None:
            found = None if self._tree is None else self._tree.components.socket_of(cid)
            if found is None:
                return None
            effects, socket = found
        uploads = effects.data.get("uploads")
        if not isinstance(uploads, Uploads) or socket is None:
            return None
        return effects, uploads, socket

    def _uploads_changed(self, effects: Effects, uploads: Uploads, cid: object) -> None:
        effects.assign({"uploads": uploads})
        if isinstance(cid, int) and self._tree is not None:
            self._tree.components.touch(cid)

    def _put_upload_entries(self, raw: dict[str, Any], cid: object) -> None:
        """A form event's ``uploads``: new entries by config ref (stale refs ignored)."""
        home = self._upload_home(cid)
        if home is None:
            return
        effects, uploads, _ = home
        for ref, entries in raw.items():
            config = uploads.by_ref(ref)
            if config is not None:
                config.put_entries(entries)
                self._uploads_changed(effects, uploads, cid)

    def upload_entry(
        self, config_ref: str, entry_ref: str, cid: object = None
    ) -> tuple[UploadConfig, UploadEntry] | None:
        """The config and entry an upload channel's token names, if still there."""
        home = self._upload_home(cid)
        config = None if home is None else home[1].by_ref(config_ref)
        entry = None if config is None else config.entry(entry_ref)
        if config is None or entry is None:
            return None
        return config, entry

    async def _on_allow_upload(self, ref: str | None, payload: dict[str, Any]) -> str | None:
        """The preflight: a token (or an external uploader's metadata) per valid entry."""
        cid = payload.get("cid")
        home = self._upload_home(cid)
        config = None if home is None else home[1].by_ref(payload.get("ref"))
        if home is None or config is None:
            await self._out.reply(ref, {"reason": "unknown upload"}, status="error")
            return None
        effects, uploads, socket = home
        config.put_entries(payload.get("entries"))
        self._uploads_changed(effects, uploads, cid)
        if config.errors:
            errors = [[r, error] for r, error in config.errors]
            return await self._emit(ref, reply={"ref": config.ref, "error": errors})
        answers: dict[str, Any] = {}
        free = config.max_entries
        for entry in config.entries:
            if entry.preflighted:
                free -= 1
        for entry in list(config.entries):
            if entry.preflighted or free <= 0:
                continue
            free -= 1
            entry = config.renew(entry)
            entry.preflighted = True
            if config.external is not None:
                meta = config.external(entry, socket)
                if inspect.isawaitable(meta):
                    meta = await meta
                entry.meta = dict(meta)
                answers[entry.ref] = entry.meta
            else:
                claims = [self._out.topic[3:], config.ref, entry.ref, cid]
                answers[entry.ref] = self._tokens.sign("upload", claims)
        reply = {
            "ref": config.ref,
            "config": config.config_payload(),
            "entries": answers,
            "errors": {},
        }
        return await self._emit(ref, reply=reply)

    async def _on_progress(self, ref: str | None, payload: dict[str, Any]) -> str | None:
        cid = payload.get("cid")
        home = self._upload_home(cid)
        config = None if home is None else home[1].by_ref(payload.get("ref"))
        entry_ref = payload.get("entry_ref")
        entry = None
        if config is not None and isinstance(entry_ref, str):
            entry = config.entry(entry_ref)
        if home is None or config is None or entry is None:
            await self._out.reply(ref, {})
            return None
        effects, uploads, socket = home
        progress = payload.get("progress")
        if isinstance(progress, dict):  # an external uploader failed
            if config.external is not None:
                config.errors.append((entry.ref, "external_client_failure"))
                config.validate()
        elif isinstance(progress, int) and progress > entry.progress:
            entry = config.renew(entry)
            entry.progress = min(progress, 100)
            entry.done = entry.progress == 100
        self._uploads_changed(effects, uploads, cid)
        if config.progress_callback is not None:
            result = config.progress_callback(config.name, entry, socket)
            if inspect.isawaitable(result):
                await result
        return await self._emit(ref)

    _client_handlers: Final[
        dict[str, Callable[[LiveViewChannel, str | None, dict[str, Any]], Awaitable[str | None]]]
    ] = {
        "event": _on_event,
        "live_patch": _on_live_patch,
        "cids_will_destroy": _on_cids_will_destroy,
        "cids_destroyed": _on_cids_destroyed,
        "allow_upload": _on_allow_upload,
        "progress": _on_progress,
    }

    # ------------------------------------------------------------------ server mail

    async def _on_info(self, info: Info) -> str | None:
        view, socket = self._mounted()
        if info.cancelled:
            return None
        if info.msg is _PARENT_EXITED:
            await self._out.close()  # as Phoenix's socket closes the channel of a child
            return "parent_exited"
        await run_handle_info(view, socket, self._effects, info.msg)
        return await self._emit(None)

    async def _on_update(self, update: Update) -> str | None:
        _, socket = self._mounted()
        socket.send_update(update.component, update.id, **update.assigns)
        return await self._emit(None)

    async def _on_async(self, done: AsyncDone) -> str | None:
        view, socket = self._mounted()
        result = self._effects.settle(done)
        if result is not None:
            await run_handle_async(view, socket, self._effects, done.key, result)
        return await self._emit(None)

    # ------------------------------------------------------------------ output

    def _mounted(self) -> tuple[LiveView, Socket]:
        assert self._view is not None and self._socket is not None
        return self._view, self._socket

    async def _emit(
        self,
        ref: str | None,
        hook_reply: Mapping[str, Any] | None = None,
        *,
        reply: Mapping[str, Any] | None = None,
    ) -> str | None:
        """Write the outcome of a handled message: navigation, or the diff (reply or push)."""
        view, socket = self._view, self._socket  # (``_mounted`` inlined: every message)
        assert view is not None and socket is not None
        nav: Navigation | None = None
        patch: dict[str, str] | None = None
        if self._effects.navigation is not None:  # most events navigate nowhere
            nav, patch = await self._follow_patches(view, socket)
        if nav is not None:
            if events := self._effects.take_events():  # pending events go out before leaving
                await self._out.push("diff", {"e": events})
            key, target = self._leave_payload(nav)
            if ref is not None:
                await self._out.reply(ref, {key: target})
            else:
                await self._out.push(key, target)
            if self._sticky and nav.kind == "navigate":
                return None  # a sticky LiveView navigates the page and lives on
            await self._out.close()
            return "redirect"
        if patch is not None:
            await self._out.push("live_patch", patch)
        started = perf_counter() if self._telemetry.active else 0.0
        diff = await self._render(view, hook_reply=hook_reply)
        duration = perf_counter() - started if started else 0.0
        size = 0
        if ref is not None:
            response = dict(reply) if reply else {}
            if diff:
                response["diff"] = diff
            size = await self._out.reply(ref, response)
        elif diff:
            size = await self._out.push("diff", diff)
        if started and diff:
            measurements = {"duration": duration, "bytes": size}
            self._telemetry.execute("pylive.live_view.render", measurements, self._metadata())
        return None

    async def _follow_patches(
        self, view: LiveView, socket: Socket
    ) -> tuple[Navigation | None, dict[str, str] | None]:
        """Carry out ``push_patch`` requests (each runs ``handle_params``).

        Returns a pending redirect/navigate, and the last patch for the client.
        """
        patch: dict[str, str] | None = None
        patches = 0
        while True:
            nav = self._effects.take_navigation()
            if nav is None or nav.kind != "patch":
                return nav, patch
            patches += 1
            if patches > _MAX_PATCHES:
                raise PyliveError(
                    f"more than {_MAX_PATCHES} push_patch in a row (handle_params loop?)"
                )
            uri = resolve(nav.to, self._uri)
            match = self._router.match_url(uri, self._connect.root_path)
            if match is None or not match.same_view(self._session_name, type(view)):
                raise PyliveError(f"push_patch to {nav.to!r}: that URL is not this LiveView")
            self._uri = uri
            patch = {"to": client_path(uri), "kind": "replace" if nav.replace else "push"}
            await patch_view(view, socket, self._effects, match, uri)

    def _leave_payload(self, nav: Navigation) -> tuple[str, dict[str, Any]]:
        """``("redirect", {...})`` or ``("live_redirect", {...})`` with a flash token if the
        flash changed, so it survives the navigation."""
        payload: dict[str, Any] = {"to": client_target(resolve(nav.to, self._uri), self._uri)}
        if nav.kind == "navigate":
            payload["kind"] = "replace" if nav.replace else "push"
        flash = self._effects.data["flash"]
        if "flash" in self._effects.changed and flash:
            payload["flash"] = self._tokens.sign("flash", flash)
        return ("redirect" if nav.kind == "redirect" else "live_redirect"), payload

    async def _render(
        self,
        view: LiveView,
        *,
        force: bool = False,
        hook_reply: Mapping[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """The diff for this message: template changes plus top-level ``t``, ``e``, ``r``."""
        effects, tree = self._effects, self._tree
        assert tree is not None
        out: dict[str, Any] = {}
        changed = frozenset(effects.changed)
        if force or changed or tree.stale:
            assigns = effects.assigns
            out = await tree.diff(view, assigns, changed) or {}
            if "page_title" in changed:
                title = assigns["page_title"]
                if title is not None or not force:
                    out["t"] = "" if title is None else str(title)
            assert self._socket is not None
            if effects.hooks.attached("after_render"):  # most views have none: no coroutine
                await after_render(self._socket, effects)
            if self._stash is not None:
                self._stash.rendered(assigns, changed)
            effects.rendered()
        if effects.events:  # most renders push no event: no new list then
            out["e"] = effects.take_events()
        if hook_reply is not None:
            out["r"] = dict(hook_reply)
        if out and (observer := render_observer.get()) is not None:
            html = tree.html()
            topic, join_ref = self._out.topic, self._out.join_ref
            seen = tree.observed(view)
            observer(topic, join_ref, out, seen, effects.assigns, html, tree.components)
        return out or None

    # ------------------------------------------------------------------ nested LiveViews

    async def _join_child(self, claims: ChildClaims, payload: dict[str, Any]) -> None:
        """Join a nested or sticky LiveView (``pylive.live_render``): no URL, no route check;
        a nested one's parent must be joined on this connection (else ``stale``, as Phoenix
        answers when the parent process is gone)."""
        parent: LiveViewChannel | None = None
        if claims.parent_id is not None:
            found = self._channels.get(f"lv:{claims.parent_id}")
            if not isinstance(found, LiveViewChannel) or found._view is None:
                raise _JoinRefused({"reason": "stale"})
            parent = found
        view_class = find_view(claims.view)
        if view_class is None or self._connect.session is None:
            raise _JoinRefused({"reason": "stale"})
        socket = self._new_socket(
            claims.view_id, payload, claims.static_flash, False, parent=parent
        )
        self._sticky = claims.sticky
        self._uri = parent._uri if parent is not None else ""
        session = {**self._connect.session, **claims.session}

        async def mount() -> LiveView:
            stashed = await self._open_stash(view_class, claims.view_id, socket)
            view = view_class()
            await view.mount(socket, NOT_MOUNTED_AT_ROUTER, session)
            await restore_view(view, socket, self._effects, stashed)
            return view

        own_layout = view_class.layout
        view, rendered, _ = await self._mount(
            socket, view_key(view_class), mount, own_layout or None
        )
        self._view = view
        if parent is not None:
            if parent._ended:
                raise _JoinRefused({"reason": "stale"})  # the parent ended meanwhile
            self._parent = parent
            parent._children[claims.view_id] = self
        reply = {"rendered": rendered, "liveview_version": LIVEVIEW_VERSION}
        self._report_mount(await self._out.reply(self._join_ref, reply))

    def _unlink(self) -> None:
        """This view ended: leave its parent's children, and end its own children (Phoenix's
        children monitor their parent and stop when it exits, whatever the reason)."""
        parent, self._parent = self._parent, None
        if parent is not None and parent._children.get(self._out.topic[3:]) is self:
            del parent._children[self._out.topic[3:]]
        children = list(self._children.values())
        self._children.clear()
        for child in children:
            child._parent = None
            if not child.post_nowait(Info(_PARENT_EXITED)):
                child.close()


_PARENT_EXITED: Final = object()
"""Mail for a nested LiveView whose parent ended: it closes its channel."""


def _event_params(payload: dict[str, Any]) -> dict[str, Any]:
    """The ``params`` of ``handle_event``: form values decoded and merged with ``meta``."""
    value = payload.get("value")
    if payload.get("type") == "form" and isinstance(value, str):
        params = decode_query(value)
        meta = payload.get("meta")
        if isinstance(meta, dict):
            params.update(meta)
        target = params.get("_target")
        if isinstance(target, str):
            params["_target"] = [part for part in key_path(target) if part]
        return params
    if isinstance(value, dict):
        return value
    return {} if value is None else {"value": value}
