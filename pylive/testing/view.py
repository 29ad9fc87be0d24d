"""``View``: one LiveView driven like the official client drives it, without a browser.

A ``View`` is a browser tab showing a live page. It joins the page's main LiveView over the
real Phoenix socket, keeps the client's cache of the view (``ClientTree``) and its stream rows
(``StreamState``), and turns test actions — click this button, type into that form, follow
this link — into exactly the messages ``phoenix_live_view`` 1.2.12 would send, built from the
current HTML (``phx-click``, ``phx-value-*``, ``phx-target``, form fields, ``_unused_``
markers, ``meta._target``).

Every frame the server sends is applied the moment it arrives, by a reader task, in order:
replies, ``diff`` pushes, patches, redirects, ``phx_close``/``phx_error``. Each applied diff is
checked against the server's own render of the view (``conformance``), so every test written
with this client is also a protocol conformance test. A failure found by the reader (a
mismatch, a crash) is raised by the next call on the view, or when the ``live`` block exits.

Navigation mirrors the browser: a redirect (``push_navigate``, ``redirect``, a live link) is
recorded in ``redirect`` and followed by ``follow_redirect()`` — live navigation joins the new
view on the same socket; a full redirect loads the new page over HTTP (flash cookie included).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import anyio
import anyio.abc
import itsdangerous

from pylive.testing import phoenix
from pylive.testing.asgi import HOST, WebSocketClosed
from pylive.testing.client_tree import ClientError, ClientTree, extract, is_cid
from pylive.testing.conformance import check_diff_matches, check_html_matches
from pylive.testing.crashlog import CrashLog, format_cause
from pylive.testing.dom import Document, Element, SelectorError, TextFilter
from pylive.testing.errors import (
    DiffMismatch,
    JoinError,
    NotALiveView,
    Redirect,
    ViewClosed,
    ViewCrashed,
)
from pylive.testing.events import Command, extract_meta, parse_binding
from pylive.testing.forms import first_field, flatten, form_controls, form_of, serialize_form
from pylive.testing.page import LivePage
from pylive.testing.phoenix import Frame, PhoenixConnection
from pylive.testing.probe import Recorder, observer_var
from pylive.testing.streams import StreamState

if TYPE_CHECKING:
    from pylive.testing.client import LiveClient

__all__ = ["PushedEvent", "View"]

HEARTBEAT_INTERVAL = 30.0
"""Seconds between heartbeats, as in ``phoenix.js``."""
FLASH_COOKIE = "__phoenix_flash__"
_ORIGIN = f"http://{HOST}"


@dataclass(frozen=True)
class PushedEvent:
    """An event the server pushed to the client's JS (``push_event``: top-level ``e``)."""

    name: str
    payload: Any


@dataclass(eq=False)
class _Request:
    """A message waiting for its reply; the reader runs ``on_reply`` before waking waiters."""

    description: str
    on_reply: Callable[[_Request, Frame], Awaitable[None]] | None = None
    done: anyio.Event = field(default_factory=anyio.Event)
    context: Any = None
    """What the sender needs back in ``on_reply`` (e.g. the URL being joined)."""
    status: str | None = None
    response: Any = None
    reply: Any = None


def _decode_flash(token: Any) -> dict[str, Any]:
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
        flash=_decode_flash(token),
        flash_token=token if isinstance(token, str) else None,
    )


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


