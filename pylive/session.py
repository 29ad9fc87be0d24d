"""The LiveView session tokens: what the HTTP render signs into the page, and the join's check.

The container of a live page carries two signed tokens (Phoenix's ``data-phx-session`` and
``data-phx-static``): the session names the view's id, its LiveView and its live session; the
static token the id and the flash of the HTTP render. A join must hand both back unaltered, for
its own topic; anything else is answered ``stale`` and the client reloads the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pylive.tokens import Tokens

__all__ = [
    "CSRF_COOKIE",
    "FLASH_COOKIE",
    "JoinClaims",
    "sign_session",
    "sign_static",
    "verify_join",
]

CSRF_COOKIE = "_pylive_csrf"
"""HttpOnly cookie with the per-browser CSRF secret; the socket's ``_csrf_token`` must match."""
FLASH_COOKIE = "__phoenix_flash__"
"""Cookie the official client writes with the flash token of a full-page redirect."""


@dataclass(frozen=True, slots=True)
class JoinClaims:
    """What a valid join proves: the view's id, LiveView key, live session and first flash."""

    view_id: str
    view: str
    live_session: str
    static_flash: dict[str, Any]


def sign_session(tokens: Tokens, view_id: str, view: str, live_session: str) -> str:
    """The ``data-phx-session`` token of a page's container."""
    return tokens.sign("session", {"id": view_id, "view": view, "live_session": live_session})


def sign_static(tokens: Tokens, view_id: str, flash: dict[str, Any]) -> str:
    """The ``data-phx-static`` token of a page's container."""
    return tokens.sign("static", {"id": view_id, "flash": flash})


def verify_join(tokens: Tokens, topic: str, payload: object) -> JoinClaims | None:
    """The claims of a join's tokens, or None when they are missing, forged, expired or for
    another topic."""
    if not isinstance(payload, dict):
        return None
    claims = tokens.verify("session", payload.get("session"))
    if not isinstance(claims, dict) or topic != f"lv:{claims.get('id')}":
        return None
    static = payload.get("static")
    static_claims = tokens.verify("static", static) if static is not None else {}
    if not isinstance(static_claims, dict) or static_claims.get("id", claims["id"]) != claims["id"]:
        return None
    view, live_session = claims.get("view"), claims.get("live_session")
    if not isinstance(view, str) or not isinstance(live_session, str):
        return None
    flash = static_claims.get("flash")
    return JoinClaims(claims["id"], view, live_session, flash if isinstance(flash, dict) else {})
