"""The mount sequence, shared by the HTTP render and the live join.

Both renders of a page must run the same steps: ``live_action`` from the route, the live
session's ``on_mount`` hooks (any of which may halt by redirecting), ``mount``, then
``handle_params`` with the page URL. A patch sets ``live_action`` again before its
``handle_params``.
"""

from __future__ import annotations

from typing import Any

from pylive.effects import Effects
from pylive.routing import RouteMatch
from pylive.socket import Socket
from pylive.view import LiveView

__all__ = ["mount_view", "patch_view"]


async def mount_view(
    match: RouteMatch, socket: Socket, effects: Effects, session: dict[str, Any], uri: str
) -> LiveView:
    """Create the routed LiveView and run hooks, ``mount`` and ``handle_params``.

    Stops early when a step asks to leave (``redirect``/``push_navigate``); the caller then
    finds the navigation in ``effects`` (the socket's).
    """
    view = match.route.view()
    params = dict(match.params)
    effects.assign({"live_action": match.route.action})
    for hook in match.session.on_mount:
        await hook(socket, params, session)
        if effects.leaving:
            return view
    await view.mount(socket, params, session)
    if not effects.leaving:
        await view.handle_params(socket, params, uri)
    return view


async def patch_view(
    view: LiveView, socket: Socket, effects: Effects, match: RouteMatch, uri: str
) -> None:
    """A patch to ``match`` (a route of the same view): set ``live_action`` to its route's
    action, then run ``handle_params`` with its params."""
    effects.assign({"live_action": match.route.action})
    await view.handle_params(socket, dict(match.params), uri)
