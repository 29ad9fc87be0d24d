"""The protocol half of a ``View``: one LiveView channel as the official client runs it.

``ViewChannel`` owns the socket connection (a task of the ``live`` block), joins and rejoins,
applies every frame the server sends the moment it arrives — replies, ``diff`` pushes,
patches, redirects, ``phx_close``/``phx_error`` — with the client's own merge/render
(``ClientTree``, ``StreamState``), checks each diff against the server's render
(``conformance``), runs the component destroy handshake, and keeps what the page shows: URL,
title, pushed events, redirect, patches. A failure found while reading (a mismatch, a crash) is
stored and raised by the next call, or when the ``live`` block exits.

``View`` (``view.py``) adds the user-facing half: reading the page, assertions, actions.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, ExitStack
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

import anyio
import anyio.abc
import itsdangerous

from pylive.stash import STASH_EVENT, STASH_PARAM
from pylive.testing.asgi import HOST, CookieJar, HttpResponse, WebSocketClosed
from pylive.testing.client_tree import ClientError, ClientTree, extract
from pylive.testing.conformance import check_diff_matches, check_html_matches
from pylive.testing.crashlog import CrashLog, format_cause
from pylive.testing.dom import Document
from pylive.testing.errors import (
    DiffMismatch,
    JoinError,
    Redirect,
    ViewClosed,
    ViewCrashed,
)
from pylive.testing.page import LivePage
from pylive.testing.phoenix import Frame, PhoenixConnection
from pylive.testing.probe import Recorder, observer_var
from pylive.testing.streams import StreamState

__all__ = ["FLASH_COOKIE", "ORIGIN", "BrowserSession", "PushedEvent", "ViewChannel"]

HEARTBEAT_INTERVAL = 30.0
"""Seconds between heartbeats, as in ``phoenix.js``."""
FLASH_COOKIE = "__phoenix_flash__"
ORIGIN = f"http://{HOST}"
"""The origin of every page the test client loads."""


class BrowserSession(Protocol):
    """What a view needs from the browser session it lives in (``LiveClient`` is one): its
    cookies, the page's socket, and HTTP for full page loads."""

    @property
    def cookies(self) -> CookieJar:
        """The session's cookie jar (the flash cookie of a redirect goes there)."""
        ...

    def connect(
        self, page: LivePage, *, timeout: float | None = None
    ) -> AbstractAsyncContextManager[PhoenixConnection]:
        """Open ``page``'s socket as the browser does, without joining."""
        ...

    async def request(
        self, method: str, path: str, *, follow_redirects: bool = False
    ) -> HttpResponse:
        """An HTTP request with the session's cookies."""
        ...

    def page_of(self, response: HttpResponse) -> LivePage:
        """The live page of a response (or ``Redirected``/``NotALiveView``)."""
        ...


@dataclass(frozen=True)
class PushedEvent:
    """An event the server pushed to the client's JS (``push_event``: top-level ``e``)."""

    name: str
    payload: Any


@dataclass(eq=False)
class PendingRequest:
    """A message waiting for its reply; the reader runs ``on_reply`` before waking waiters."""

    description: str
    on_reply: Callable[[PendingRequest, Frame], Awaitable[None]] | None = None
    done: anyio.Event = field(default_factory=anyio.Event)
    context: Any = None
    """What the sender needs back in ``on_reply`` (e.g. the URL being joined)."""
    link: str | None = None
    """For a patch link: its URL, while no other patch superseded it (the client's
    ``pendingLink``)."""
    status: str | None = None
    response: Any = None
    reply: Any = None


def decode_flash(token: Any) -> dict[str, Any]:
    """The flash in a token, read without verifying it (the client cannot either)."""
    if not isinstance(token, str) or not token:
        return {}
    _, payload = itsdangerous.URLSafeTimedSerializer("-").loads_unsafe(token)
    return dict(payload) if isinstance(payload, dict) else {}


