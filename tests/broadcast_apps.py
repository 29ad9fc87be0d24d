"""Broadcast views for the tests (tests/test_broadcast_view.py, the conformance and browser
tests): a scoreboard rendered once per update for all of its viewers.

``/board/{game}`` is a ``BroadcastView`` keyed by the game: it subscribes to ``game:<game>``;
``handle_info`` applies ``("goal", team)``, ``("set", home, away)``, ``"boom"`` (after which
the render raises) and ``"navigate"`` (not allowed in shared mode); the viewers' ``goal`` event
broadcasts.
``/solo/{game}`` is the same page as a plain LiveView, each viewer rendering for itself.
``/nested``, ``/with-component`` and ``/with-stream`` are broadcast views that use what shared
mode refuses: a nested LiveView, a LiveComponent, a stream.
``SCORE_RENDERS`` counts how often the score line is rendered, per game.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, button, li, main, p, ul

from pylive import (
    Assigns,
    BroadcastView,
    LiveApp,
    LiveComponent,
    LiveRoute,
    LiveView,
    Socket,
    broadcast,
    live_component,
    live_render,
)

SCORE_RENDERS: dict[str, int] = {}
"""How often each game's score was rendered (by the runtime, or by the test probe)."""


def _score(assigns: Assigns) -> str:
    SCORE_RENDERS[assigns.game] = SCORE_RENDERS.get(assigns.game, 0) + 1
    if assigns.broken:
        raise RuntimeError("the board cannot render")
    return f"{assigns.home} : {assigns.away}"


class Scores:
    """The page, as a plain LiveView or a broadcast view."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        self.game = str(params["game"])
        if socket.connected:
            socket.subscribe(f"game:{self.game}")
        socket.assign(game=self.game, home=0, away=0, log=[], broken=False, page_title="Match")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> Any:
        if event == "goal":
            await broadcast(f"game:{self.game}", ("goal", str(params["team"])))
        elif event == "ping":
            return {"pong": self.game}
        return None

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case ("goal", "home" | "away" as team):
                socket.assign(**{team: socket.assigns[team] + 1}, log=[*socket.assigns.log, team])
            case ("set", int(home), int(away)):
                socket.assign(home=home, away=away)
            case "boom":
                socket.assign(broken=True)
            case "navigate":
                socket.push_navigate("/elsewhere")

    def render(self, assigns: Assigns) -> Element:
        return main[
            p("#score")[_score(assigns)],
            ul("#log")[(li[team] for team in assigns.log)],
            button("#home", phx_click="goal", phx_value_team="home")["Home scores"],
            button("#away", phx_click="goal", phx_value_team="away")["Away scores"],
        ]


class Board(Scores, BroadcastView):
    @classmethod
    def shared_key(cls, params: dict[str, Any], session: dict[str, Any]) -> str:
        return str(params["game"])


class Solo(Scores, LiveView):
    pass


class Clock(LiveView):
    def render(self, assigns: Assigns) -> Element:
        return p["tick"]


class WithChild(BroadcastView):
    def render(self, assigns: Assigns) -> Element:
        return main[live_render(Clock, id="clock")]


class Badge(LiveComponent):
    def render(self, assigns: Assigns) -> Element:
        return p["badge"]


class WithComponent(BroadcastView):
    def render(self, assigns: Assigns) -> Element:
        return main[live_component(Badge, id="badge")]


class WithStream(BroadcastView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.stream("rows", [{"id": 1}])

    def render(self, assigns: Assigns) -> Element:
        return main[ul("#rows", phx_update="stream")[(li(id=i)["row"] for i, _ in assigns.rows)]]


def make_app(**options: Any) -> LiveApp:
    routes = [
        LiveRoute("/board/{game}", Board),
        LiveRoute("/solo/{game}", Solo),
        LiveRoute("/nested", WithChild),
        LiveRoute("/with-component", WithComponent),
        LiveRoute("/with-stream", WithStream),
    ]
    return LiveApp(routes, secret_key="broadcast-tests", **options)
