"""pylive: LiveView for Python — server-rendered pages kept live over the Phoenix LiveView
protocol, driven by the official Phoenix LiveView JavaScript client."""

from pylive.app import LiveApp
from pylive.assigns import Assigns
from pylive.effects import AsyncResult
from pylive.html.compiler import component
from pylive.html.flash import flash_group
from pylive.html.keyed import keyed
from pylive.html.links import link
from pylive.layout import Page, root_layout
from pylive.lifecycle_hooks import CONT, HALT, Halt
from pylive.routing import LiveRoute, LiveSession
from pylive.socket import Socket
from pylive.view import LiveView

__all__ = [
    "CONT",
    "HALT",
    "Assigns",
    "AsyncResult",
    "Halt",
    "LiveApp",
    "LiveRoute",
    "LiveSession",
    "LiveView",
    "Page",
    "Socket",
    "component",
    "flash_group",
    "keyed",
    "link",
    "root_layout",
]
