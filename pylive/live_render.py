"""Nested and sticky LiveViews: ``live_render`` and what their joins prove.

``live_render(ChildView, id=...)`` in a parent's template is a ``LiveNode`` that renders the
child's container (Phoenix's ``nested_render`` in ``lib/phoenix_live_view/static.ex``):

* in the HTTP render, the child is mounted and rendered inline, its session left empty (a
  non-sticky child can only join once its parent is connected) and its static token signed;
* in a connected render, the container is empty, with a signed session token naming the child
  view, the parent's id, the ``session`` given to ``live_render`` and whether it is sticky. The
  client joins ``lv:<id>`` with it over the same socket (no ``url``) and never touches the
  container's content again: only the child's own channel updates it.

A sticky child (``sticky=True``) has no parent: it carries a real session even in the HTTP
render and is joined as an independent root, so it survives live navigation. It may be placed
in the root layout, where ``str()`` renders it during the HTTP render.

Children are mounted with ``NOT_MOUNTED_AT_ROUTER`` as params (they have no URL, and no
``handle_params``) and with the connection's session merged with the ``session`` given here.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any, NoReturn

import orjson
from htpy import Element
from markupsafe import Markup

from pylive.effects import Effects
from pylive.errors import PyliveError, RenderError
from pylive.render_context import LiveNode, RenderContext
from pylive.routing import view_key
from pylive.session import sign_static
from pylive.socket import Socket
from pylive.tokens import Tokens
from pylive.view import LiveView
from pylive.view_tree import ViewTree

__all__ = [
    "NOT_MOUNTED_AT_ROUTER",
    "ChildClaims",
    "ChildRedirect",
    "DeadChildren",
    "LiveRender",
    "find_view",
    "live_render",
    "verify_child_join",
]


class _NotMountedAtRouter(dict[str, Any]):
    """The params of a LiveView that is not mounted at the router: an empty, read-only dict."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("NOT_MOUNTED_AT_ROUTER is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __repr__(self) -> str:
        return "NOT_MOUNTED_AT_ROUTER"


NOT_MOUNTED_AT_ROUTER: dict[str, Any] = _NotMountedAtRouter()
"""The ``params`` a nested or sticky LiveView's ``mount`` gets (Phoenix's
``:not_mounted_at_router``): an empty read-only dict; test ``params is NOT_MOUNTED_AT_ROUTER``."""

_MARK = "pylive-child"


@dataclass(frozen=True, slots=True)
class ChildClaims:
    """What a valid child join proves: its id and view, its parent (None when sticky), the
    session given to ``live_render``, and the flash of its HTTP render."""

    view_id: str
    view: str
    parent_id: str | None
    sticky: bool
    session: dict[str, Any]
    static_flash: dict[str, Any]


def _container(container: str | tuple[str, Mapping[str, Any]]) -> tuple[str, dict[str, Any]]:
    if isinstance(container, str):
        return container, {}
    tag, attrs = container
    return tag, dict(attrs)


@dataclass(frozen=True, slots=True, eq=False)
class LiveRender(LiveNode):
    """A nested LiveView's place in a template (see ``live_render``)."""

    view: type[LiveView]
    id: str
    session: Mapping[str, Any] = field(default_factory=dict)
    sticky: bool = False
    container: str | tuple[str, Mapping[str, Any]] = "div"

    def render_live(self, ctx: RenderContext) -> str:
        parent = None if self.sticky else ctx.view_id
        if ctx.connected:
            token = _session_token(ctx.tokens, self, parent)
            return self._tag(token, "", parent, "")
        dead = _dead.get()
        if dead is None:
            raise RenderError(f"{self!r}: not connected, and not in pylive's HTTP render")
        return dead.placeholder(self, parent)

    def __html__(self) -> str:
        # a sticky LiveView in the root layout, rendered by str() during the HTTP render
        dead = _dead.get()
        if dead is None or not self.sticky:
            raise RenderError(
                f"{self!r} renders only inside a LiveView, or with sticky=True in the root "
                "layout of an HTTP render"
            )
        return dead.placeholder(self, None)

    def _tag(self, session: str, static: str, parent: str | None, content: str) -> str:
        tag, attrs = _container(self.container)
        data: dict[str, Any] = {
            "id": self.id,
            "data-phx-session": session,
            "data-phx-static": static,
        }
        if self.sticky:
            data["data-phx-sticky"] = True
        else:
            data["data-phx-parent-id"] = parent
        extra = {k: v for k, v in attrs.items() if k not in data}  # never the id or tokens
        element = Element(tag)({**data, **extra})
        return str(element[Markup(content)] if content else element)

    def __repr__(self) -> str:
        return f"live_render({self.view.__qualname__}, id={self.id!r}, sticky={self.sticky})"


def live_render(
    view: type[LiveView],
    *,
    id: str,
    session: Mapping[str, Any] | None = None,
    sticky: bool = False,
    container: str | tuple[str, Mapping[str, Any]] = "div",
) -> LiveRender:
    """Render LiveView ``view`` inside this template, as a LiveView of its own.

    ``id`` is its DOM id and channel topic (``lv:<id>``), unique on the page; ``session`` (a
    JSON-able dict, signed into the page) is merged over the connection's session for its
    ``mount``; ``sticky=True`` makes it survive live navigation (it then has no parent, and may
    sit in the root layout); ``container`` is the tag, or ``(tag, attributes)``, of the element
    that holds it (``"div"``).
    """
    if not (isinstance(view, type) and issubclass(view, LiveView)):
        raise TypeError(f"live_render needs a LiveView class, got {view!r}")
    if not isinstance(id, str) or not id:
        raise ValueError("live_render needs an id: the child's DOM id, unique on the page")
    data = dict(session or {})
    if not all(isinstance(k, str) for k in data):
        raise TypeError("live_render's session must have string keys")
    orjson.dumps(data)  # fails now, not at join time, if the session cannot be signed
    return LiveRender(view, id, data, sticky, container)


