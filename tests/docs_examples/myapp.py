"""The app that docs/testing.md's examples test (``from myapp import app``).

tests/test_docs.py runs that page's examples with pytest against this module, so every page,
element and handler they use exists here, and behaves as the page's prose says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from htpy import a, button, div, form, h1, input, li, p, ul
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket

SECRET = "docs-example-secret"


class Counter(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0)

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        if event == "inc":
            socket.assign(count=socket.assigns.count + 1)
        return None

    def render(self, assigns: Assigns) -> Any:
        return div[p("#count")[f"Count: {assigns.count}"], button("#inc", phx_click="inc")["+"]]


class Signup(LiveView):
    """Every binding of the "Acting on it" example; each handler records what it got."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(log=(), count=0, step="1")

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(step=params.get("step", "1"))

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        socket.assign(log=(*socket.assigns.log, f"{event} {sorted(params)}"))
        if event == "inc":
            socket.assign(count=socket.assigns.count + int(params["by"]))
            return {"count": socket.assigns.count}
        if event == "moved":
            return {"lat": params["lat"]}
        return None

    def render(self, assigns: Assigns) -> Any:
        return div(phx_window_keydown="close", phx_key="Escape")[
            h1[f"Step {assigns.step}"],
            button("#save", phx_click="save")["Save"],
            button(phx_click="delete")["Delete"],
            input("#search", name="search", phx_keydown="search", phx_key="Enter"),
            input("#name", name="name", phx_blur="blurred", phx_focus="focused"),
            div("#map", phx_hook="Map"),
            form("#signup", phx_change="validate", phx_submit="create")[
                input(name="user[email]", value=""),
                input(name="user[name]", value=""),
                button(type="submit")["Sign up"],
                button(type="submit", name="draft", value="yes")["Save draft"],
            ],
            form("#filter")[input(name="q", phx_change="filter")],
            ul("#log")[[li[entry] for entry in assigns.log]],
        ]


class Cart(LiveView):
    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        if event == "checkout":
            socket.put_flash("info", "Saved")
            socket.push_navigate("/checkout")
        return None

    def render(self, assigns: Assigns) -> Any:
        return button("#checkout", phx_click="checkout")["Checkout"]


class Checkout(LiveView):
    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        if event == "logout":
            socket.redirect("/login")
        return None

    def render(self, assigns: Assigns) -> Any:
        return p["Checkout"]


class Login(LiveView):
    def render(self, assigns: Assigns) -> Any:
        return form(method="post", action="/login")[
            input(name="user"), input(name="password", type="password")
        ]


class Admin(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        if session.get("user") != "admin":
            socket.redirect("/login")

    def render(self, assigns: Assigns) -> Any:
        return p["Admin"]


class Items(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page=1)

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(page=int(params.get("page", 1)))

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        if event == "next_page":
            socket.push_patch(f"/items?page={socket.assigns.page + 1}")
        return None

    def render(self, assigns: Assigns) -> Any:
        return div[p[f"Page {assigns.page}"], a(href="/items?page=2", data_phx_link="patch")]


async def _load_report() -> Mapping[str, Any]:
    return {"report": "Loaded"}


class Report(LiveView):
    """Changes made by the server on its own: background work and a timer."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(report=None, ticks=0)
        if socket.connected:
            socket.send_interval(0.01, "tick")

    async def handle_event(
        self, socket: Socket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        if event == "refresh":
            socket.assign_async("report", _load_report)
        return None

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        socket.assign(ticks=socket.assigns.ticks + 1)

    def render(self, assigns: Assigns) -> Any:
        report = assigns.report
        return div[
            p[report.result if report is not None and report.ok else "No report yet"],
            p[f"Ticks: {assigns.ticks}"],
        ]


class Dashboard(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(user=session.get("user", "guest"))

    def render(self, assigns: Assigns) -> Any:
        return h1[f"Hello, {assigns.user}"]


async def login(request: Request) -> Response:
    data = dict(parse_qsl((await request.body()).decode()))
    if data.get("password") == "secret":
        request.session["user"] = data.get("user")
    return RedirectResponse("/dashboard", status_code=303)


async def export_csv(request: Request) -> Response:
    return PlainTextResponse("id,name\n1,ann\n", media_type="text/csv")


app = LiveApp(
    [
        LiveRoute("/counter", Counter),
        LiveRoute("/signup", Signup),
        LiveRoute("/cart", Cart),
        LiveRoute("/checkout", Checkout),
        LiveRoute("/login", Login),
        LiveRoute("/admin", Admin),
        LiveRoute("/items", Items),
        LiveRoute("/report", Report),
        LiveRoute("/dashboard", Dashboard),
        Route("/login", login, methods=["POST"]),
        Route("/export.csv", export_csv),
    ],
    secret_key=SECRET,
    middleware=[Middleware(SessionMiddleware, secret_key=SECRET)],
)
