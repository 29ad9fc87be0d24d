"""The user API of stateful components: ``LiveComponent``, its socket, ``live_component``.

A LiveComponent is a piece of a LiveView with its own assigns, its own ``render`` and its own
events. ``live_component(Modal, id="m1", title=...)`` places one in a template; within a view,
the component class and the ``id`` name one component, which keeps its state (and its cid on the
wire) for as long as the view renders it. It runs in its view: its handlers run one message at a
time with the view's, and what it asks of the page (client events, navigation, the flash,
messages for ``handle_info``) goes through the view's socket.

The lifecycle: ``mount(socket)`` once, when the component first appears; ``update(socket,
assigns)`` every time its parent renders it with assigns (and for ``send_update``), by default
assigning them all; ``render(assigns)``, compiled and change-tracked like a view's; and
``handle_event`` for events whose ``phx-target`` is the component (``assigns.myself``).
``update_many`` updates every component of a class rendered in one pass at once.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, ClassVar

from pylive.assigns import Assigns
from pylive.callbacks import prepare_class
from pylive.effects import Effects
from pylive.errors import NoEventHandler
from pylive.html.component_ref import ComponentRef
from pylive.pubsub import Member
from pylive.socket import BaseSocket, Inbox, Socket, Timer

__all__ = ["CID", "ComponentSocket", "LiveComponent", "live_component", "overrides_update_many"]


class CID(int):
    """A component's ``myself``: as ``phx_target=assigns.myself`` it sends events to it (the
    attribute holds the cid, which the client reads as "this component")."""

    __slots__ = ()

    @property
    def cid(self) -> int:
        """The component's id on the wire."""
        return int(self)

    def __str__(self) -> str:
        return int.__repr__(self)

    def __repr__(self) -> str:
        return f"CID({int(self)})"


class ComponentSocket(BaseSocket):
    """A LiveComponent's socket: its own assigns; the rest goes through its view's socket."""

    __slots__ = ("_view", "id", "myself")

    def __init__(self, effects: Effects, view: Socket, id: Hashable, myself: CID) -> None:
        super().__init__(effects, None)
        self._view = view
        self.id = id
        """The ``id`` the component was rendered with."""
        self.myself = myself
        """The component's event target (also ``assigns.myself``)."""

    def _stream_prefix(self) -> str:
        return f"{int(self.myself)}-"

    @property
    def connected(self) -> bool:
        """True over the live connection; False during the first (HTTP) render."""
        return self._view.connected

    @property
    def inbox(self) -> Inbox:
        """The view's inbox: messages sent there reach the view's ``handle_info``."""
        return self._view.inbox

    @property
    def pubsub_member(self) -> Member | None:
        """The view's pub/sub subscriber (``broadcast_from`` skips the view, ``presence.track``
        tracks it); None when not connected."""
        return self._view.pubsub_member

    def push_event(self, event: str, payload: Mapping[str, Any] | None = None) -> None:
        """Dispatch ``phx:<event>`` on the client's window (hooks' ``handleEvent``)."""
        self._view.push_event(event, payload)

    def put_flash(self, kind: str, message: str) -> None:
        """Show ``message`` under ``kind`` in the view's flash."""
        self._view.put_flash(kind, message)

    def push_patch(self, to: str, *, replace: bool = False) -> None:
        """Patch the view's URL (its ``handle_params`` runs)."""
        self._view.push_patch(to, replace=replace)

    def push_navigate(self, to: str, *, replace: bool = False) -> None:
        """Navigate the page to another LiveView of the same live session."""
        self._view.push_navigate(to, replace=replace)

    def redirect(self, to: str) -> None:
        """Leave the page with a full page load of ``to``."""
        self._view.redirect(to)

    def send_update(self, component: type, /, id: Hashable, **assigns: Any) -> None:
        """Give new ``assigns`` to the view's component ``component`` with ``id``."""
        self._view.send_update(component, id, **assigns)

    def send_update_after(
        self, delay: float, component: type, /, id: Hashable, **assigns: Any
    ) -> Timer:
        """``send_update`` after ``delay`` seconds (only when connected)."""
        return self._view.send_update_after(delay, component, id, **assigns)


_ASYNC_HANDLERS = ("mount", "update", "handle_event")


class LiveComponent:
    """Base class of a stateful component. Override ``render`` and the handlers you need.

    One instance serves one component (one class and ``id`` in one view). Handlers are
    ``async`` and get the ``ComponentSocket``; ``render(assigns)`` returns an htpy node with
    exactly one root element and must depend on the assigns only.
    """

    track_changes: ClassVar[bool] = True
    """Render only what reads changed assigns; False re-evaluates the whole template each time."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        prepare_class(cls, _ASYNC_HANDLERS)

    async def mount(self, socket: ComponentSocket) -> None:
        """Set up the component's first assigns (once, before its first ``update``)."""

    async def update(self, socket: ComponentSocket, assigns: Mapping[str, Any]) -> None:
        """Take the assigns the parent rendered the component with (or ``send_update`` gave);
        by default assigns them all."""
        socket.assign(**assigns)

    @classmethod
    async def update_many(cls, batch: Sequence[tuple[ComponentSocket, Mapping[str, Any]]]) -> None:
        """Update every component of this class rendered in one pass at once (say, one query
        for a list). When a class overrides it, its ``update`` is not called."""
        raise NotImplementedError  # not called unless overridden

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        """Handle an event targeted at the component; a returned mapping is the hook reply."""
        raise NoEventHandler(f"{type(self).__qualname__} does not handle event {event!r}")

    def render(self, assigns: Assigns) -> Any:
        """The component for these assigns, as an htpy node with one root element."""
        raise NotImplementedError(f"{type(self).__qualname__} must define render(assigns)")


def overrides_update_many(component: type[LiveComponent]) -> bool:
    """Whether ``component`` defines its own ``update_many``."""
    return component.update_many.__func__ is not LiveComponent.update_many.__func__  # type: ignore[attr-defined]


def live_component(component: type[LiveComponent], /, id: Hashable, **assigns: Any) -> ComponentRef:
    """Render the LiveComponent ``component`` with ``id`` here, giving it ``assigns`` (and
    ``id``). Use it inside a LiveView's or another component's ``render``."""
    if not (isinstance(component, type) and issubclass(component, LiveComponent)):
        raise TypeError(f"live_component needs a LiveComponent subclass, got {component!r}")
    try:
        hash(id)
    except TypeError:
        raise TypeError(f"live_component id must be hashable, got {id!r}") from None
    return ComponentRef(component, id, {**assigns, "id": id})
