"""Small LiveViews and apps the runtime tests drive."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from htpy import a, button, div, p, span

from pylive import Assigns, LiveApp, LiveRoute, LiveSession, LiveView, Socket

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


class Background(LiveView):
    """Async work and timers: ``data`` via assign_async, ``job`` via start_async."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(job="idle", ticks=0)
        socket.assign_async("data", _slow_data)
        if socket.connected and "tick" in params:
            socket.send_after(0, "tick")  # arrives only after the join reply

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "job":
                socket.start_async("job", _job)
            case "bad_job":
                socket.start_async("job", _bad_job)
            case "interval":
                socket.assign(timer=socket.send_interval(0.01, "tick"))
            case "redirect_later":
                socket.send_after(0, "redirect")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        if msg == "redirect":
            socket.push_event("bye", {})
            socket.redirect("/other")
            return
        socket.assign(ticks=socket.assigns.ticks + 1)
        if socket.assigns.ticks == 3 and "timer" in socket.assigns:
            socket.cancel_timer(socket.assigns.timer)

    async def handle_async(self, socket: Socket, name: Any, result: Any) -> None:
        socket.assign(job=f"{result.state}:{result.result or type(result.reason).__name__}")

    def render(self, assigns: Assigns) -> Any:
        data = assigns.data
        shown = "loading" if data.loading else data.result if data.ok else "failed"
        return div[p[shown], p[assigns.job], p[assigns.ticks]]


class PatchOnMount(LiveView):
    """Patches to ``?tab=home`` when the URL has no tab; records its lifecycle."""

    log: ClassVar[list[str]] = []

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(tab=None)

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        if "tab" not in params:
            socket.push_patch("?tab=home", replace=True)
        socket.assign(tab=params.get("tab"))

    async def terminate(self, socket: Socket, reason: str) -> None:
        PatchOnMount.log.append(reason)

    def render(self, assigns: Assigns) -> Any:
        return div[assigns.tab]


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
            LiveRoute("/", Counter),
            LiveRoute("/counter/{start:int}", Counter),
            LiveRoute("/other", Other),
            LiveRoute("/background", Background),
            LiveRoute("/patch", PatchOnMount),
            LiveSession("admin", [LiveRoute("/admin", Admin)], on_mount=[require_user]),
        ],
        secret_key=SECRET,
        **kw,
    )
