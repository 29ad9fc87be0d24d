"""Gallery pages of alerts, toasts, progress bars and loading states."""

from __future__ import annotations

import asyncio
from typing import Any

from htpy import Node, div, li, ul

from gallery.components.page import ComponentPage
from pylive import Assigns, Socket
from pylive.ui import (
    alert,
    async_result,
    button,
    progress_bar,
    skeleton,
    spinner,
    toast_group,
)


def example_alerts(assigns: Assigns) -> Node:
    """Tones

    Messages already on the page; ``live=True`` makes one ``role="alert"``, for messages
    that appear while the page is in use."""
    return div(".stack")[
        alert(title="Heads up")["The import runs every night at two."],
        alert(tone="success")["Your changes were saved."],
        alert(tone="warning", title="Almost full")["You use 92% of your storage."],
        alert(tone="danger")["The payment was declined."],
    ]


class AlertPage(ComponentPage):
    name = "alert"
    title = "Alert"
    summary = "A message box in four tones, with an icon and an optional title."
    examples = (example_alerts,)
    components = (alert,)


def example_toasts(assigns: Assigns) -> Node:
    """Flash messages as toasts

    Each button puts a flash message; the page shows its flash with ``toast_group`` (top
    right). Click a toast to dismiss it."""
    return div(".row")[
        button(id="toast-info", phx_click="toast", phx_value_kind="info")["Show info"],
        button(id="toast-error", variant="danger", phx_click="toast", phx_value_kind="error")[
            "Show error"
        ],
    ]


class ToastPage(ComponentPage):
    name = "toast"
    title = "Toast"
    summary = "The view's flash messages (flash_group), floating in a corner."
    examples = (example_toasts,)
    components = (toast_group,)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "toast":
            kind = "error" if params.get("kind") == "error" else "info"
            text = "Something went wrong." if kind == "error" else "Saved a moment ago."
            socket.put_flash(kind, text)


def example_progress(assigns: Assigns) -> Node:
    """Progress

    Each click adds 10%; the bar's ``aria-valuenow`` follows."""
    return div(".stack")[
        progress_bar(
            id="upload-progress",
            value=assigns.done,
            label="Uploading photos",
            tone="success" if assigns.done >= 100 else "info",
        ),
        div(".row")[
            button(id="step", phx_click="step")["+10%"],
            button(id="restart", variant="ghost", phx_click="restart")["Restart"],
        ],
    ]


class ProgressPage(ComponentPage):
    name = "progress"
    title = "Progress bar"
    summary = "How far a task has got."
    examples = (example_progress,)
    components = (progress_bar,)

    async def setup(self, socket: Socket) -> None:
        socket.assign(done=30)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "step":
            socket.assign(done=min(100, socket.assigns.done + 10))
        elif event == "restart":
            socket.assign(done=0)


def example_spinners(assigns: Assigns) -> Node:
    """Spinners

    Each announces "Loading…" to screen readers (``role="status"``)."""
    return div(".row")[spinner(size="sm"), spinner(), spinner(size="lg")]


def example_skeletons(assigns: Assigns) -> Node:
    """Skeletons

    Placeholders shaped like the content to come."""
    return div(".row.skeleton-row")[skeleton(shape="circle"), skeleton(lines=3, class_="grow")]


def example_async(assigns: Assigns) -> Node:
    """An async assign

    ``assign_async`` loads the team in the background (two seconds); ``async_result`` shows a
    skeleton meanwhile, then the result. "Reload" keeps the old list on screen while loading."""
    return div(".stack")[
        async_result(id="team", assign=assigns.team)[lambda team: ul[[li[name] for name in team]]],
        div(".row")[button(id="reload", phx_click="reload")["Reload"]],
    ]


class LoadingPage(ComponentPage):
    name = "loading"
    title = "Loading states"
    summary = "Spinner, skeleton and async_result for assigns filled in the background."
    examples = (example_spinners, example_skeletons, example_async)
    components = (spinner, skeleton, async_result)

    async def setup(self, socket: Socket) -> None:
        socket.assign(loads=0)
        self.load(socket)

    def load(self, socket: Socket) -> None:
        loads = socket.assigns.loads + 1
        socket.assign(loads=loads)

        async def team() -> dict[str, Any]:
            await asyncio.sleep(2)
            return {"team": ["Ada", "Grace", "Alan", f"(loaded {loads} times)"]}

        socket.assign_async("team", team)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "reload":
            self.load(socket)
