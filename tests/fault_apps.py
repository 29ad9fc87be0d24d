"""A LiveView and a LiveComponent that raise on demand in any of their callbacks, for the fault
tests (``tests/test_faults.py`` in-process, ``tests/e2e/test_faults.py`` in Chromium).

``ARMED`` names the callbacks that raise on their next call (each once: the raise disarms it), so
a test can crash one view while the others on the same app keep working. ``app`` is what
``pylive serve fault_apps:app`` serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import htpy as h

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket
from pylive.live_component import ComponentSocket, LiveComponent, live_component

SECRET = "fault-apps-secret-for-tests-only"

CALLBACKS = (
    "mount",
    "handle_params",
    "handle_event",
    "handle_info",
    "render",
    "component.mount",
    "component.update",
    "component.handle_event",
    "component.render",
)
"""Every callback ``Faulty`` and its ``Panel`` can raise in."""

ARMED: set[str] = set()
"""Callbacks that raise on their next call (see the module docstring)."""


class Fault(RuntimeError):
    """What an armed callback raises."""


def trip(callback: str) -> None:
    """Raise ``Fault`` if ``callback`` is armed (and disarm it)."""
    if callback in ARMED:
        ARMED.discard(callback)
        raise Fault(f"{callback} raised on purpose")


class Panel(LiveComponent):
    """Shows its parent's count; ``poke`` targeted at it is its own event."""

    async def mount(self, socket: ComponentSocket) -> None:
        trip("component.mount")
        socket.assign(pokes=0)

    async def update(self, socket: ComponentSocket, assigns: Mapping[str, Any]) -> None:
        trip("component.update")
        socket.assign(**assigns)

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> None:
        trip("component.handle_event")
        socket.assign(pokes=socket.assigns.pokes + 1)

    def render(self, assigns: Assigns) -> h.Element:
        trip("component.render")
        return h.div(".panel", id=f"panel-{assigns.id}")[
            h.span(".shown")[assigns.count],
            h.button(".poke", phx_click="poke", phx_target=assigns.myself)["poke panel"],
        ]


class Faulty(LiveView):
    """A counter; each event below reaches one callback (see ``tests/test_faults.py``)."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        trip("mount")
        socket.assign(count=0, generation=0, told="")

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        trip("handle_params")
        socket.assign(page=params.get("page", "1"))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "inc":  # renders the view and updates the panel
            socket.assign(count=socket.assigns.count + 1)
        elif event == "poke":
            trip("handle_event")
        elif event == "tell":  # a message to itself: handle_info
            await socket.inbox.send("told")
        elif event == "renew":  # a panel with a new id: the component mounts
            socket.assign(generation=socket.assigns.generation + 1)
        elif event == "arm" and params.get("callback") in CALLBACKS:  # for the browser tests
            ARMED.add(params["callback"])

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        trip("handle_info")
        socket.assign(told=str(msg))

    def render(self, assigns: Assigns) -> h.Element:
        trip("render")
        return h.main[
            h.p["Count: ", h.output("#count")[assigns.count]],
            h.p("#page")[assigns.page],
            h.p("#told")[assigns.told],
            h.button("#inc", phx_click="inc")["+1"],
            h.button("#poke", phx_click="poke")["poke"],
            h.button("#tell", phx_click="tell")["tell"],
            h.button("#renew", phx_click="renew")["renew"],
            [
                h.button(
                    id=f"arm-{name.replace('.', '-')}", phx_click="arm", phx_value_callback=name
                )[f"arm {name}"]
                for name in CALLBACKS
            ],
            live_component(Panel, f"p{assigns.generation}", count=assigns.count),
        ]


def create_app() -> LiveApp:
    """A fresh app serving ``Faulty`` at ``/``."""
    return LiveApp([LiveRoute("/", Faulty)], secret_key=SECRET)


app = create_app()
