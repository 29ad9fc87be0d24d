"""The mount sequence and URL targets, shared by the HTTP render and the live join.

Both renders of a page must run the same steps: the live session's ``on_mount`` hooks (any of
which may halt by redirecting), ``mount``, then ``handle_params`` with the page URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from pylive.routing import RouteMatch
from pylive.view import LiveView, Socket

__all__ = ["client_path", "client_target", "mount_view", "resolve"]


async def mount_view(
    match: RouteMatch, socket: Socket, session: dict[str, Any], uri: str
) -> LiveView:
    """Create the routed LiveView and run hooks, ``mount`` and ``handle_params``.

    Stops early when a step asks to leave (``redirect``/``push_navigate``); the caller reads the
    pending navigation from the socket.
    """
    view = match.route.view()
    params = dict(match.params)
    for hook in match.session.on_mount:
        await hook(socket, params, session)
        if socket._leaving():
            return view
    await view.mount(socket, params, session)
    if not socket._leaving():
        await view.handle_params(socket, params, uri)
    return view


def resolve(to: str, current: str) -> str:
    """``to`` (absolute, path, or relative such as ``?page=2``) as an absolute URL."""
    return urljoin(current, to)


def client_path(url: str) -> str:
    """The path, query and fragment of an absolute URL: what navigation payloads carry."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def client_target(url: str, current: str) -> str:
    """What a redirect payload carries for ``url``: a path on this site, else the full URL."""
    here, there = urlsplit(current), urlsplit(url)
    same_site = (here.scheme, here.netloc) == (there.scheme, there.netloc)
    return client_path(url) if same_site else url
