"""The runtime tests' way onto a live page's socket, all on ``pylive.testing``: load the page
over HTTP, connect its socket as the browser does (cookies, CSRF token), then join by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from starlette.types import ASGIApp

from pylive.testing.client import LiveClient
from pylive.testing.page import LivePage
from pylive.testing.phoenix import PhoenixConnection


async def load_page(app: ASGIApp, path: str = "/") -> LivePage:
    """The live page at ``path``, dead-rendered for a fresh browser."""
    client = LiveClient(app)
    return client.page_of(await client.get(path))


@asynccontextmanager
async def open_page(
    app: ASGIApp, path: str = "/"
) -> AsyncIterator[tuple[PhoenixConnection, LivePage]]:
    """Dead-render ``path`` in a fresh browser and connect its socket (no view joined)."""
    client = LiveClient(app)
    page = client.page_of(await client.get(path))
    async with client.connect(page) as conn:
        yield conn, page


async def join(
    conn: PhoenixConnection,
    page: LivePage,
    payload: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> tuple[str, Any]:
    """Join ``page``'s main view with ``payload`` (default: the official client's, see
    ``LivePage.join_payload``) with ``overrides`` on top; the reply must be the next frame:
    ``(status, response)``."""
    body = {**(page.join_payload() if payload is None else payload), **overrides}
    return await conn.expect_reply(await conn.join(page.topic, body))
