"""Signed, expiring, cookie-safe tokens (itsdangerous) and CSRF tokens.

Every token the client carries is opaque to it: it only sends them back, as it does with Phoenix
LiveView's own (signed in ``lib/phoenix_live_view/static.ex``). They are URL-safe base64 with ``.``
separators, so they are safe both inside HTML attributes and in the cookies the client
writes itself (``__phoenix_flash__``). Each kind has its own salt, so a token of one kind is
never accepted as another.
"""

from __future__ import annotations

import hmac
import secrets
import traceback
from typing import Any, Final, Literal

import itsdangerous
import orjson

__all__ = ["MAX_AGE", "TokenKind", "Tokens"]

TokenKind = Literal["session", "static", "flash", "csrf", "nested", "upload", "stash", "longpoll"]

MAX_AGE: Final[dict[TokenKind, int | None]] = {
    "session": 14 * 24 * 3600,  # the official server's 14 days
    "static": 14 * 24 * 3600,
    "flash": 60,  # flash rides a redirect; the client keeps its cookie 60 s
    "csrf": None,  # bound to the cookie secret, which lives as long as the browser session
    "nested": 14 * 24 * 3600,  # a nested or sticky LiveView's session (pylive.live_render)
    "upload": 24 * 3600,  # an upload entry's (pylive.uploads.channel); bound to view and entry
    "stash": 24 * 3600,  # a view's stashed assigns (pylive.stash); bound to view id and class
    "longpoll": 14 * 24 * 3600,  # a long-poll session's (pylive.longpoll_endpoint), as Phoenix
}


class _Json:
    """orjson in the shape itsdangerous expects of a serializer."""

    @staticmethod
    def dumps(obj: Any) -> str:  # str, so that itsdangerous returns str tokens
        return orjson.dumps(obj).decode()

    @staticmethod
    def loads(data: str | bytes) -> Any:
        return orjson.loads(data)


class Tokens:
    """Signs and verifies the tokens of one application (one secret key)."""

    def __init__(self, secret_key: str | bytes) -> None:
        self._serializers = {
            kind: itsdangerous.URLSafeTimedSerializer(
                secret_key, salt=f"pylive.{kind}", serializer=_Json
            )
            for kind in MAX_AGE
        }

    def sign(self, kind: TokenKind, data: Any) -> str:
        """A token carrying ``data`` (JSON-able), valid for ``MAX_AGE[kind]`` seconds."""
        return self._serializers[kind].dumps(data)

    def verify(self, kind: TokenKind, token: object) -> Any:
        """The data in a valid token of this kind, or None if it is forged, expired or absent."""
        if not isinstance(token, str) or not token:
            return None
        try:
            return self._serializers[kind].loads(token, max_age=MAX_AGE[kind])
        except (itsdangerous.BadData, orjson.JSONDecodeError) as error:
            # itsdangerous keeps its first error in a local of the frame that raises the second:
            # a reference cycle through the caller's frames (a LiveView's whole join, when a
            # root join is tried as a child) that only a full GC collection would free
            traceback.clear_frames(error.__traceback__)
            return None

    @staticmethod
    def new_csrf_secret() -> str:
        """A fresh per-browser secret, kept in an HttpOnly cookie."""
        return secrets.token_urlsafe(32)

    def csrf_token(self, secret: str) -> str:
        """The token pages expose (``<meta name="csrf-token">``) for the cookie's secret."""
        return self.sign("csrf", secret)

    def check_csrf(self, secret: str | None, token: object) -> bool:
        """Whether ``token`` was issued for the cookie's ``secret`` (constant-time compare)."""
        found = self.verify("csrf", token)
        return (
            secret is not None
            and isinstance(found, str)
            and hmac.compare_digest(found.encode(), secret.encode())
        )