# ---------------------------------------------------------------------- tokens


def _claims(node: LiveRender, parent: str | None) -> dict[str, Any]:
    return {
        "id": node.id,
        "view": view_key(node.view),
        "parent": parent,
        "sticky": node.sticky,
        "session": dict(node.session),
    }


_TOKEN_REUSE = 3600.0
"""Seconds a child's session token is reused: a parent re-rendering the same child then sends
the same string (no needless diff); tokens stay valid much longer (``tokens.MAX_AGE``)."""
_signed: dict[tuple[Tokens, bytes], tuple[float, str]] = {}


def _session_token(tokens: Tokens, node: LiveRender, parent: str | None) -> str:
    claims = _claims(node, parent)
    key = (tokens, orjson.dumps(claims, option=orjson.OPT_SORT_KEYS))
    now = time.monotonic()
    found = _signed.get(key)
    if found is not None and now - found[0] < _TOKEN_REUSE:
        return found[1]
    if len(_signed) > 4096:
        _signed.clear()
    token = tokens.sign("nested", claims)
    _signed[key] = (now, token)
    return token


def verify_child_join(tokens: Tokens, topic: str, payload: object) -> ChildClaims | None:
    """The claims of a nested or sticky LiveView's join, or None when its session token is not
    one (or is forged, expired, or for another topic)."""
    if not isinstance(payload, dict):
        return None
    claims = tokens.verify("nested", payload.get("session"))
    if not isinstance(claims, dict) or topic != f"lv:{claims.get('id')}":
        return None
    view, parent, session = claims.get("view"), claims.get("parent"), claims.get("session")
    sticky = claims.get("sticky") is True
    if not isinstance(view, str) or not isinstance(session, dict):
        return None
    if (parent is None) != sticky or not (parent is None or isinstance(parent, str)):
        return None
    static = payload.get("static")
    static_claims = tokens.verify("static", static) if static is not None else {}
    if not isinstance(static_claims, dict) or static_claims.get("id", claims["id"]) != claims["id"]:
        return None
    flash = static_claims.get("flash")
    return ChildClaims(
        claims["id"], view, parent, sticky, session, flash if isinstance(flash, dict) else {}
    )


def find_view(key: str) -> type[LiveView] | None:
    """The LiveView class named ``key`` by ``view_key`` among the classes defined so far (a
    token never makes pylive import anything)."""
    pending: list[type[LiveView]] = [LiveView]
    seen: set[type[LiveView]] = set()
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                if view_key(sub) == key:
                    return sub
                seen.add(sub)
                pending.append(sub)
    return None


# ---------------------------------------------------------------------- the HTTP render


class ChildRedirect(PyliveError):
    """A child's mount asked to navigate during the HTTP render: the page redirects."""

    def __init__(self, effects: Effects) -> None:
        super().__init__("a nested LiveView redirected during the HTTP render")
        self.effects = effects


_dead: ContextVar[DeadChildren | None] = ContextVar("pylive_dead_children", default=None)


@dataclass(eq=False)
class _Pending:
    marker: str
    node: LiveRender
    parent: str | None


class DeadChildren:
    """The nested LiveViews of one HTTP render (internal, used by ``pylive.static``).

    ``start`` makes ``live_render`` leave a placeholder wherever a child goes (templates are
    synchronous, a child's ``mount`` is not); ``finish`` mounts each child, renders it
    (children of children too) and puts its container in place of the placeholder.
    """

    def __init__(self, tokens: Tokens, session: Mapping[str, Any]) -> None:
        self._tokens = tokens
        self._session = dict(session)
        self._nonce = secrets.token_hex(8)
        self._pending: list[_Pending] = []
        self._reset: Token[DeadChildren | None] | None = None

    @classmethod
    def start(cls, tokens: Tokens, session: Mapping[str, Any]) -> DeadChildren:
        """Collect the children of the HTTP render under way (until ``finish``)."""
        dead = cls(tokens, session)
        dead._reset = _dead.set(dead)
        return dead

    def placeholder(self, node: LiveRender, parent: str | None) -> str:
        marker = f"<!--{_MARK}:{self._nonce}:{len(self._pending)}-->"
        self._pending.append(_Pending(marker, node, parent))
        return marker

    async def finish(self, html: str) -> str:
        """``html`` with every child rendered in place (raises ``ChildRedirect``)."""
        try:
            done = 0
            while done < len(self._pending):
                item = self._pending[done]
                done += 1
                html = html.replace(item.marker, await self._render(item), 1)
            return html
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop collecting (idempotent)."""
        if self._reset is not None:
            _dead.reset(self._reset)
            self._reset = None

    async def _render(self, item: _Pending) -> str:
        node, tokens = item.node, self._tokens
        effects = Effects.for_view()
        socket = Socket(node.id, effects)
        view = node.view()
        await view.mount(socket, NOT_MOUNTED_AT_ROUTER, {**self._session, **node.session})
        if effects.leaving:
            raise ChildRedirect(effects)
        tree = ViewTree(socket, effects, tokens, connected=False)
        content = await tree.render_html(view, effects.assigns)
        session = _session_token(tokens, node, None) if node.sticky else ""
        static = sign_static(tokens, node.id, effects.assigns["flash"])
        return node._tag(session, static, item.parent, content)
