"""``View``: one LiveView driven like the official client drives it, without a browser.

A ``View`` is a browser tab showing a live page. It joins the page's main LiveView over the
real Phoenix socket, keeps the client's cache of the view (``ClientTree``) and its stream rows
(``StreamState``), and turns test actions — click this button, type into that form, follow
this link — into exactly the messages ``phoenix_live_view`` 1.2.12 would send, built from the
current HTML (``phx-click``, ``phx-value-*``, ``phx-target``, form fields, ``_unused_``
markers, ``meta._target``).

The protocol half — connection, join, applying every frame as it arrives, checking each diff
against the server's render — is ``ViewChannel`` (``channel.py``); this module adds what a test
touches: reading the page, assertions and actions. A failure found in the background (a
mismatch, a crash) is raised by the next call on the view, or when the ``live`` block exits.

Navigation mirrors the browser: a redirect (``push_navigate``, ``redirect``, a live link) is
recorded in ``redirect`` and followed by ``follow_redirect()`` — live navigation joins the new
view on the same socket; a full redirect loads the new page over HTTP (flash cookie included).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import anyio
import anyio.abc

from pylive.testing.channel import (
    FLASH_COOKIE,
    ORIGIN,
    PushedEvent,
    ViewChannel,
    path_of,
)
from pylive.testing.client_tree import is_cid
from pylive.testing.dom import Document, Element, SelectorError, TextFilter
from pylive.testing.errors import NotALiveView, Redirect, ViewClosed, ViewCrashed
from pylive.testing.events import Command, extract_meta, parse_binding
from pylive.testing.forms import (
    FormError,
    first_field,
    flatten,
    form_controls,
    form_of,
    serialize_form,
)
from pylive.testing.uploads import UploadFile, entries_of, send_entries

__all__ = ["FLASH_COOKIE", "PushedEvent", "View"]


@dataclass(frozen=True, slots=True)
class _Recovery:
    """A form as it stood before a rejoin, to recover once the view is back."""

    form_id: str
    change: str
    """Its ``phx-change``: recovered only if the new render's form has the same."""
    encoded: str
    """Its fields, serialized as the client's ``serializeForm``."""
    target: str | None
    """The ``_target`` the client sends: the first named input (not hidden, if any)."""


