"""The user API: ``LiveView``, the class a live page subclasses.

A LiveView is one object per mounted page. Its handlers are ``async def`` and receive the
``Socket`` (``pylive.socket``); they change state with ``socket.assign(...)`` and ask for side
effects (navigation, client events, timers, background work) through it. The runtime renders
after each handled message, but only when an assign changed, and sends the client what changed
in the output.

Sync handlers are refused at class creation: a handler runs on the event loop that serves every
other connection too, so blocking work belongs in ``start_async``/``assign_async`` (sync
functions given to those run in a worker thread) or ``anyio.to_thread.run_sync``. ``render`` is
the exception: it is a plain function of the assigns and must not block or await.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Mapping
from typing import Any, ClassVar, Literal

from pylive.assigns import Assigns
from pylive.callbacks import prepare_class
from pylive.effects import AsyncResult
from pylive.errors import NoEventHandler
from pylive.socket import Socket

__all__ = ["LiveLayout", "LiveView"]

logger = logging.getLogger(__name__)

LiveLayout = Callable[[Assigns], Any]
"""A live layout: ``def layout(assigns)`` returning htpy that places ``assigns.inner_content``
(the view's own render) somewhere; it reads the view's assigns and re-renders with them."""

_ASYNC_HANDLERS = (
    "mount",
    "handle_params",
    "handle_event",
    "handle_info",
    "handle_async",
    "handle_restore",
    "terminate",
)


class LiveView:
    """Base class of a live page. Override ``render`` and the handlers you need.

    One instance serves one mounted page; every handler is ``async`` and gets the ``Socket``.
    ``render(assigns)`` returns an htpy node and must depend on the assigns only (it is not
    called when no assign changed). It is compiled so that a render evaluates only the parts
    that read changed assigns (docs/change-tracking.md); ``track_changes = False`` on the class
    turns that off.
    """

    track_changes: ClassVar[bool] = True
    """Render only what reads changed assigns; False re-evaluates the whole template each time."""

    layout: ClassVar[LiveLayout | Literal[False] | None] = None
    """The live layout around this view's render (``def layout(assigns)`` placing
    ``assigns.inner_content``): None uses its live session's (``LiveSession(layout=...)``),
    False renders the view without one. See docs/hooks-and-layouts.md."""

    stash: ClassVar[tuple[str, ...]] = ()
    """Assigns kept across reconnects and deploys (docs/stash.md): saved after each render that
    changed them, given to ``handle_restore`` when the same page reconnects. JSON data only."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        prepare_class(cls, _ASYNC_HANDLERS)
        stash = cls.stash
        if isinstance(stash, str) or not all(isinstance(name, str) for name in stash):
            raise TypeError(
                f"{cls.__qualname__}.stash must be a tuple of assign names, not {stash!r}"
            )
        cls.stash = tuple(stash)
        layout = cls.__dict__.get("layout")
        if not (layout is None or layout is False or callable(layout)):
            raise TypeError(
                f"{cls.__qualname__}.layout must be a function of the assigns, None (the live "
                f"session's) or False (none), not {layout!r}"
            )

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        """Set up the initial assigns; runs for the HTTP render and again when connected."""

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        """React to the URL (after mount, and on every ``push_patch`` or patch link)."""

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        """Handle a client event (``phx-click`` etc.); a returned mapping is the hook reply."""
        raise NoEventHandler(f"{type(self).__qualname__} does not handle event {event!r}")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        """Handle a message from a timer or the inbox."""
        logger.warning("%s ignored message %r (no handle_info)", type(self).__qualname__, msg)

    async def handle_async(self, socket: Socket, name: Hashable, result: AsyncResult[Any]) -> None:
        """Receive the outcome of ``start_async(name, ...)``."""
        raise NotImplementedError(f"{type(self).__qualname__} does not handle async {name!r}")

    async def handle_restore(self, socket: Socket, stash: dict[str, Any]) -> None:
        """On a reconnect, after ``mount`` and before ``handle_params``: put back the stashed
        assigns (those of ``stash`` that were saved). Override to check or migrate them."""
        socket.assign(**stash)

    async def terminate(self, socket: Socket, reason: str) -> None:
        """Last call before the view goes away (``"leave"``, ``"redirect"``, ``"closed"``...)."""

    def render(self, assigns: Assigns) -> Any:
        """The page for these assigns, as an htpy node."""
        raise NotImplementedError(f"{type(self).__qualname__} must define render(assigns)")
