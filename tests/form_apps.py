"""LiveViews with forms for the form tests (in-process and in Chromium): a form recovered after
a rejoin (by its change event, a custom event, or not at all), a form inside a LiveComponent, a
form whose view has no ``handle_event``, and a form that posts to a plain HTTP route with
``phx-trigger-action``. ``app`` is what ``pylive serve form_apps:app`` serves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import htpy as h
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket
from pylive.csrf import csrf_protect
from pylive.forms import Form, to_form
from pylive.html.form_fields import csrf_input, form_attrs, input_field, submit_button
from pylive.live_component import ComponentSocket, LiveComponent, live_component

EVENTS: list[tuple[str, dict[str, Any]]] = []
"""Every form event the views below received, in order (reset by each test that reads it)."""


class Login(BaseModel):
    """A name and a password."""

    name: str = Field(min_length=2)
    password: str = Field(min_length=8)


class Recovering(LiveView):
    """Three forms: recovered with ``validate``, with ``phx-auto-recover="restore"``, or not."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(a=to_form(Login, as_="a"), b=to_form(Login, as_="b"), c="")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        EVENTS.append((event, params))
        if event == "crash":
            raise RuntimeError("form view exploded")
        if event in ("validate", "restore"):
            for name in ("a", "b"):
                if name in params:
                    socket.assign(**{name: to_form(params, as_=name, schema=Login)})
        if event == "ignored":
            socket.assign(c=str(params.get("c", "")))

    def render(self, assigns: Assigns) -> h.Element:
        a: Form = assigns.a
        b: Form = assigns.b
        return h.div[
            h.form(form_attrs(a, phx_change="validate", phx_submit="validate"))[
                input_field(a["name"]), input_field(a["password"], type="password")
            ],
            h.form(form_attrs(b, phx_change="validate", phx_auto_recover="restore"))[
                input_field(b["name"]), input_field(b["password"], type="password")
            ],
            h.form("#c", phx_change="ignored", phx_auto_recover="ignore")[
                h.input(name="c", value=assigns.c)
            ],
            h.button("#crash", phx_click="crash")["crash"],
        ]


class LoginBox(LiveComponent):
    """A login form handled by the component itself (``phx-target={myself}``)."""

    async def mount(self, socket: ComponentSocket) -> None:
        socket.assign(form=to_form(Login, as_="login", id=f"login-{socket.id}"))

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        EVENTS.append((f"{socket.id}:{event}", params))
        form = to_form(params, as_="login", schema=Login, id=f"login-{socket.id}")
        socket.assign(form=form)
        return None

    def render(self, assigns: Assigns) -> h.Element:
        form: Form = assigns.form
        return h.div(id=f"box-{assigns.id}")[
            h.form(
                form_attrs(
                    form, phx_change="validate", phx_submit="save", phx_target=assigns.myself
                )
            )[
                input_field(form["name"]),
                input_field(form["password"], type="password"),
                submit_button("Log in"),
            ],
            h.p(".status")["valid" if form.valid else "not yet"],
        ]


class Boxes(LiveView):
    """Two login components."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(n=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "crash":
            raise RuntimeError("boxes exploded")

    def render(self, assigns: Assigns) -> h.Element:
        return h.div[
            live_component(LoginBox, id="one"),
            live_component(LoginBox, id="two"),
            h.button("#crash", phx_click="crash")["crash"],
        ]


class NoHandler(LiveView):
    """A form whose view has no ``handle_event``."""

    def render(self, assigns: Assigns) -> h.Element:
        return h.form("#f", phx_change="validate")[h.input(name="q", value="")]


class SignIn(LiveView):
    """Validates over the socket, then has the browser post the form to ``/session``."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(form=to_form(Login, as_="login"), go=False, token=session.get("_csrf_token"))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        form = to_form(params, as_="login", schema=Login)
        socket.assign(form=form, go=event == "save" and form.valid)

    def render(self, assigns: Assigns) -> h.Element:
        form: Form = assigns.form
        attrs = form_attrs(
            form,
            action="/session",
            trigger_action=assigns.go,
            phx_change="validate",
            phx_submit="save",
        )
        return h.form(attrs)[
            csrf_input(assigns.token),
            input_field(form["name"]),
            input_field(form["password"], type="password"),
            submit_button("Sign in", name="how", value="button"),
        ]


@csrf_protect
async def create_session(request: Request) -> Response:
    """The plain HTTP route the sign-in form posts to."""
    data = dict(parse_qsl((await request.body()).decode()))  # request.form() needs multipart
    return PlainTextResponse(f"signed in as {data.get('login[name]')} via {data.get('how')}")


def create_app() -> LiveApp:
    return LiveApp(
        [
            LiveRoute("/", Recovering),
            LiveRoute("/boxes", Boxes),
            LiveRoute("/nohandler", NoHandler),
            LiveRoute("/signin", SignIn),
            Route("/session", create_session, methods=["POST"]),
        ],
        secret_key="f" * 32,
        compress=False,
    )


app = create_app()