class View:
    """A live page under test. Get one from ``pylive.testing.live`` (or a ``LiveClient``)."""

    def __init__(
        self,
        client: LiveClient,
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
        self._pending: dict[str, _Request] = {}
        self._changed = anyio.Event()
        self._failure: BaseException | None = None
        self._failure_raised = False
        self._closed_reason: str | None = None
        self._crash_reported: str | None = None
        self._cids_in_dom: set[int] = set()
        self._used_fields: dict[str, set[str]] = {}
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

    # ================================================================== reading the page

    @property
    def id(self) -> str:
        """The LiveView's DOM id (its channel topic is ``lv:<id>``)."""
        return self._topic.removeprefix("lv:")

    @property
    def path(self) -> str:
        """Path and query of ``url``."""
        return _path_of(self.url)

    @property
    def connected(self) -> bool:
        """Whether the view is joined (not redirected, closed or crashed)."""
        return self._joined

    @property
    def flash(self) -> dict[str, Any]:
        """The view's flash messages (server assigns as of the last applied render)."""
        flash = self.assigns.get("flash")
        return dict(flash) if isinstance(flash, Mapping) else {}

    def html(self) -> str:
        """The view's current HTML: the container's content as the browser's DOM holds it
        (the client-side merge of every diff, stream rows included, no client markers)."""
        return self._document("none").source

    def text(self) -> str:
        """The view's visible text, whitespace collapsed."""
        return self._document("none").text

    def element(self, selector: str, text: TextFilter = None) -> Element:
        """The one element matching ``selector`` (and containing ``text``)."""
        return self._document("none").one(selector, text)

    def elements(self, selector: str, text: TextFilter = None) -> list[Element]:
        """Every element matching ``selector`` (and containing ``text``)."""
        return self._document("none").find_all(selector, text)

    def has_element(self, selector: str, text: TextFilter = None) -> bool:
        """Whether any element matches ``selector`` (and contains ``text``)."""
        return bool(self.elements(selector, text))

    def _document(self, markers: str) -> Document:
        self._check()
        cached = self._docs.get(markers)
        if cached is not None and cached[0] == self._version:
            return cached[1]
        if self._tree is None:
            html = self._page.container_html if self._page else ""
        else:
            html = self._tree.html("none" if markers == "none" else "components", self._streams)
        doc = Document(html)
        self._docs[markers] = (self._version, doc)
        return doc

    # ================================================================== assertions

    def assert_redirect(
        self,
        to: str | None = None,
        *,
        kind: str | None = None,
        flash: Mapping[str, Any] | None = None,
    ) -> Redirect:
        """Assert the view was asked to navigate away (optionally: to ``to``, of ``kind``
        ``"redirect"``/``"live_redirect"``, carrying ``flash``); returns the redirect."""
        self._check()
        redirect = self.redirect
        if redirect is None:
            raise AssertionError(f"expected a redirect{f' to {to!r}' if to else ''}, got none")
        if to is not None and not self._same_target(redirect.to, to):
            raise AssertionError(f"expected a redirect to {to!r}, got {redirect.to!r}")
        if kind is not None and redirect.kind != kind:
            raise AssertionError(f"expected a {kind}, got a {redirect.kind} to {redirect.to!r}")
        if flash is not None and redirect.flash != dict(flash):
            raise AssertionError(f"expected flash {dict(flash)!r}, got {redirect.flash!r}")
        return redirect

    def assert_patch(self, to: str | None = None) -> str:
        """Assert the view was patched (the latest patch going to ``to``, if given); returns
        the patched path."""
        self._check()
        if not self.patches:
            raise AssertionError(f"expected a live_patch{f' to {to!r}' if to else ''}, got none")
        latest = self.patches[-1]
        if to is not None and not self._same_target(latest, to):
            raise AssertionError(f"expected a live_patch to {to!r}, got {latest!r}")
        return latest

    def assert_pushed(self, event: str, payload: Any = None) -> Any:
        """Assert the server pushed ``event`` (with ``payload``, if given); returns the payload
        of the latest such event."""
        self._check()
        found = [e for e in self.pushed_events if e.name == event]
        if payload is not None:
            found = [e for e in found if e.payload == payload]
        if not found:
            pushed = [(e.name, e.payload) for e in self.pushed_events]
            what = event if payload is None else f"{event} {payload!r}"
            raise AssertionError(f"expected push_event {what}; pushed: {pushed}")
        return found[-1].payload

    def _same_target(self, got: str, want: str) -> bool:
        base = self.url or f"{_ORIGIN}/"
        return _path_of(urljoin(base, got)) == _path_of(urljoin(base, want))

    async def wait_for(
        self, condition: str | Callable[[View], bool], timeout: float | None = None
    ) -> None:
        """Wait until ``condition`` holds: a text that appears in ``html()``, or a predicate on
        the view. For changes the server makes on its own (timers, background work,
        pub/sub); server failures are raised immediately."""
        check: Callable[[View], bool]
        if isinstance(condition, str):
            text = condition

            def check(view: View) -> bool:
                return text in view.html() or text in view.text()
        else:
            check = condition
        limit = self.timeout if timeout is None else timeout
        try:
            with anyio.fail_after(limit):
                self._check()
                while not check(self):
                    await self._changed.wait()
                    self._check()
        except TimeoutError:
            self._check()
            raise TimeoutError(
                f"condition {condition!r} not met within {limit} s; HTML:\n{self.html()}"
            ) from None

    # ================================================================== actions

    async def click(
        self, selector: str, *, text: TextFilter = None, value: Mapping[str, Any] | None = None
    ) -> str:
        """Click the element: its ``phx-click`` (or that of its nearest ancestor) is sent with
        ``phx-value-*`` and the element's value; a live link patches or navigates; a submit
        button submits its form. ``value`` is merged last (like ``JS.push``'s). Returns the
        HTML after the reply."""
        el = self.element(selector, text)
        bound = el.closest("[phx-click]")
        link = el.closest("a[href]")
        if link is not None and (bound is None or link.position >= bound.position):
            return await self._follow_link(link)
        if bound is None:
            button = el.closest("button, input[type=submit]")
            if button is not None and button.attr("type", "submit") == "submit":
                form = form_of(button)
                if form is not None and form.has_attr("phx-submit"):
                    return await self._submit(form, None, submitter=button)
            raise SelectorError(f"{selector!r} has no phx-click binding: {el.html[:200]}")
        await self._run_binding(bound, "click", bound.attr("phx-click") or "", {}, value)
        return self.html()

    async def keydown(self, selector: str | None, key: str, *, text: TextFilter = None) -> str:
        """Press ``key`` on the element's ``phx-keydown`` (``selector=None``: every
        ``phx-window-keydown`` of the view); ``phx-key`` filters as in the browser."""
        return await self._key("keydown", selector, key, text)

    async def keyup(self, selector: str | None, key: str, *, text: TextFilter = None) -> str:
        """Release ``key``: like ``keydown``, for ``phx-keyup`` / ``phx-window-keyup``."""
        return await self._key("keyup", selector, key, text)

    async def blur(self, selector: str, *, text: TextFilter = None) -> str:
        """Send the element's ``phx-blur``."""
        el = self.element(selector, text)
        await self._run_binding(el, "blur", self._binding(el, "phx-blur"), {}, None)
        return self.html()

    async def focus(self, selector: str, *, text: TextFilter = None) -> str:
        """Send the element's ``phx-focus``."""
        el = self.element(selector, text)
        await self._run_binding(el, "focus", self._binding(el, "phx-focus"), {}, None)
        return self.html()

    async def push(self, event: str, value: Any = None, *, target: int | None = None) -> Any:
        """Push ``event`` with ``value`` as a hook's ``pushEvent`` would (``target``: a
        LiveComponent cid). Returns the reply (``{:reply, map}``), or None."""
        payload: dict[str, Any] = {"type": "hook", "event": event, "value": value or {}}
        if target is not None:
            payload["cid"] = target
        return await self._event(payload)

    async def hook_push(self, selector: str, event: str, value: Any = None) -> Any:
        """``this.pushEvent(event, value)`` from the hook on the element (it must have
        ``phx-hook``); the event goes to the LiveComponent the element is in, if any.
        Returns the reply, or None."""
        el = self.element(selector)
        if not el.has_attr("phx-hook"):
            raise SelectorError(f"{selector!r} has no phx-hook: {el.html[:200]}")
        payload: dict[str, Any] = {"type": "hook", "event": event, "value": value or {}}
        cid = self._closest_cid(el)
        if cid is not None:
            payload["cid"] = cid
        return await self._event(payload)

    async def change(
        self,
        selector: str,
        values: Mapping[str, Any] | None = None,
        *,
        target: str | None = None,
        text: TextFilter = None,
    ) -> str:
        """Change a form (``phx-change``): the form's current fields with ``values`` typed in
        (nested, like ``{"user": {"name": "Jo"}}``). ``selector`` is the form or one of its
        inputs (then that input's own ``phx-change`` wins and it is the target). ``target``
        names the changed field (default: the input, else the first field of ``values``).
        Untouched fields carry ``_unused_`` markers. Returns the HTML after the reply."""
        el = self.element(selector, text)
        form = el if el.tag == "form" else form_of(el)
        if form is None:
            raise SelectorError(f"{selector!r} is not a form nor inside one")
        source = form if el.tag == "form" else el
        own = source.attr("phx-change") if source is not form else None
        binding = own or form.attr("phx-change")
        if not binding:
            raise SelectorError(f"no phx-change on {selector!r} or its form")
        overrides = flatten(values or {})
        changed = (
            target or (el.attr("name") if el is not form else None) or first_field(values or {})
        )
        used = self._used_fields.setdefault(self._form_key(form), set())
        used.update(name for name, _ in overrides)
        if changed:
            used.add(changed)
        only = [el.attr("name") or ""] if own else []
        encoded = serialize_form(form, overrides=overrides, used=used, only_names=only)
        dispatcher = source if own else form
        for command in parse_binding(binding):
            if command.kind != "push":
                continue
            event = command.args.get("event") or binding
            for cid in self._targets(dispatcher, command.args.get("target")):
                meta = {
                    "_target": changed or "undefined",
                    **extract_meta(form, {}, command.args.get("value")),
                }
                payload: dict[str, Any] = {
                    "type": "form",
                    "event": event,
                    "value": encoded,
                    "meta": meta,
                    "uploads": {},
                }
                if cid is not None:
                    payload["cid"] = cid
                await self._event(payload)
        return self.html()

    async def submit(
        self,
        selector: str,
        values: Mapping[str, Any] | None = None,
        *,
        submitter: str | None = None,
        text: TextFilter = None,
    ) -> str:
        """Submit a form (``phx-submit``) with ``values`` typed in; ``selector`` is the form or a
        submit button in it. ``submitter`` selects the button whose name/value is sent.
        Returns the HTML after the reply."""
        el = self.element(selector, text)
        button = None if el.tag == "form" else el
        form = el if el.tag == "form" else form_of(el)
        if form is None:
            raise SelectorError(f"{selector!r} is not a form nor inside one")
        if submitter is not None:
            button = self.element(submitter)
        return await self._submit(form, values, submitter=button)

    async def patch(self, to: str) -> str:
        """Follow a patch link to ``to`` (``live_patch``: ``handle_params`` runs). A URL of
        another LiveView records a ``live_redirect`` instead. Returns the HTML after."""
        url = urljoin(self.url, to)
        request = _Request(f"live_patch {to}", self._on_patch_reply, context=url)
        await self._send("live_patch", {"url": url}, request)
        return self.html()

    async def follow_redirect(self) -> View:
        """Carry out ``redirect``: live navigation joins the new view on this socket; a full
        redirect loads the page over HTTP (with the flash cookie the client would write).
        Returns this view, now showing the new page."""
        self._check()
        redirect = self.redirect
        if redirect is None:
            raise AssertionError("no redirect to follow")
        self.redirect = None
        target = urljoin(self.url, redirect.to)
        if not target.startswith(_ORIGIN + "/"):
            raise NotALiveView(f"redirect to another site: {target}")
        if redirect.kind == "live_redirect":
            await self._navigate(target, redirect.flash_token)
        else:
            if redirect.flash_token:
                self._client.cookies.set(FLASH_COOKIE, redirect.flash_token)
            await self._load(target)
        return self

    async def rejoin(self) -> None:
        """Join the view again after a crash (what the client does after ``phx_error``): the
        server mounts it afresh; the client rebuilds its tree from the new render."""
        if isinstance(self._failure, ViewCrashed | ViewClosed):
            self._failure, self._failure_raised = None, False
        self._check()
        if self._joined:
            await self._leave()
        await self._join(mode="url", url=self.url)

    # ================================================================== action helpers

    def _binding(self, el: Element, name: str) -> str:
        bound = el.closest(f"[{name}]")
        if bound is None:
            raise SelectorError(f"no {name} binding on {el.html[:200]}")
        return bound.attr(name) or ""

    async def _key(self, kind: str, selector: str | None, key: str, text: TextFilter) -> str:
        if selector is None:
            sources = self.elements(f"[phx-window-{kind}]")
            attr = f"phx-window-{kind}"
        else:
            el = self.element(selector, text)
            bound = el.closest(f"[phx-{kind}]")
            if bound is None:
                raise SelectorError(f"{selector!r} has no phx-{kind} binding")
            sources, attr = [bound], f"phx-{kind}"
        for source in sources:
            match_key = source.attr("phx-key")
            if match_key and match_key.lower() != key.lower():
                continue
            await self._run_binding(source, kind, source.attr(attr) or "", {"key": key}, None)
        return self.html()

    async def _run_binding(
        self,
        el: Element,
        kind: str,
        binding: str,
        meta: dict[str, Any],
        extra: Mapping[str, Any] | None,
    ) -> None:
        for command in parse_binding(binding):
            await self._run_command(el, kind, command, meta, extra)

    async def _run_command(
        self,
        el: Element,
        kind: str,
        command: Command,
        meta: dict[str, Any],
        extra: Mapping[str, Any] | None,
    ) -> None:
        args = command.args
        if command.kind == "push":
            value = {**(args.get("value") or {}), **(extra or {})}
            for cid in self._targets(el, args.get("target")):
                payload: dict[str, Any] = {
                    "type": kind,
                    "event": args.get("event"),
                    "value": extract_meta(el, meta, value),
                }
                if cid is not None:
                    payload["cid"] = cid
                await self._event(payload)
        elif command.kind == "patch":
            await self.patch(str(args.get("href", "")))
        elif command.kind == "navigate":
            self._set_redirect(
                Redirect("live_redirect", str(args.get("href", "")), bool(args.get("replace")))
            )
        # other commands (show, hide, add_class, dispatch...) only touch the browser's DOM

    async def _follow_link(self, link: Element) -> str:
        href = link.attr("href") or ""
        kind = link.attr("data-phx-link")
        if kind == "patch":
            return await self.patch(href)
        replace = link.attr("data-phx-link-state") == "replace"
        self._set_redirect(
            Redirect("live_redirect" if kind == "redirect" else "redirect", href, replace)
        )
        return self.html()

    async def _submit(
        self, form: Element, values: Mapping[str, Any] | None, *, submitter: Element | None
    ) -> str:
        binding = form.attr("phx-submit")
        if not binding:
            raise SelectorError(f"form has no phx-submit: {form.html[:200]}")
        overrides = flatten(values or {})
        encoded = serialize_form(
            form,
            overrides=overrides,
            used=[c.attr("name") or "" for c in form_controls(form)],
            submitter=submitter,
        )
        self._used_fields.setdefault(self._form_key(form), set()).update(
            c.attr("name") or "" for c in form_controls(form)
        )
        for command in parse_binding(binding):
            if command.kind != "push":
                continue
            for cid in self._targets(form, command.args.get("target")):
                payload: dict[str, Any] = {
                    "type": "form",
                    "event": command.args.get("event") or binding,
                    "value": encoded,
                    "meta": extract_meta(form, {}, command.args.get("value")),
                }
                if cid is not None:
                    payload["cid"] = cid
                await self._event(payload)
        return self.html()

    def _form_key(self, form: Element) -> str:
        return form.id or f"@{form.position}"

    def _targets(self, el: Element, js_target: Any) -> list[int | None]:
        """The cid (None: the view) of each event a binding sends, per ``phx-target``."""
        target = js_target if js_target is not None else el.attr("phx-target")
        if target is None or target == "":
            return [None]
        if is_cid(target):
            return [int(target)]
        matches = self.elements(str(target))
        if not matches:
            raise SelectorError(f"nothing matches the phx-target selector {target!r}")
        return [self._closest_cid(m) for m in matches]

    def _closest_cid(self, el: Element) -> int | None:
        marked = self._document("components").element_at(el.position)
        owner = marked.closest("[data-phx-component]")
        value = None if owner is None else owner.attr("data-phx-component")
        return int(value) if value and value.isdigit() else None

    # ================================================================== requests

    async def _event(self, payload: dict[str, Any]) -> Any:
        request = _Request(f"event {payload.get('event')!r}", self._on_event_reply)
        await self._send("event", payload, request)
        return request.reply

    async def _send(self, event: str, payload: Any, request: _Request) -> None:
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

    async def _wait(self, request: _Request) -> None:
        try:
            with anyio.fail_after(self.timeout):
                await request.done.wait()
        except TimeoutError:
            self._check()
            raise TimeoutError(
                f"no reply to {request.description} within {self.timeout} s"
            ) from None
        self._check()

    def _raise_error_reply(self, request: _Request) -> None:
        response = request.response
        if isinstance(response, Mapping) and response.get("reason") == "crash":
            error = self._crash_error(f"{request.description} crashed the LiveView")
            self._failure, self._failure_raised = error, True
            self._joined, self._crash_reported = False, self._join_ref  # phx_error follows
            raise error
        raise AssertionError(f"the server refused {request.description}: {response!r}")

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
                        params = {"_csrf_token": page.csrf_token or ""}
                        conn = await stack.enter_async_context(
                            phoenix.connect(
                                self._client.app,
                                page.socket_path,
                                params=params,
                                cookies=self._client.cookies.header(),
                                timeout=self.timeout,
                            )
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

    def _join_payload(self, mode: str, url: str, flash: str | None) -> dict[str, Any]:
        assert self._page is not None
        params: dict[str, Any] = {"_csrf_token": self._page.csrf_token or ""}
        if self._page.track_static:
            params["_track_static"] = [urljoin(url, src) for src in self._page.track_static]
        params["_mounts"] = self._mounts
        params["_mount_attempts"] = 0
        if mode == "redirect":
            params["_live_referer"] = self.url
        payload: dict[str, Any] = {
            mode: url,
            "params": params,
            "session": self._page.session,
            "static": self._page.static,
        }
        if flash:
            payload["flash"] = flash
        payload["sticky"] = False
        return payload

    async def _join(self, *, mode: str, url: str, flash: str | None = None) -> None:
        """Join the view (``mode`` ``"url"``: (re)join; ``"redirect"``: live navigation)."""
        assert self._conn is not None
        payload = self._join_payload(mode, url, flash)
        self._tree, self._streams = None, StreamState()
        self._cids_in_dom, self._used_fields = set(), {}
        request = _Request(f"join of {self._topic}", self._on_join_reply, context=url)
        ref = await self._conn.join(self._topic, payload)
        self._join_ref = ref
        self._pending[ref] = request
        await self._wait(request)
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

    async def _leave(self) -> None:
        if self._conn is None or not self._joined:
            return
        self._joined = False
        request = _Request(f"leave of {self._topic}")
        ref = await self._conn.push(self._topic, "phx_leave", {})
        self._pending[ref] = request
        with anyio.move_on_after(self.timeout):
            await request.done.wait()

    async def _navigate(self, url: str, flash: str | None) -> None:
        if self._joined:
            await self._leave()
        previous = self.url
        self._reset_view_state()
        self.url = previous
        await self._join(mode="redirect", url=url, flash=flash)

    async def _load(self, url: str) -> None:
        response = await self._client.request("GET", _path_of(url), follow_redirects=True)
        page = self._client.page_of(response)
        self._reset_view_state()
        await self._open(page)

    def _reset_view_state(self) -> None:
        self._mounts = 0
        self.patches, self.pushed_events, self.assigns = [], [], {}
        self.redirect = None

    # ================================================================== frames

    async def _dispatch(self, frame: Frame) -> None:
        if frame.topic != self._topic:
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
            self._joined = False
            self._closed_reason = "the LiveView crashed"
            if self._failure is None and self._crash_reported != frame.join_ref:
                self._fail(self._crash_error("the LiveView crashed"))

    async def _on_join_reply(self, request: _Request, frame: Frame) -> None:
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

    async def _on_event_reply(self, request: _Request, frame: Frame) -> None:
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

    async def _on_patch_reply(self, request: _Request, frame: Frame) -> None:
        url = str(request.context)
        await self._on_event_reply(request, frame)
        if frame.status != "ok":
            return
        response = frame.response if isinstance(frame.response, dict) else {}
        if response.get("link_redirect"):
            self._set_redirect(Redirect("live_redirect", _path_of(url)))
        elif not response.get("redirect"):
            self.url = url
            self.patches.append(_path_of(url))

    def _on_live_patch(self, payload: Any) -> None:
        to = str(payload.get("to", "")) if isinstance(payload, Mapping) else ""
        self.url = urljoin(self.url, to)
        self.patches.append(to)

    def _set_redirect(self, redirect: Redirect) -> None:
        self.redirect = redirect

    def _record_event(self, event: Any) -> None:
        if isinstance(event, list) and event:
            self.pushed_events.append(
                PushedEvent(str(event[0]), event[1] if len(event) > 1 else None)
            )

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
        """The destroy handshake for components that left the DOM (protocol.md §4.10)."""
        assert self._tree is not None and self._conn is not None
        for cid in cids:
            self._tree.reset_render(cid)

        async def will_destroy(request: _Request, frame: Frame) -> None:
            gone = [cid for cid in cids if cid not in self._cids_in_dom]
            if frame.status == "ok" and gone and self._conn is not None:
                ref = await self._conn.push(self._topic, "cids_destroyed", {"cids": gone})
                self._pending[ref] = _Request("cids_destroyed", destroyed)

        async def destroyed(request: _Request, frame: Frame) -> None:
            response = frame.response if isinstance(frame.response, dict) else {}
            if frame.status == "ok" and self._tree is not None:
                self._tree.prune_cids(int(c) for c in response.get("cids") or [])

        ref = await self._conn.push(self._topic, "cids_will_destroy", {"cids": cids})
        self._pending[ref] = _Request("cids_will_destroy", will_destroy)

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
        """Leave and disconnect; returns a failure nobody has seen yet."""
        try:
            with anyio.CancelScope(shield=True):
                await self._disconnect()
        finally:
            self._exits.close()
        if self._failure is not None and not self._failure_raised:
            self._failure_raised = True
            return self._failure
        return None


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