def _redirect_of(kind: str, payload: Any) -> Redirect:
    data = payload if isinstance(payload, Mapping) else {}
    token = data.get("flash")
    return Redirect(
        kind="live_redirect" if kind == "live_redirect" else "redirect",
        to=str(data.get("to", "")),
        replace=data.get("kind") == "replace",
        flash=decode_flash(token),
        flash_token=token if isinstance(token, str) else None,
    )


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


class ViewChannel:
    """The client side of one joined LiveView (see the module docstring)."""

    def __init__(
        self,
        client: BrowserSession,
        tg: anyio.abc.TaskGroup,
        *,
        timeout: float,
        check_diffs: bool,
    ) -> None:
        self._client = client
        self._tg = tg
        self.timeout = timeout
        """Seconds any wait for the server may take before failing."""
        self.check_diffs = check_diffs
        """Whether each diff is checked against the server's full render."""
        self._exits = ExitStack()
        self._crashes = self._exits.enter_context(CrashLog(lambda: self._topic))
        self._page: LivePage | None = None
        self._conn: PhoenixConnection | None = None
        self._conn_scope: anyio.CancelScope | None = None
        self._conn_done: anyio.Event | None = None
        self._recorder = Recorder()
        self._topic = ""
        self._join_ref: str | None = None
        self._joined = False
        self._mounts = 0
        self._tree: ClientTree | None = None
        self._streams = StreamState()
        self._version = 0
        self._docs: dict[str, tuple[int, Document]] = {}
        self._pending: dict[str, PendingRequest] = {}
        self._changed = anyio.Event()
        self._failure: BaseException | None = None
        self._failure_raised = False
        self._closed_reason: str | None = None
        self._cids_in_dom: set[int] = set()
        self._link_ref = 0
        """Counts patches, a link's or the server's (``LiveSocket.linkRef``): a patch link
        moves the URL only if no other patch came before its reply."""
        self._crashed_link: str | None = None
        """The patch link that was pending when the view crashed: the client then loads it."""
        self._used_fields: dict[str, set[str]] = {}
        self._typed_fields: dict[str, dict[str, list[str]]] = {}
        """Per form, the values the test typed (as the browser's DOM keeps them)."""
        self.url = ""
        """Absolute URL of the view (updated by patches)."""
        self.title: str | None = None
        """The document title, as the client sets it from ``page_title``."""
        self.redirect: Redirect | None = None
        """The navigation the server (or a link) asked for, until ``follow_redirect``."""
        self.patches: list[str] = []
        """Every ``live_patch`` applied to this view (the ``to`` paths), oldest first."""
        self.pushed_events: list[PushedEvent] = []
        """Every ``push_event`` received by this view, in order."""
        self.assigns: dict[str, Any] = {}
        """The server-side assigns as of the last render the client applied."""
        # nested and sticky LiveViews (pylive.live_render), on the same connection
        self._family: dict[str, ViewChannel] = {}
        """Every other view on this connection by topic (one dict, shared by the family)."""
        self._children: dict[str, ViewChannel] = {}
        """The nested LiveViews this view's render holds, by id, in order of appearance."""
        self._stickies: dict[str, ViewChannel] = {}
        """The page's sticky LiveViews (kept on the main view)."""
        self._nested: _Nested | None = None
        """For a nested or sticky view: its container's tokens and its parent."""
        self._joining: PendingRequest | None = None
        self._join_mode = "url"
        """How the view last joined: ``"redirect"`` once it came by live navigation (the
        client's ``View.redirect``, which its rejoins keep sending)."""
        self._side: dict[str, PendingRequest] = {}
        """Requests on ``lvu:`` upload topics by ref (``pylive.testing.uploads``)."""
        self._stashes: dict[str, str] = {}
        """The page's stash tokens by view id, as pylive's bundle keeps them (on the main
        view; a page load forgets them)."""

    @property
    def id(self) -> str:
        """The LiveView's DOM id (its channel topic is ``lv:<id>``)."""
        return self._topic.removeprefix("lv:")

    # ================================================================== requests

    async def _event(self, payload: dict[str, Any]) -> Any:
        request = PendingRequest(f"event {payload.get('event')!r}", self._on_event_reply)
        await self._send("event", payload, request)
        return request.reply

    async def _send(self, event: str, payload: Any, request: PendingRequest) -> None:
        """Push ``event`` and wait until its reply has been applied."""
        self._check()
        if self.redirect is not None:
            raise ViewClosed(
                f"cannot send {request.description}: the view was redirected to "
                f"{self.redirect.to!r} (call follow_redirect())"
            )
        if not self._joined or self._conn is None:
            raise ViewClosed(f"cannot send {request.description}: {self._closed_reason}")
        ref = await self._conn.push(self._topic, event, payload)
        self._pending[ref] = request
        await self._wait(request)
        if request.status == "error":
            self._raise_error_reply(request)
        await self._main()._settle()

    async def _wait(self, request: PendingRequest) -> None:
        try:
            with anyio.fail_after(self.timeout):
                await request.done.wait()
        except TimeoutError:
            self._check()
            raise TimeoutError(
                f"no reply to {request.description} within {self.timeout} s"
            ) from None
        self._check()

    def _raise_error_reply(self, request: PendingRequest) -> None:
        raise AssertionError(f"the server refused {request.description}: {request.response!r}")

    def _crash_error(self, what: str) -> ViewCrashed:
        cause = self._crashes.take()
        detail = format_cause(cause)
        error = ViewCrashed(f"{what} ({self._topic})" + (f":\n{detail}" if detail else ""))
        error.__cause__ = cause
        return error

    # ================================================================== joining

    async def _open(self, page: LivePage) -> None:
        """Connect to ``page``'s socket and join its main view."""
        await self._connect(page)
        await self._join(mode="url", url=page.url)

    async def _connect(self, page: LivePage) -> None:
        await self._disconnect()
        self._page = page
        self._topic = page.topic
        self._recorder = Recorder()
        self._conn = await self._tg.start(self._run_connection, page)
        self._forget_family()
        for view_id, session, static in page.stickies:
            await self._join_sticky(view_id, session, static)

    async def _disconnect(self) -> None:
        if self._conn_scope is not None and self._conn_done is not None:
            if self._joined:
                await self._leave()
            self._conn_scope.cancel()
            await self._conn_done.wait()
        self._conn = self._conn_scope = self._conn_done = None
        self._joined = False

    async def _run_connection(
        self, page: LivePage, *, task_status: anyio.abc.TaskStatus[PhoenixConnection]
    ) -> None:
        done = anyio.Event()
        self._conn_done = done
        try:
            with anyio.CancelScope() as scope:
                self._conn_scope = scope
                async with AsyncExitStack() as stack:
                    var = observer_var()
                    token = var.set(self._recorder if self.check_diffs else None)
                    try:
                        conn = await stack.enter_async_context(
                            self._client.connect(page, timeout=self.timeout)
                        )
                    finally:
                        var.reset(token)
                    task_status.started(conn)
                    async with anyio.create_task_group() as tg:
                        tg.start_soon(self._heartbeat, conn)
                        await self._read(conn)
                        tg.cancel_scope.cancel()
        finally:
            done.set()

    async def _heartbeat(self, conn: PhoenixConnection) -> None:
        while True:
            await anyio.sleep(HEARTBEAT_INTERVAL)
            await conn.heartbeat()

    async def _read(self, conn: PhoenixConnection) -> None:
        try:
            while True:
                frame = await conn.receive(math.inf)
                try:
                    await self._dispatch(frame)
                except Exception as exc:  # a mismatch or client error: fail the view
                    self._fail(exc)
                self._touch()
        except WebSocketClosed as closed:
            self._joined = False
            self._closed_reason = f"the server closed the socket (code {closed.code})"
            for request in self._pending.values():
                request.status, request.response = "error", {"reason": "socket closed"}
                request.done.set()
            self._pending.clear()
            self._touch()

    async def _join(self, *, mode: str, url: str, flash: str | None = None) -> None:
        """Join the view (``mode`` ``"url"``: (re)join; ``"redirect"``: live navigation)."""
        request = await self._push_join(mode=mode, url=url, flash=flash)
        await self._wait(request)
        await self._settle()
        if request.status == "ok":
            return
        response = request.response if isinstance(request.response, Mapping) else {}
        for event in response.get("events") or []:
            self._record_event(event)
        if response.get("redirect") or response.get("live_redirect"):
            kind = "redirect" if response.get("redirect") else "live_redirect"
            self._set_redirect(_redirect_of(kind, response[kind]))
            return
        if mode == "redirect" and response.get("reason") in ("unauthorized", "stale"):
            await self._load(url)  # the client falls back to a full page load
            return
        cause = self._crashes.take()
        error = JoinError(response)
        if cause is not None:
            error.args = (f"join refused: {response!r}\n{format_cause(cause)}",)
        error.__cause__ = cause
        raise error

    async def _push_join(self, *, mode: str, url: str, flash: str | None) -> PendingRequest:
        """Send the join (``_join`` waits for its reply; a child's is sent by the reader)."""
        assert self._conn is not None
        self._join_mode = mode
        assert self._page is not None
        if self._nested is not None:
            payload = self._nested.join_payload(self._page, self._mounts)
        else:
            payload = self._page.join_payload(
                url=url if mode == "url" else None,
                redirect=url if mode == "redirect" else None,
                mounts=self._mounts,
                live_referer=self.url if mode == "redirect" else None,
                flash=flash,
            )
        if (token := self._main()._stashes.get(self.id)) is not None:
            payload["params"][STASH_PARAM] = token  # as pylive's bundle sends it
        self._tree, self._streams = None, StreamState()
        self._cids_in_dom, self._used_fields, self._typed_fields = set(), {}, {}
        request = PendingRequest(f"join of {self._topic}", self._on_join_reply, context=url)
        ref = await self._conn.join(self._topic, payload)
        self._join_ref = ref
        self._pending[ref] = request
        return request

    async def _leave(self) -> None:
        if self._conn is None or not self._joined:
            return
        self._joined = False
        request = PendingRequest(f"leave of {self._topic}")
        ref = await self._conn.push(self._topic, "phx_leave", {})
        self._pending[ref] = request
        with anyio.move_on_after(self.timeout):
            await request.done.wait()

    async def _navigate(self, url: str, flash: str | None) -> None:
        await self._drop_children()  # the client destroys the main view's children
        if self._joined:
            await self._leave()
        previous = self.url
        self._reset_view_state()
        self.url = previous
        await self._join(mode="redirect", url=url, flash=flash)

    async def _load(self, url: str) -> None:
        response = await self._client.request("GET", path_of(url), follow_redirects=True)
        page = self._client.page_of(response)
        self._reset_view_state()
        self._stashes.clear()  # a new document
        await self._open(page)

    def _reset_view_state(self) -> None:
        self._mounts = 0
        self.patches, self.pushed_events, self.assigns = [], [], {}
        self.redirect = self._crashed_link = None

    # ================================================================== frames

    async def _dispatch(self, frame: Frame) -> None:
        if frame.topic.startswith("lvu:"):  # an upload channel's reply (or its phx_close)
            side = self._side.pop(frame.ref or "", None) if frame.is_reply else None
            if side is not None:
                side.status, side.response = frame.status, frame.response
                side.done.set()
            return
        if frame.topic != self._topic:
            other = self._family.get(frame.topic)
            if other is not None and other is not self:  # a nested or sticky view's frame
                try:
                    await other._dispatch(frame)
                except Exception as exc:
                    other._fail(exc)
                other._touch()
            return  # heartbeat replies, other topics
        if frame.join_ref is not None and frame.join_ref != self._join_ref:
            return  # outdated message of an earlier join (the client drops it too)
        if frame.is_reply:
            request = self._pending.pop(frame.ref or "", None)
            if request is not None:
                request.status, request.response = frame.status, frame.response
                try:
                    if request.on_reply is not None:
                        await request.on_reply(request, frame)
                finally:
                    request.done.set()
            return
        payload = frame.payload if isinstance(frame.payload, dict) else {}
        if frame.event == "diff":
            await self._apply(payload, "diff push")
        elif frame.event == "live_patch":
            self._on_live_patch(payload)
        elif frame.event in ("redirect", "live_redirect"):
            self._set_redirect(_redirect_of(frame.event, payload))
        elif frame.event == "phx_close":
            self._joined = False
            self._closed_reason = "the server closed the channel"
        elif frame.event == "phx_error":
            self._on_crash()

    def _on_crash(self) -> None:
        """``phx_error``: the LiveView crashed. Like a Phoenix channel process that died, it
        answers none of the requests still pending, so they fail now with the crash."""
        self._joined = False
        self._closed_reason = "the LiveView crashed"
        links = [r.link for r in self._pending.values() if r.link and r.context == self._link_ref]
        self._crashed_link = links[-1] if links else None
        unanswered = ", ".join(request.description for request in self._pending.values())
        what = "the LiveView crashed" + (f" before replying to {unanswered}" if unanswered else "")
        self._fail(self._crash_error(what))  # wakes every pending request with the crash
        self._pending.clear()

    async def _on_join_reply(self, request: PendingRequest, frame: Frame) -> None:
        if frame.status != "ok":
            return
        response = frame.response if isinstance(frame.response, dict) else {}
        self.url = str(request.context)
        self._joined = True
        self._mounts += 1
        self._closed_reason = None
        await self._apply(response.get("rendered") or {}, f"join of {self._topic}", join=True)
        if response.get("live_patch"):
            self._on_live_patch(response["live_patch"])

    async def _on_event_reply(self, request: PendingRequest, frame: Frame) -> None:
        if frame.status != "ok":
            return
        response = frame.response if isinstance(frame.response, dict) else {}
        if response.get("diff"):
            request.reply = await self._apply(response["diff"], f"reply to {request.description}")
        if response.get("redirect"):
            self._set_redirect(_redirect_of("redirect", response["redirect"]))
        if response.get("live_patch"):
            self._on_live_patch(response["live_patch"])
        if response.get("live_redirect"):
            self._set_redirect(_redirect_of("live_redirect", response["live_redirect"]))

    def _link_patch(self, to: str) -> tuple[str, PendingRequest]:
        """The URL and request of a patch link to ``to`` (``live_patch``)."""
        url = urljoin(self.url, to)
        self._link_ref += 1
        request = PendingRequest(
            f"live_patch {to}", self._on_patch_reply, context=self._link_ref, link=url
        )
        return url, request

    async def _on_patch_reply(self, request: PendingRequest, frame: Frame) -> None:
        url, link_ref = str(request.link), request.context
        await self._on_event_reply(request, frame)
        if frame.status != "ok":
            return
        response = frame.response if isinstance(frame.response, dict) else {}
        if response.get("link_redirect"):
            self._set_redirect(Redirect("live_redirect", path_of(url)))
        elif not response.get("redirect") and link_ref == self._link_ref:
            # a live_patch the server pushed meanwhile (handle_params patching) supersedes
            # the link, as in the client (commitPendingLink)
            self.url = url
            self.patches.append(path_of(url))

    def _on_live_patch(self, payload: Any) -> None:
        self._link_ref += 1
        to = str(payload.get("to", "")) if isinstance(payload, Mapping) else ""
        self.url = urljoin(self.url, to)
        self.patches.append(to)

    def _set_redirect(self, redirect: Redirect) -> None:
        self.redirect = redirect

    def _record_event(self, event: Any) -> None:
        if isinstance(event, list) and len(event) > 1 and event[0] == STASH_EVENT:
            self._keep_stash(event[1])
        if isinstance(event, list) and event:
            self.pushed_events.append(
                PushedEvent(str(event[0]), event[1] if len(event) > 1 else None)
            )

    def _keep_stash(self, payload: Any) -> None:
        """A ``pylive:stash`` event: keep (or forget) the token of a view, as pylive's
        bundle does (``pylive/client/src/bootstrap.js``)."""
        if not isinstance(payload, Mapping) or not isinstance(payload.get("id"), str):
            return
        stashes = self._main()._stashes
        token = payload.get("token")
        if isinstance(token, str):
            stashes[payload["id"]] = token
        else:
            stashes.pop(payload["id"], None)

    # ================================================================== applying diffs

    async def _apply(self, raw: dict[str, Any], where: str, *, join: bool = False) -> Any:
        """Apply one diff like ``View.applyDiff`` + ``update``; returns the hook reply."""
        extracted = extract(raw)
        diff = extracted.diff
        pre = [e for e in extracted.events if isinstance(e, list) and len(e) == 3 and e[2] is True]
        for event in pre:
            self._record_event(event)
        record = None
        if self.check_diffs and (diff or join):
            record = check_diff_matches(
                where, diff, self._recorder.take(self._topic, self._join_ref)
            )
            self.assigns = record.assigns
        cids_before = self._cids_in_dom
        try:
            if join or self._tree is None:
                self._tree = ClientTree(self.id, diff)
                _, streams = self._tree.to_string()
            else:
                tree = self._tree
                tree.merge(diff)
                if tree.is_component_only_diff(diff):
                    streams = []
                    for cid in self._parent_cids(tree.component_cids(diff)):
                        streams += tree.component_to_string(cid)[1]
                elif diff:
                    _, streams = tree.to_string(tree.component_cids(diff))
                else:
                    streams = []
        except ClientError as exc:
            raise DiffMismatch(
                f"{where}: the official client would fail on this diff: {exc}"
            ) from exc
        if record is not None:
            check_html_matches(where, record.diff, self._tree.html("none"), record)
        tree = self._tree
        for update in streams:
            self._streams.apply(update, tree.row_html)
        self._cids_in_dom = tree.component_cids_in_view(r.node for r in self._streams.all_rows())
        if join or extracted.has_title:
            self._put_title(extracted.title if extracted.has_title else None)
        for event in extracted.events:
            if event not in pre:
                self._record_event(event)
        self._touch()
        destroyed = sorted(cids_before - self._cids_in_dom)
        if destroyed and not join:
            await self._destroy(destroyed)
        if self._children or _mentions(raw, "data-phx-session"):
            await self._join_children()
        return extracted.reply

    def _parent_cids(self, cids: Sequence[int]) -> list[int]:
        """``DOM.findExistingParentCIDs``: the cids in the DOM that are not inside another."""
        assert self._tree is not None
        present = [cid for cid in cids if cid in self._cids_in_dom]
        children: set[int] = set()
        components = self._tree.rendered.get("c", {})
        for cid in present:
            node = components.get(str(cid))
            if node is not None:
                children |= _cids_below(node, components) - {cid}
        return [cid for cid in present if cid not in children]

    def _put_title(self, title: Any) -> None:
        page_title = self._page.title if self._page else None
        if page_title is None:
            if isinstance(title, str):
                self.title = title
            return
        composed = page_title.compose(title)
        if composed is not None:
            self.title = composed

    async def _destroy(self, cids: list[int]) -> None:
        """The destroy handshake for components that left the DOM (``view.js``'s
        ``maybePushComponentsDestroyed``)."""
        assert self._tree is not None and self._conn is not None
        for cid in cids:
            self._tree.reset_render(cid)

        async def will_destroy(request: PendingRequest, frame: Frame) -> None:
            gone = [cid for cid in cids if cid not in self._cids_in_dom]
            if frame.status == "ok" and gone and self._conn is not None:
                ref = await self._conn.push(self._topic, "cids_destroyed", {"cids": gone})
                self._pending[ref] = PendingRequest("cids_destroyed", destroyed)

        async def destroyed(request: PendingRequest, frame: Frame) -> None:
            response = frame.response if isinstance(frame.response, dict) else {}
            if frame.status == "ok" and self._tree is not None:
                self._tree.prune_cids(int(c) for c in response.get("cids") or [])

        ref = await self._conn.push(self._topic, "cids_will_destroy", {"cids": cids})
        self._pending[ref] = PendingRequest("cids_will_destroy", will_destroy)

    # ================================================================== state and failures

    def _touch(self) -> None:
        self._version += 1
        changed, self._changed = self._changed, anyio.Event()
        changed.set()

    def _fail(self, error: BaseException) -> None:
        if self._failure is None:
            self._failure = error
        for request in self._pending.values():
            request.done.set()
        self._touch()

    def _check(self) -> None:
        """Raise the failure the reader found, if any (again on every call: the view is dead)."""
        if self._failure is not None:
            self._failure_raised = True
            raise self._failure

    async def _close(self) -> BaseException | None:
        """Leave and disconnect; returns a failure nobody has seen yet (a nested view's too,
        unless it crashed: that only ends the nested view)."""
        try:
            with anyio.CancelScope(shield=True):
                await self._disconnect()
        finally:
            self._exits.close()
            family = list(self._family.values())
            for view in family:
                view._exits.close()
        if self._failure is not None and not self._failure_raised:
            self._failure_raised = True
            return self._failure
        for view in family:
            failure = view._failure
            if failure is not None and not view._failure_raised:
                view._failure_raised = True
                if not isinstance(failure, ViewCrashed):
                    return failure
        return None

    # ================================================================== nested LiveViews

    def _main(self) -> ViewChannel:
        """The page's main view (this one, unless this is a nested or sticky view)."""
        view = self
        while view._nested is not None:
            view = view._nested.parent
        return view

    def _spawn(self, view_id: str, session: str, static: str | None, sticky: bool) -> ViewChannel:
        """A view object for a nested or sticky LiveView on this view's connection."""
        view = type(self)(
            self._client, self._tg, timeout=self.timeout, check_diffs=self.check_diffs
        )
        view._page, view._conn, view._recorder = self._page, self._conn, self._recorder
        view._topic = f"lv:{view_id}"
        view._nested = _Nested(self, session, static, sticky)
        view._family = self._family
        view.url = self.url
        self._family[view._topic] = view
        return view

    async def _join_children(self) -> None:
        """Join the nested LiveViews that appeared in this view's render and leave those that
        went (``View.joinNewChildren``, ``destroyDescendent``); join new sticky ones
        (``LiveSocket.joinRootViews``). Replies are read later: ``_settle`` waits for them."""
        if self._tree is None or self._conn is None:
            return
        html = self._tree.html("none", self._streams)
        if "data-phx-session" not in html and not self._children:
            return  # the common case: no nested LiveView here
        doc = Document(html)
        present: list[str] = []
        selector = f'[data-phx-session][data-phx-parent-id="{self.id}"]'
        for el in doc.find_all(selector):
            view_id, session = el.attr("id") or "", el.attr("data-phx-session") or ""
            if not view_id or not session:
                continue
            present.append(view_id)
            child = self._children.get(view_id)
            if child is None:
                child = self._spawn(view_id, session, self._dead_static(view_id), False)
                child._mounts = self._mounts - 1  # view.ts: `parent.joinCount - 1`
                self._children[view_id] = child
            if not child._joined and child._joining is None and child._failure is None:
                child.url = self.url
                child._joining = await child._push_join(mode="url", url=self.url, flash=None)
        for view_id in [v for v in self._children if v not in present]:
            await self._children.pop(view_id)._drop()
        main = self._main()
        for el in doc.find_all("[data-phx-sticky][data-phx-session]"):
            view_id = el.attr("id") or ""
            if view_id and view_id not in main._stickies:
                session = el.attr("data-phx-session") or ""
                await main._join_sticky(view_id, session, self._dead_static(view_id))

    async def _join_sticky(self, view_id: str, session: str, static: str | None) -> None:
        sticky = self._spawn(view_id, session, static, True)
        self._stickies[view_id] = sticky
        sticky._joining = await sticky._push_join(mode="url", url=self.url, flash=None)

    def _dead_static(self, view_id: str) -> str | None:
        """``data-phx-static`` of the container ``view_id`` in the HTTP render, if it was there
        (the client copies it from the DOM)."""
        if self._page is None:
            return None
        found = Document(self._page.container_html).find_all(f'[id="{view_id}"]')
        return (found[0].attr("data-phx-static") or None) if found else None

    async def _settle(self) -> None:
        """Wait until every nested and sticky view being joined has its reply."""
        views = [*self._children.values(), *self._stickies.values()]
        for view in views:
            request, view._joining = view._joining, None
            if request is not None:
                with anyio.move_on_after(self.timeout):
                    await request.done.wait()
                if request.status == "error" and view._failure is None:
                    view._fail(JoinError(request.response))
            await view._settle()

    async def _drop(self) -> None:
        """The container left the parent's render: leave (without waiting for the reply)."""
        await self._drop_children()
        self._family.pop(self._topic, None)
        if self._conn is not None and self._joined:
            self._joined = False
            self._closed_reason = "its container left the parent's render"
            ref = await self._conn.push(self._topic, "phx_leave", {})
            self._pending[ref] = PendingRequest(f"leave of {self._topic}")
        self._touch()

    async def _drop_children(self) -> None:
        children = list(self._children.values())
        self._children.clear()
        for child in children:
            await child._drop()

    def _forget_family(self) -> None:
        """A new connection: the views of the old one are gone."""
        for view in self._family.values():
            view._joined = False
            view._closed_reason = "the page was left"
            view._exits.close()
        self._family.clear()
        self._children.clear()
        self._stickies.clear()


def _mentions(node: Any, text: str) -> bool:
    """Whether a string in the diff ``node`` contains ``text`` (a nested view's container)."""
    pending = [node]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if text in value:
                return True
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


@dataclass(frozen=True)
class _Nested:
    """A nested or sticky view's container tokens and the view that holds it."""

    parent: ViewChannel
    session: str
    static: str | None
    sticky: bool

    def join_payload(self, page: LivePage, mounts: int) -> dict[str, Any]:
        """The ``phx_join`` payload of a child or sticky view: no ``url`` (``view.js``)."""
        params: dict[str, Any] = {"_csrf_token": page.csrf_token or ""}
        params["_mounts"] = mounts
        params["_mount_attempts"] = 0
        return {
            "params": params,
            "session": self.session,
            "static": self.static,
            "sticky": self.sticky,
        }


def _cids_below(node: Any, components: Mapping[str, Any]) -> set[int]:
    found: set[int] = set()
    pending = [node]
    while pending:
        value = pending.pop()
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            if int(value) not in found:
                found.add(int(value))
                child = components.get(str(int(value)))
                if child is not None:
                    pending.append(child)
        elif isinstance(value, dict):
            pending += [v for k, v in value.items() if k not in ("s", "p", "stream", "kc", "r")]
    return found
