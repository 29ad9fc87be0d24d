"""Small LiveViews and apps the runtime tests drive."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from htpy import a, button, div, p, span

from pylive import Assigns, LiveApp, LiveView, Socket, live, live_session

SECRET = "test-secret"


class Counter(LiveView):
    """The classic: a number and buttons; ``crash`` raises, ``reply`` answers a hook."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=int(params.get("start", 0)), session=dict(session))

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(tab=params.get("tab", "none"))

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        match event:
            case "inc":
                socket.assign(count=socket.assigns.count + 1)
            case "noop":
                socket.assign(count=socket.assigns.count)
            case "crash":
                raise RuntimeError("boom")
            case "reply":
                return {"got": params}
            case "title":
                socket.assign(page_title=params["value"])
            case "event":
                socket.push_event("hello", {"n": 1})
            case "flash":
                socket.put_flash("info", params["value"])
            case "patch":
                socket.push_patch(params["to"], replace=bool(params.get("replace")))
            case "navigate":
                socket.put_flash("info", "moved")
                socket.push_navigate(params["to"])
            case "redirect":
                socket.redirect(params["to"])
            case "tick":
                socket.send_after(0, "ticked")
            case "slow":
                socket.assign_async("data", _slow_data)
            case "job":
                socket.start_async("job", _job)
            case "bad_job":
                socket.start_async("job", _bad_job)
            case _:
                return None
        return None

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        socket.assign(info=msg, count=socket.assigns.count + 100)

    async def handle_async(self, socket: Socket, name: Any, result: Any) -> None:
        socket.assign(job=result)

    def render(self, assigns: Assigns) -> Any:
        return div[
            p["Count: ", assigns.count],
            span(".tab")[assigns.tab],
            span(".flash")[assigns.flash.get("info", "")],
            button(phx_click="inc")["+"],
            a(href="/other", data_phx_link="redirect", data_phx_link_state="push")["other"],
        ]


async def _slow_data() -> dict[str, Any]:
    return {"data": "loaded"}


async def _job() -> str:
    return "done"


def _bad_job() -> str:
    raise ValueError("nope")


class Other(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page_title="Other")

    def render(self, assigns: Assigns) -> Any:
        return div[p["Other page, flash: ", assigns.flash.get("info", "")]]


class Admin(LiveView):
    def render(self, assigns: Assigns) -> Any:
        return div["admin ", assigns.user]


async def require_user(socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
    """An on_mount hook: only ``?user=`` visitors get in."""
    if "user" in params:
        socket.assign(user=params["user"])
    else:
        socket.put_flash("error", "log in first")
        socket.redirect("/")


def make_app(**kw: Any) -> LiveApp:
    return LiveApp(
        [
            live("/", Counter),
            live("/counter/{start:int}", Counter),
            live("/other", Other),
            live_session("admin", [live("/admin", Admin)], on_mount=[require_user]),
        ],
        secret_key=SECRET,
        **kw,
    )
