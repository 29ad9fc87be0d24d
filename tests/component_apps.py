"""A LiveView of LiveComponents for the component tests (in-process and in Chromium): rows in a
list, a component that moves between two parents, components updated in batches, a component
that renders a component. ``app`` is what ``pylive serve component_apps:app`` serves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import htpy as h

from pylive import Assigns, LiveApp, LiveRoute, LiveSession, LiveView, Socket
from pylive.live_component import ComponentSocket, LiveComponent, live_component

CALLS: list[tuple[str, Any]] = []
"""Lifecycle calls, in order (reset by each test that reads it)."""


class Counter(LiveComponent):
    """A counter with its own state; the parent gives it a label."""

    async def mount(self, socket: ComponentSocket) -> None:
        CALLS.append(("mount", socket.id))
        socket.assign(count=0)

    async def update(self, socket: ComponentSocket, assigns: Mapping[str, Any]) -> None:
        CALLS.append(("update", socket.id))
        socket.assign(**assigns)

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        match event:
            case "inc":
                socket.assign(count=socket.assigns.count + 1)
            case "tell":
                await socket.inbox.send(("told", socket.id, socket.assigns.count))
            case "notify":
                socket.push_event("counted", {"id": socket.id, "count": socket.assigns.count})
            case "ping":
                return {"pong": socket.id}
            case "flash":
                socket.put_flash("info", f"hello from {socket.id}")
            case "bump-other":
                socket.send_update(Counter, params["other"], label="bumped")
            case "go":
                socket.push_patch("/?page=2")
            case "crash":
                raise RuntimeError("component exploded")
        return None

    def render(self, assigns: Assigns) -> h.Element:
        return h.div(".counter", id=f"counter-{assigns.id}")[
            h.span(".label")[assigns.label],
            h.output[assigns.count],
            h.button(".inc", phx_click="inc", phx_target=assigns.myself)["+"],
        ]


class Batched(LiveComponent):
    """Updated only through ``update_many``."""

    batches: ClassVar[list[list[Any]]] = []

    @classmethod
    async def update_many(cls, batch: Sequence[tuple[ComponentSocket, Mapping[str, Any]]]) -> None:
        cls.batches.append([socket.id for socket, _ in batch])
        for socket, assigns in batch:
            socket.assign(text=str(assigns["text"]).upper())

    def render(self, assigns: Assigns) -> h.Element:
        return h.li(id=f"b-{assigns.id}")[assigns.text]


class Outer(LiveComponent):
    """A component that renders a component."""

    def render(self, assigns: Assigns) -> h.Element:
        return h.section(id=f"outer-{assigns.id}")[
            h.h2[assigns.title],
            live_component(Counter, f"inner-{assigns.id}", label="inner"),
        ]


class Board(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(
            ids=["a", "b"], show=True, left=True, label="L", told=[], batched=["x", "y", "z"]
        )

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(page=params.get("page", "1"))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "toggle":
                socket.assign(show=not socket.assigns.show)
            case "rotate":
                ids = socket.assigns.ids
                socket.assign(ids=[*ids[1:], ids[0]])
            case "add":
                socket.assign(ids=[*socket.assigns.ids, params["id"]])
            case "move":
                socket.assign(left=not socket.assigns.left)
            case "relabel":
                socket.assign(label=params["label"])
            case "update-a":
                socket.send_update(Counter, "a", label="from parent")
            case "update-missing":
                socket.send_update(Counter, "nope", label="x")
            case "later":
                socket.send_update_after(0.01, Counter, "b", label="later")
            case "more":
                socket.assign(batched=[*socket.assigns.batched, "w"])

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        socket.assign(told=[*socket.assigns.told, msg])

    def render(self, assigns: Assigns) -> h.Element:
        moved = live_component(Counter, "mover", label="mover")
        return h.main[
            h.p("#page")[assigns.page],
            h.p("#told")[repr(assigns.told)],
            h.p("#flash")[assigns.flash.get("info", "")],
            h.ul("#rows")[
                [  # keyed by the rows' ids
                    h.li(id=f"row-{i}")[live_component(Counter, i, label=assigns.label)]
                    for i in assigns.ids
                ]
            ]
            if assigns.show
            else h.p["hidden"],
            h.div("#left")[moved if assigns.left else ""],
            h.div("#right")["" if assigns.left else moved],
            h.ul("#batched")[[live_component(Batched, t, text=t) for t in assigns.batched]],
            live_component(Outer, "o", title="Outer"),
            h.button("#toggle", phx_click="toggle")["toggle"],
            h.button("#toggle-2", phx_click="toggle")["toggle too"],
            h.button("#move", phx_click="move")["move"],
            h.button("#rotate", phx_click="rotate")["rotate"],
            h.button("#update-a", phx_click="update-a")["update a"],
        ]


def make_app() -> LiveApp:
    return LiveApp([LiveSession("s", [LiveRoute("/", Board)])], secret_key="k" * 32, compress=False)


app = make_app()
