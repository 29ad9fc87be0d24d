"""pylive: LiveView for Python — server-rendered pages kept live over the Phoenix LiveView
protocol, driven by the official Phoenix LiveView JavaScript client."""

from pylive.app import LiveApp
from pylive.html.compiler import component
from pylive.html.keyed import keyed
from pylive.layout import Page, root_layout
from pylive.routing import live, live_session
from pylive.view import Assigns, AsyncResult, LiveView, Socket

__all__ = [
    "Assigns",
    "AsyncResult",
    "LiveApp",
    "LiveView",
    "Page",
    "Socket",
    "component",
    "keyed",
    "live",
    "live_session",
    "root_layout",
]
