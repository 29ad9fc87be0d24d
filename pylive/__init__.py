"""pylive: LiveView for Python — server-rendered pages kept live over the Phoenix LiveView
protocol, driven by the official Phoenix LiveView JavaScript client."""

from typing import TYPE_CHECKING, Any

from pylive.app import LiveApp
from pylive.assigns import Assigns
from pylive.broadcast_view import BroadcastView, BroadcastViewError
from pylive.csrf import csrf_protect
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
from pylive.stash import ClientStash, RedisStash
from pylive.streams import Stream, StreamError
from pylive.uploads import (
    UploadConfig,
    UploadEntry,
    live_file_input,
    live_img_preview,
    upload_errors,
)
from pylive.view import LiveView

if TYPE_CHECKING:
    from pylive.forms import Form, FormField, inputs_for, to_form, used_input
    from pylive.html.form_fields import csrf_input, form_attrs, input_field, submit_button

_LAZY = {
    **dict.fromkeys(("Form", "FormField", "inputs_for", "to_form", "used_input"), "pylive.forms"),
    **dict.fromkeys(
        ("csrf_input", "form_attrs", "input_field", "submit_button"), "pylive.html.form_fields"
    ),
}
"""Names imported on first use: the forms import pydantic, which an app without forms need not
load at startup."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pylive' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CONT",
    "HALT",
    "JS",
    "NOT_MOUNTED_AT_ROUTER",
    "Assigns",
    "AsyncResult",
    "BroadcastView",
    "BroadcastViewError",
    "ClientStash",
    "ComponentSocket",
    "Form",
    "FormField",
    "Halt",
    "LiveApp",
    "LiveComponent",
    "LiveRoute",
    "LiveSession",
    "LiveView",
    "Page",
    "PresenceDiff",
    "PubSub",
    "RedisStash",
    "Slot",
    "Socket",
    "Stream",
    "StreamError",
    "UploadConfig",
    "UploadEntry",
    "broadcast",
    "broadcast_from",
    "component",
    "csrf_input",
    "csrf_protect",
    "flash_group",
    "form_attrs",
    "input_field",
    "inputs_for",
    "keyed",
    "link",
    "live_component",
    "live_file_input",
    "live_img_preview",
    "live_render",
    "presence",
    "render_slot",
    "root_layout",
    "submit_button",
    "to_form",
    "upload_errors",
    "used_input",
]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
