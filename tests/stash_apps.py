"""Views with stashed assigns for the stash tests: in-process (tests/test_stash.py) and served
by ``pylive serve`` in a subprocess that is killed and started again (tests/e2e/test_stash.py).

The served ``app`` keeps its stash in Redis when ``$STASH_REDIS`` names one, else in the client;
its secret key is fixed, so that a restarted server accepts the old pages' tokens.
"""

from __future__ import annotations

import os
from typing import Any

from htpy import Element, button, div, main, p

from pylive import (
    Assigns,
    ClientStash,
    LiveApp,
    LiveRoute,
    LiveView,
    RedisStash,
    Socket,
    live_render,
)
from pylive.stash import StashStore

SECRET = "stash-tests-secret"


class Counter(LiveView):
    """``count`` and ``steps`` (a tuple) are stashed, ``note`` too; ``clicks`` is not."""

    stash = ("count", "steps", "note")

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0, steps=(), note="", clicks=0, restored=False)

    async def handle_restore(self, socket: Socket, stash: dict[str, Any]) -> None:
        await super().handle_restore(socket, stash)
        socket.assign(restored=True)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        count = socket.assigns.count
        match event:
            case "inc":
                socket.assign(count=count + 1, steps=(*socket.assigns.steps, count + 1))
            case "click":
                socket.assign(clicks=socket.assigns.clicks + 1)
            case "note":
                socket.assign(note=params["value"])
            case "bad":
                socket.assign(note={1, 2})  # a set: not JSON data
            case "go":
                socket.push_navigate(params["value"])  # live navigation: same view id

    def render(self, assigns: Assigns) -> Element:
        return main[
            p("#count")[f"Count: {assigns.count}"],
            p("#steps")[", ".join(str(step) for step in assigns.steps)],
            p("#clicks")[f"Clicks: {assigns.clicks}"],
            p("#restored")["restored" if assigns.restored else "fresh"],
            div[
                button("#inc", type="button", phx_click="inc")["Add one"],
                button("#click", type="button", phx_click="click")["Click"],
            ],
        ]


class Host(LiveView):
    """A page holding ``Counter`` as a nested LiveView (its id, ``counter``, fixed by the
    template: the same on every page)."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        pass

    def render(self, assigns: Assigns) -> Element:
        return div[live_render(Counter, id="counter")]


class Other(Counter):
    """Another view class, inheriting the stash."""


def make_app(store: StashStore | None = None) -> LiveApp:
    return LiveApp(
        [LiveRoute("/", Counter), LiveRoute("/other", Other), LiveRoute("/host", Host)],
        secret_key=SECRET,
        stash=store,
    )


_redis = os.environ.get("STASH_REDIS")
app = make_app(RedisStash(_redis) if _redis else ClientStash())
