"""pylive: LiveView for Python — server-rendered pages kept live over the Phoenix LiveView
protocol, driven by the official Phoenix LiveView JavaScript client."""

from pylive.app import LiveApp
from pylive.assigns import Assigns
from pylive.effects import AsyncResult
from pylive.html.compiler import Slot, component, render_slot
from pylive.html.keyed import keyed
from pylive.layout import Page, root_layout
from pylive.routing import LiveRoute, LiveSession
from pylive.socket import Socket
from pylive.view import LiveView

__all__ = [
    "Assigns",
    "AsyncResult",
    "LiveApp",
    "LiveRoute",
    "LiveSession",
    "LiveView",
    "Page",
    "Slot",
    "Socket",
    "component",
    "keyed",
    "render_slot",
    "root_layout",
]
