"""pylive: LiveView for Python — server-rendered pages kept live over the Phoenix LiveView
protocol, driven by the official Phoenix LiveView JavaScript client."""

from pylive.app import LiveApp
from pylive.assigns import Assigns
from pylive.effects import AsyncResult
from pylive.html.compiler import component
from pylive.html.keyed import keyed
from pylive.js import JS
from pylive.layout import Page, root_layout
from pylive.routing import LiveRoute, LiveSession
from pylive.socket import Socket
from pylive.view import LiveView

__all__ = [
    "JS",
    "Assigns",
    "AsyncResult",
    "LiveApp",
    "LiveRoute",
    "LiveSession",
    "LiveView",
    "Page",
    "Socket",
    "component",
    "keyed",
    "root_layout",
]
