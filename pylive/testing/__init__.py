"""Test LiveViews in-process, the way the official client talks to them.

``live(app, path)`` loads a page over HTTP, connects the Phoenix socket and joins the view;
the returned ``View`` clicks, types, submits, patches and follows redirects exactly as
``phoenix_live_view`` 1.2.12 would, and checks every diff it receives against the server's own
render. See ``docs/testing.md``.
"""

from pylive.testing.client import LiveClient, live
from pylive.testing.client_tree import ClientError, ClientTree
from pylive.testing.dom import Element, SelectorError
from pylive.testing.errors import (
    DiffMismatch,
    JoinError,
    NotALiveView,
    Redirect,
    Redirected,
    ViewClosed,
    ViewCrashed,
)
from pylive.testing.forms import FormError
from pylive.testing.uploads import UploadFile
from pylive.testing.view import PushedEvent, View

__all__ = [
    "ClientError",
    "ClientTree",
    "DiffMismatch",
    "Element",
    "FormError",
    "JoinError",
    "LiveClient",
    "NotALiveView",
    "PushedEvent",
    "Redirect",
    "Redirected",
    "SelectorError",
    "UploadFile",
    "View",
    "ViewClosed",
    "ViewCrashed",
    "live",
]
