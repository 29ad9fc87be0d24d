"""The list of demos: path, LiveView, and a one-line description. The index page and the
router are both built from it, so adding a demo is one module plus one line here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gallery.chat import Chat
from gallery.clock import Clock
from gallery.counter import Counter
from gallery.crash import Crash
from gallery.dashboard import Dashboard, SharedDashboard
from gallery.form import SignUpForm
from gallery.function_components import FunctionComponents
from gallery.hooks import Hooks
from gallery.js_commands import JsCommands
from gallery.live_action import Items
from gallery.live_layout import EventCounter
from gallery.navigation import Other, Tabs
from gallery.nested import HOME, OTHER, Nested, NestedOther
from gallery.shared import SharedCounter
from gallery.stash import Stashed
from gallery.table import Table
from gallery.team import Team
from gallery.telemetry import TelemetryDashboard
from gallery.todo import TodoList
from gallery.upload import Upload
from pylive import LiveView


@dataclass(frozen=True, slots=True)
class Demo:
    """One entry of the gallery index."""

    path: str
    view: type[LiveView]
    title: str
    summary: str
    listed: bool = True
    """False for pages reached from another demo rather than from the index."""
    action: str | None = None
    """The route's ``live_action`` (``LiveRoute(action=...)``)."""
    route: str | None = None
    """The route's path pattern when ``path`` is one example of it (``/items/{id:int}``)."""
    container: tuple[str, dict[str, Any]] = ("div", {})
    """The tag and attributes of the LiveView's container (``LiveRoute(container=...)``)."""


DEMOS = (
    Demo("/demos/counter", Counter, "Counter", "Events and assigns: the smallest LiveView."),
    Demo(
        "/demos/navigation",
        Tabs,
        "Navigation",
        "Live patch, live navigation, the back button, flash messages, page titles.",
    ),
    Demo("/demos/navigation/other", Other, "Other page", "Live navigation target.", False),
    Demo(
        "/demos/items",
        Items,
        "Items",
        "Route actions: one LiveView, an index and an edit route, patch links between them.",
        action="index",
        container=("div", {"class": "items-view"}),
    ),
    Demo(
        "/demos/items/2/edit",
        Items,
        "Edit item",
        "The edit action of the items demo.",
        False,
        action="edit",
        route="/demos/items/{id:int}/edit",
        container=("div", {"class": "items-view"}),
    ),
    Demo("/demos/form", SignUpForm, "Sign-up form", "pydantic validation, nested rows, recovery."),
    Demo("/demos/table", Table, "Table", "1,000 rows (?rows=N); a click changes one cell."),
    Demo("/demos/shared", SharedCounter, "Shared counter", "One count for every open tab."),
    Demo("/demos/chat", Chat, "Chat", "Pub/sub and presence: messages, who is online, typing."),
    Demo("/demos/dashboard", Dashboard, "Dashboard", "Live metrics from a timer and broadcasts."),
    Demo(
        "/demos/dashboard/shared",
        SharedDashboard,
        "Shared dashboard",
        "The dashboard as a broadcast view: one render per update for every viewer.",
    ),
    Demo("/demos/clock", Clock, "Clock", "Server push with send_interval and handle_info."),
    Demo("/demos/hooks", Hooks, "Hooks", "Client hooks, pushEvent and push_event."),
    Demo(
        "/demos/components",
        Team,
        "LiveComponents",
        "Cards with their own state and events; send_update; messages to the parent view.",
    ),
    Demo("/demos/js", JsCommands, "JS commands", "Show, hide, classes, focus: pylive.JS."),
    Demo(
        "/demos/function-components",
        FunctionComponents,
        "Function components",
        "Declared attributes, children and column slots: a live score table.",
    ),
    Demo(
        "/demos/live-layout",
        EventCounter,
        "Live layout",
        "A live layout reading the view's assigns, fed by an attach_hook that counts events.",
    ),
    Demo("/demos/crash", Crash, "Crash and recover", "A handler raises; the view rejoins."),
    Demo(HOME, Nested, "Nested LiveViews", "live_render: a child LiveView, a sticky one."),
    Demo(OTHER, NestedOther, "Sticky basket", "A sticky LiveView across navigation.", False),
    Demo(
        "/demos/todo", TodoList, "Todos", "Streams: add, edit, complete, delete, reorder, filter."
    ),
    Demo("/demos/upload", Upload, "Upload", "Files over the socket: progress, previews, limits."),
    Demo(
        "/demos/stash",
        Stashed,
        "Stashed state",
        "Assigns that survive a crash, a reconnect and a server restart.",
    ),
    Demo(
        "/demos/telemetry",
        TelemetryDashboard,
        "Live telemetry",
        "pylive.telemetry's dashboard: connections, events/s, render times, memory.",
    ),
)
