"""The mount sequence, shared by the HTTP render and the live join, and the lifecycle hooks
around the view's callbacks.

Both renders of a page must run the same steps: ``live_action`` from the route, the live
session's ``on_mount`` hooks (any of which may halt by redirecting), ``mount``, then
``handle_params`` with the page URL. A patch sets ``live_action`` again before its
``handle_params``.

Every view callback the runtime calls goes through here, so that the lifecycle hooks attached
with ``socket.attach_hook`` (``pylive.lifecycle_hooks``) run first, in attach order, and may
halt it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from pylive.effects import AsyncResult, Effects
from pylive.routing import RouteMatch
from pylive.socket import Socket
from pylive.view import LiveView

__all__ = [
    "after_render",
    "mount_view",
    "patch_view",
    "restore_view",
    "run_handle_async",
    "run_handle_event",
    "run_handle_info",
    "run_handle_params",
    "run_on_mount",
]


async def mount_view(
    match: RouteMatch,
    socket: Socket,
    effects: Effects,
    session: dict[str, Any],
    uri: str,
    stashed: dict[str, Any] | None = None,
) -> LiveView:
    """Create the routed LiveView and run hooks, ``mount``, ``handle_restore`` (on a
    reconnect that found ``stashed`` assigns, ``pylive.stash``) and ``handle_params``.

    Stops early when a step asks to leave (``redirect``/``push_navigate``); the caller then
    finds the navigation in ``effects`` (the socket's).
    """
    view = match.route.view()
    params = dict(match.params)
    await run_on_mount(match, socket, effects, session)
    if effects.leaving:
        return view
    await view.mount(socket, params, session)
    await restore_view(view, socket, effects, stashed)
    if not effects.leaving:
        await run_handle_params(view, socket, effects, params, uri)
    return view


async def run_on_mount(
    match: RouteMatch, socket: Socket, effects: Effects, session: dict[str, Any]
) -> None:
    """Set ``live_action`` and run the live session's ``on_mount`` hooks, stopping at the
    first that asks to leave (the navigation is then in ``effects``)."""
    params = dict(match.params)
    effects.assign({"live_action": match.route.action})
    for hook in match.session.on_mount:
        await hook(socket, params, session)
        if effects.leaving:
            return


async def restore_view(
    view: LiveView, socket: Socket, effects: Effects, stashed: dict[str, Any] | None
) -> None:
    """After ``mount``: ``handle_restore`` with the ``stashed`` assigns a reconnect found
    (``pylive.stash``), unless there are none or the mount is leaving."""
    if stashed is not None and not effects.leaving:
        await view.handle_restore(socket, stashed)


async def patch_view(
    view: LiveView, socket: Socket, effects: Effects, match: RouteMatch, uri: str
) -> None:
    """A patch to ``match`` (a route of the same view): set ``live_action`` to its route's
    action, then run ``handle_params`` with its params."""
    effects.assign({"live_action": match.route.action})
    await run_handle_params(view, socket, effects, dict(match.params), uri)


async def run_handle_params(
    view: LiveView, socket: Socket, effects: Effects, params: dict[str, Any], uri: str
) -> None:
    """The ``handle_params`` hooks, then (unless one halted) the view's ``handle_params``."""
    hooks = effects.hooks
    if not hooks.attached("handle_params") or (
        await hooks.run("handle_params", socket, params, uri) is None
    ):
        await view.handle_params(socket, params, uri)


async def run_handle_event(
    view: LiveView, socket: Socket, effects: Effects, event: str, params: dict[str, Any]
) -> Mapping[str, Any] | None:
    """The ``handle_event`` hooks, then (unless one halted) the view's ``handle_event``;
    returns the hook reply: that of a ``Halt(reply)``, or what ``handle_event`` returned."""
    hooks = effects.hooks
    if hooks.attached("handle_event"):  # most views have none: no coroutine to run then
        halted = await hooks.run("handle_event", socket, event, params)
        if halted is not None:
            return halted.reply
    reply = await view.handle_event(socket, event, params)
    if reply is not None and not isinstance(reply, Mapping):
        raise TypeError(f"handle_event must return a mapping or None, got {reply!r}")
    return reply


async def run_handle_info(view: LiveView, socket: Socket, effects: Effects, msg: Any) -> None:
    """The ``handle_info`` hooks, then (unless one halted) the view's ``handle_info``."""
    hooks = effects.hooks
    if not hooks.attached("handle_info") or await hooks.run("handle_info", socket, msg) is None:
        await view.handle_info(socket, msg)


async def run_handle_async(
    view: LiveView, socket: Socket, effects: Effects, name: Hashable, result: AsyncResult[Any]
) -> None:
    """The ``handle_async`` hooks, then (unless one halted) the view's ``handle_async``."""
    hooks = effects.hooks
    if not hooks.attached("handle_async") or (
        await hooks.run("handle_async", socket, name, result) is None
    ):
        await view.handle_async(socket, name, result)


async def after_render(socket: Socket, effects: Effects) -> None:
    """The ``after_render`` hooks, after a live render (before it counts as done, so what
    they assign is not rendered, as in Phoenix)."""
    hooks = effects.hooks
    if hooks.attached("after_render"):
        await hooks.run("after_render", socket)
