"""pylive: LiveView for Python — server-rendered pages kept live over the Phoenix LiveView
protocol, driven by the official Phoenix LiveView JavaScript client."""

from pylive.app import LiveApp
from pylive.assigns import Assigns
from pylive.effects import AsyncResult
from pylive.html.compiler import Slot, component, render_slot
from pylive.html.flash import flash_group
from pylive.html.keyed import keyed
from pylive.html.links import link
from pylive.js import JS
from pylive.layout import Page, root_layout
from pylive.lifecycle_hooks import CONT, HALT, Halt
from pylive.live_component import ComponentSocket, LiveComponent, live_component
from pylive.live_render import NOT_MOUNTED_AT_ROUTER, live_render
from pylive.pubsub import PresenceDiff, PubSub, broadcast, broadcast_from, presence
from pylive.routing import LiveRoute, LiveSession
from pylive.socket import Socket
from pylive.view import LiveView

__all__ = [
    "CONT",
    "HALT",
    "JS",
    "NOT_MOUNTED_AT_ROUTER",
    "Assigns",
    "AsyncResult",
    "ComponentSocket",
    "Halt",
    "LiveApp",
    "LiveComponent",
    "LiveRoute",
    "LiveSession",
    "LiveView",
    "Page",
    "PresenceDiff",
    "PubSub",
    "Slot",
    "Socket",
    "broadcast",
    "broadcast_from",
    "component",
    "flash_group",
    "keyed",
    "link",
    "live_component",
    "live_render",
    "presence",
    "render_slot",
    "root_layout",
]
