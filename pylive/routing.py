"""Live routes: which LiveView serves which path, grouped into live sessions.

A live session is a group of routes between which the client may navigate live (without a
page load), sharing ``on_mount`` hooks such as authentication. Routes outside any group belong
to the implicit ``"default"`` session. The same router answers the HTTP render, the join
(``url``/``redirect`` re-checks) and ``live_patch``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from starlette.routing import compile_path

from pylive.params import decode_query

if TYPE_CHECKING:
    from pylive.socket import Socket
    from pylive.view import LiveLayout, LiveView

__all__ = ["Container", "LiveRoute", "LiveSession", "OnMount", "RouteMatch", "Router", "view_key"]

OnMount = Callable[["Socket", dict[str, Any], dict[str, Any]], Awaitable[None]]
"""``async def hook(socket, params, session)``; issuing a redirect/navigate halts the mount."""

DEFAULT_SESSION = "default"


_TAG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_ATTRIBUTE = re.compile(r"[a-zA-Z_:][-a-zA-Z0-9_:.]*")

Container = tuple[str, Mapping[str, Any]]
"""The tag and attributes of a LiveView's container element, e.g. ``("section", {"class":
"x"})``; attribute values are strings (``class`` may be a list), ``True`` or ``None``."""


@dataclass(frozen=True, slots=True)
class LiveRoute:
    """A route that renders LiveView class ``view`` at ``path`` (Starlette syntax, e.g.
    ``/users/{id:int}``) and keeps it live; ``name`` for ``url_for``.

    ``action`` names what the view should do at this path (``"index"``, ``"edit"``...): the
    view reads it as ``socket.live_action`` and the ``live_action`` assign, like Phoenix's
    ``live "/items/:id/edit", ItemLive, :edit``. ``container`` sets the tag and attributes of
    the element that wraps the view (a ``div`` by default), like Phoenix's ``container:``.
    """

    path: str
    view: type[LiveView]
    name: str | None = None
    action: str | None = None
    container: Container = field(default=("div", {}), hash=False)

    def __post_init__(self) -> None:
        tag, attrs = self.container
        if not _TAG.fullmatch(tag):
            raise ValueError(f"LiveRoute container: {tag!r} is not an HTML tag name")
        for key in attrs:
            lower = key.lower()
            if not _ATTRIBUTE.fullmatch(key) or lower == "id" or lower.startswith("data-phx-"):
                raise ValueError(f"LiveRoute container: attribute {key!r} is not allowed")
        object.__setattr__(self, "container", (tag, MappingProxyType(dict(attrs))))

    def container_attrs(self) -> dict[str, str]:
        """The container's extra attributes as strings: ``class`` lists joined with spaces,
        ``True`` as ``""`` (present), ``None``/``False`` dropped."""
        out: dict[str, str] = {}
        for key, value in self.container[1].items():
            if value is None or value is False:
                continue
            if value is True:
                out[key] = ""
            elif key == "class" and isinstance(value, list | tuple):
                out[key] = " ".join(str(v) for v in value if v)
            else:
                out[key] = str(value)
        return out


@dataclass(frozen=True, slots=True, init=False)
class LiveSession:
    """Routes that allow live navigation among themselves and share ``on_mount`` hooks, which
    run in order before every mount of one of them, and a live ``layout`` (``def
    layout(assigns)`` placing ``assigns.inner_content``), rendered around each of their views
    inside its container, unless the view sets its own (``LiveView.layout``)."""

    name: str
    routes: tuple[LiveRoute, ...]
    on_mount: tuple[OnMount, ...]
    layout: LiveLayout | None

    def __init__(
        self,
        name: str,
        routes: Sequence[LiveRoute],
        *,
        on_mount: Sequence[OnMount] = (),
        layout: LiveLayout | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "routes", tuple(routes))
        object.__setattr__(self, "on_mount", tuple(on_mount))
        if layout is not None and not callable(layout):
            raise TypeError(f"LiveSession layout must be a function of the assigns, not {layout!r}")
        object.__setattr__(self, "layout", layout)


def view_key(view: type[LiveView]) -> str:
    """The name a session token uses for a LiveView class (never imported from the token)."""
    return f"{view.__module__}.{view.__qualname__}"


@dataclass(frozen=True, slots=True)
class RouteMatch:
    """A path resolved to its route, session and params (path params win over the query)."""

    route: LiveRoute
    session: LiveSession
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def layout(self) -> LiveLayout | None:
        """The live layout of this view: its own ``layout`` class attribute, else its live
        session's (``False`` on the view: none)."""
        own = self.route.view.layout
        if own is False:
            return None
        return self.session.layout if own is None else own

    def same_view(self, session: str, view: type[LiveView]) -> bool:
        """Whether this match is ``view`` in live session ``session``."""
        return self.session.name == session and self.route.view is view


class Router:
    """Resolves paths and absolute URLs (under a mount prefix) to live routes."""

    def __init__(self, entries: Iterable[LiveRoute | LiveSession]) -> None:
        default = LiveSession(DEFAULT_SESSION, [])
        self.sessions: dict[str, LiveSession] = {DEFAULT_SESSION: default}
        self._table: list[tuple[Any, dict[str, Any], LiveRoute, LiveSession]] = []
        for entry in entries:
            if isinstance(entry, LiveSession):
                if entry.name in self.sessions:
                    raise ValueError(f"live_session {entry.name!r} is defined twice")
                self.sessions[entry.name] = entry
                for route in entry.routes:
                    self._add(route, entry)
            else:
                self._add(entry, default)

    def _add(self, route: LiveRoute, session: LiveSession) -> None:
        regex, _, convertors = compile_path(route.path)
        self._table.append((regex, convertors, route, session))

    def routes(self) -> Iterable[tuple[LiveRoute, LiveSession]]:
        """Every live route with its session, in declaration order."""
        return ((route, session) for _, _, route, session in self._table)

    def view(self, key: str) -> type[LiveView] | None:
        """The routed LiveView class named ``key`` by ``view_key``, if any."""
        for _, _, route, _ in self._table:
            if view_key(route.view) == key:
                return route.view
        return None

    def match(self, path: str, query: str = "") -> RouteMatch | None:
        """The first route matching ``path`` (no mount prefix), with params from ``query``."""
        for regex, convertors, route, session in self._table:
            found = regex.match(path)
            if found:
                params: dict[str, Any] = decode_query(query)
                for key, value in found.groupdict().items():
                    params[key] = convertors[key].convert(value)
                return RouteMatch(route, session, params)
        return None

    def match_url(self, url: str, root_path: str) -> RouteMatch | None:
        """Resolve an absolute URL from the client, whose path starts with ``root_path``; None
        for a URL that does not parse (``http://[``)."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if not parts.path.startswith(root_path):
            return None
        return self.match(parts.path[len(root_path) :] or "/", parts.query)