class View(ViewChannel):
    """A live page under test. Get one from ``pylive.testing.live`` (or a ``LiveClient``)."""

    # ================================================================== reading the page

    @property
    def path(self) -> str:
        """Path and query of ``url``."""
        return path_of(self.url)

    @property
    def connected(self) -> bool:
        """Whether the view is joined (not redirected, closed or crashed)."""
        return self._joined

    @property
    def flash(self) -> dict[str, Any]:
        """The view's flash messages (server assigns as of the last applied render)."""
        flash = self.assigns.get("flash")
        return dict(flash) if isinstance(flash, Mapping) else {}

    def child(self, view_id: str) -> View:
        """The nested LiveView ``view_id`` this view rendered with ``live_render``, or a sticky
        LiveView of the page (Phoenix.LiveViewTest's ``find_live_child``): a ``View`` of its
        own, joined on the same socket. ``LookupError`` if there is none."""
        self._check()
        found = self._children.get(view_id) or self._main()._stickies.get(view_id)
        if not isinstance(found, View):
            known = [*self._children, *self._main()._stickies]
            raise LookupError(f"no nested LiveView {view_id!r} in {self.id} (there are {known})")
        return found

    def live_children(self) -> list[View]:
        """The nested LiveViews this view's render holds, in order of appearance
        (Phoenix.LiveViewTest's ``live_children``); sticky ones are not children."""
        self._check()
        return [child for child in self._children.values() if isinstance(child, View)]

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
        base = self.url or f"{ORIGIN}/"
        return path_of(urljoin(base, got)) == path_of(urljoin(base, want))

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

    async def push(self, event: str, value: Any = None, *, target: int | str | None = None) -> Any:
        """Push ``event`` with ``value`` as a hook's ``pushEventTo`` would: to the view, or to
        a LiveComponent given by cid or by a selector of an element inside it (the one
        element matching it must belong to a component). Returns the reply, or None."""
        payload: dict[str, Any] = {"type": "hook", "event": event, "value": value or {}}
        if isinstance(target, str):
            target = self.component_cid(target)
        if target is not None:
            payload["cid"] = target
        return await self._event(payload)

    def component_cid(self, selector: str) -> int:
        """The cid of the LiveComponent owning the one element matching ``selector``."""
        cid = self._closest_cid(self.element(selector))
        if cid is None:
            raise SelectorError(f"{selector!r} is not inside a LiveComponent")
        return cid

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
        await self._change(form, el, values or {}, target=target)
        return self.html()

    async def _change(
        self,
        form: Element,
        el: Element,
        values: Mapping[str, Any],
        *,
        target: str | None = None,
        submitter: Element | None = None,
        uploads: dict[str, Any] | None = None,
    ) -> None:
        """A change event of ``form`` from ``el`` (the form itself, or the input that changed,
        or a button dispatching ``change``: then it is the submitter)."""
        source = form if el.tag == "form" else el
        own = source.attr("phx-change") if source is not form else None
        binding = own or form.attr("phx-change")
        if not binding:
            raise SelectorError(f"no phx-change on {el.html[:200]} or its form")
        overrides = flatten(values)
        changed = target or (el.attr("name") if el is not form else None) or first_field(values)
        key = self._form_key(form)
        used = self._used_fields.setdefault(key, set())
        used.update(name for name, _ in overrides)
        if changed:
            used.add(changed)
        fresh: dict[str, list[str]] = {}
        for name, value in overrides:
            fresh.setdefault(name, []).append(value)
        self._typed_fields.setdefault(key, {}).update(fresh)  # for recovery after a rejoin
        only = [el.attr("name") or ""] if own else []
        encoded = serialize_form(
            form, overrides=overrides, used=used, only_names=only, submitter=submitter
        )
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
                    "uploads": uploads or {},
                }
                if cid is not None:
                    payload["cid"] = cid
                await self._event(payload)

    async def upload(
        self, selector: str, files: Sequence[UploadFile], *, percent: int = 100
    ) -> dict[str, Any]:
        """Choose ``files`` in the file input ``selector`` (a ``live_file_input``) and upload
        them as the official client does: the form's change event listing them, the
        ``allow_upload`` preflight, then each file's bytes over its own ``lvu:`` channel in
        chunks, with ``progress`` events, until ``percent`` (100: the whole file). Submit the
        form afterwards to consume them. Returns the preflight's response (``error`` lists
        refused entries)."""
        el = self.element(selector)
        upload_ref = el.attr("data-phx-upload-ref")
        if el.tag != "input" or not upload_ref:
            raise SelectorError(f"{selector!r} is not a live_file_input")
        entries = entries_of(files, el.attr("name") or "")
        form = form_of(el)
        if form is not None and form.attr("phx-change"):
            await self._change(form, el, {}, uploads={upload_ref: entries})
        cid = self._closest_cid(el)
        return await send_entries(self, upload_ref, entries, files, percent, cid)

    def _typed(self, form: Element) -> list[tuple[str, str]]:
        """What the test typed into ``form`` and that the form still has fields for."""
        names = {c.attr("name") for c in form_controls(form)}
        typed = self._typed_fields.get(self._form_key(form), {})
        return [(name, v) for name, values in typed.items() if name in names for v in values]

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
        url, request = self._link_patch(to)
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
        if not target.startswith(ORIGIN + "/"):
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
        server mounts it afresh; the client rebuilds its tree from the new render. A crash
        while a patch link was pending ends in a page load of the link's URL instead, as in
        the browser."""
        if isinstance(self._failure, ViewCrashed | ViewClosed):
            self._failure, self._failure_raised = None, False
        self._check()
        link, self._crashed_link = self._crashed_link, None
        if link is not None:
            await self._load(link)
            return
        recovering = self._forms_for_recovery()
        used, typed = self._used_fields, self._typed_fields
        if self._joined:
            await self._leave()
        await self._join(mode="url", url=self.url)
        # the DOM survives a rejoin: the inputs keep what was typed and that they were used
        self._used_fields, self._typed_fields = used, typed
        await self._recover_forms(recovering)

    async def reconnect(self) -> None:
        """Lose the connection and connect again, as the browser does when the server
        restarts or a deploy replaces it: no leave, a new socket, then a rejoin (``_mounts``
        > 0, with the view's stash token, docs/stash.md). The server mounts the view again;
        the forms are recovered as after ``rejoin``."""
        self._check()
        if self._page is None or self._nested is not None:
            raise AssertionError("reconnect() is for a page's main view")
        recovering = self._forms_for_recovery()
        used, typed = self._used_fields, self._typed_fields
        self._joined = False  # the connection drops: nothing is sent
        await self._connect(self._page)
        await self._join(mode=self._join_mode, url=self.url)
        self._used_fields, self._typed_fields = used, typed
        await self._recover_forms(recovering)

    def _forms_for_recovery(self) -> list[_Recovery]:
        """The client's ``getFormsForRecovery``: forms with an id, a ``phx-change`` and
        fields, not ``phx-auto-recover="ignore"``, serialized as they stand (typed values,
        used fields) before the rejoin."""
        if self._tree is None:
            return []
        found = []
        for form in self._document("none").find_all("form[phx-change]"):
            if not form.id or form.attr("phx-auto-recover") == "ignore":
                continue
            inputs = [
                c
                for c in form_controls(form)
                if c.tag in ("input", "select", "textarea", "button")
                and c.attr("name")
                and not c.has_attr("phx-change")
            ]
            if not inputs:
                continue
            first = next((c for c in inputs if c.attr("type") != "hidden"), inputs[0])
            key = self._form_key(form)
            try:
                encoded = serialize_form(
                    form, overrides=self._typed(form), used=self._used_fields.get(key, set())
                )
            except FormError:
                continue
            found.append(
                _Recovery(form.id, form.attr("phx-change") or "", encoded, first.attr("name"))
            )
        return found

    async def _recover_forms(self, recovering: list[_Recovery]) -> None:
        """The client's ``maybeRecoverForms`` after the join: each form still rendered with
        the same id and ``phx-change`` sends its old values to ``phx-auto-recover`` (a custom
        event) or else ``phx-change``, targeted as the new form says (a LiveComponent's too)."""
        for old in recovering:
            form = self._document("none").by_id(old.form_id)
            if form is None or form.tag != "form" or form.attr("phx-change") != old.change:
                continue
            binding = form.attr("phx-auto-recover") or old.change
            for command in parse_binding(binding):
                if command.kind != "push":
                    continue
                for cid in self._targets(form, command.args.get("target")):
                    meta = {
                        "_target": old.target or "undefined",
                        **extract_meta(form, {}, command.args.get("value")),
                    }
                    payload: dict[str, Any] = {
                        "type": "form",
                        "event": command.args.get("event") or binding,
                        "value": old.encoded,
                        "meta": meta,
                        "uploads": {},
                    }
                    if cid is not None:
                        payload["cid"] = cid
                    await self._event(payload)

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
                    "value": extract_meta(el, meta, value, clicked=kind == "click"),
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
        elif command.kind == "dispatch" and args.get("event") in ("change", "input"):
            await self._dispatch_change(el, args.get("to"))
        # other commands (show, hide, add_class, dispatch...) only touch the browser's DOM

    async def _dispatch_change(self, el: Element, to: Any) -> None:
        """``JS.dispatch("change")``: a change of the target's form, from the target (a
        button is the submitter: its name and value are sent, as the client does)."""
        targets = self.elements(str(to)) if isinstance(to, str) and to else [el]
        for target in targets:
            form = form_of(target)
            if form is None:
                raise SelectorError(
                    "dispatching a change event is only supported on inputs inside a form"
                )
            button = target if target.tag == "button" else None
            await self._change(form, target, {}, submitter=button)

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
        self._typed_fields.pop(self._form_key(form), None)
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
