"""``LiveClient``: a browser session against an ASGI app — cookies, HTTP, live pages.

One client is one browser: its cookie jar carries the session, the CSRF cookie and the flash
cookie from request to request, and ``live(path)`` opens a page as a ``View``. The module-level
``live(app, path)`` is the shortcut for a fresh client.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any
from urllib.parse import urljoin, urlsplit

import anyio
from starlette.types import ASGIApp

from pylive.testing import phoenix
from pylive.testing.asgi import HOST, CookieJar, HttpResponse, http_request
from pylive.testing.channel import FLASH_COOKIE, decode_flash
from pylive.testing.errors import NotALiveView, Redirect, Redirected
from pylive.testing.forms import flatten, urlencode
from pylive.testing.page import LivePage, parse_page
from pylive.testing.phoenix import PhoenixConnection
from pylive.testing.view import View

__all__ = ["DEFAULT_TIMEOUT", "LiveClient", "live"]

DEFAULT_TIMEOUT = 5.0
_MAX_REDIRECTS = 10


class LiveClient:
    """A browser session on ``app`` (any ASGI app serving pylive pages, also mounted under a
    prefix). ``timeout`` bounds every wait for the server; ``check_diffs`` checks every diff
    against the server's own render (on by default)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        cookies: Mapping[str, str] | None = None,
        headers: Sequence[tuple[str, str]] = (),
        timeout: float = DEFAULT_TIMEOUT,
        check_diffs: bool = True,
    ) -> None:
        self.app = app
        self.cookies = CookieJar(cookies)
        """The browser's cookies (read and set them to log in, inspect the session...)."""
        self.headers = list(headers)
        self.timeout = timeout
        self.check_diffs = check_diffs

    async def request(
        self,
        method: str,
        path: str,
        *,
        data: Mapping[str, Any] | None = None,
        headers: Sequence[tuple[str, str]] = (),
        follow_redirects: bool = False,
    ) -> HttpResponse:
        """An HTTP request with this browser's cookies; ``data`` is sent as a form."""
        body = b""
        extra = list(headers)
        if data is not None:
            body = urlencode(flatten(data)).encode()
            extra.append(("content-type", "application/x-www-form-urlencoded"))
        target = path
        for _ in range(_MAX_REDIRECTS):
            request_headers = [*self.headers, *extra]
            cookie = self.cookies.header()
            if cookie:
                request_headers.append(("cookie", cookie))
            response = await http_request(
                self.app, method, target, headers=request_headers, body=body, timeout=self.timeout
            )
            self.cookies.update(response.header_list("set-cookie"))
            if not (follow_redirects and response.is_redirect):
                return response
            location = urljoin(response.url, response.header("location") or "/")
            parts = urlsplit(location)
            if parts.netloc not in ("", HOST):
                return response
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            method, body, extra = "GET", b"", list(headers)
        raise AssertionError(f"more than {_MAX_REDIRECTS} redirects from {path}")

    async def get(self, path: str, *, follow_redirects: bool = False) -> HttpResponse:
        """GET ``path``."""
        return await self.request("GET", path, follow_redirects=follow_redirects)

    async def post(
        self, path: str, data: Mapping[str, Any] | None = None, *, follow_redirects: bool = False
    ) -> HttpResponse:
        """POST ``data`` as a form to ``path``."""
        return await self.request("POST", path, data=data, follow_redirects=follow_redirects)

    def page_of(self, response: HttpResponse) -> LivePage:
        """The live page of a response; ``Redirected`` for a redirect, ``NotALiveView``
        for anything else that is not a live page."""
        if response.is_redirect:
            flash = self.cookies.get(FLASH_COOKIE)
            raise Redirected(
                Redirect(
                    "redirect",
                    response.header("location") or "",
                    flash=decode_flash(flash),
                    flash_token=flash,
                )
            )
        page = parse_page(response.text, response.url) if response.status == 200 else None
        if page is None:
            raise NotALiveView(
                f"{response.url} is not a LiveView page (HTTP {response.status}):\n"
                f"{response.text[:2000]}"
            )
        return page

    def connect(
        self, page: LivePage, *, timeout: float | None = None
    ) -> AbstractAsyncContextManager[PhoenixConnection]:
        """Open ``page``'s socket as the browser does — this browser's cookies, the page's CSRF
        token as ``_csrf_token`` — without joining any view: the ``PhoenixConnection`` for
        protocol-level tests (``live`` joins and drives the view for you)."""
        return phoenix.connect(
            self.app,
            page.socket_path,
            params={"_csrf_token": page.csrf_token or ""},
            cookies=self.cookies.header(),
            timeout=self.timeout if timeout is None else timeout,
        )

    @asynccontextmanager
    async def live(self, path: str = "/", *, follow_redirects: bool = False) -> AsyncIterator[View]:
        """Open ``path`` as a live page: GET it, connect the socket, join the main view.

        Raises ``Redirected`` if the page redirects (unless ``follow_redirects``),
        ``JoinError`` if the join is refused. On exit the view leaves and the socket closes;
        a failure found in the background and not raised yet is raised then.
        """
        response = await self.get(path, follow_redirects=follow_redirects)
        page = self.page_of(response)
        # Errors of the test body (and of the join) are re-raised after the task group, so
        # they reach the test as themselves, not wrapped in an ExceptionGroup.
        error: Exception | None = None
        async with anyio.create_task_group() as tg:
            view = View(self, tg, timeout=self.timeout, check_diffs=self.check_diffs)
            try:
                await view._open(page)
                yield view
            except Exception as exc:
                error = exc
            finally:
                unseen = await view._close()
                tg.cancel_scope.cancel()
        if error is not None:
            raise error
        if unseen is not None:
            raise unseen


@asynccontextmanager
async def live(
    app: ASGIApp,
    path: str = "/",
    *,
    cookies: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    check_diffs: bool = True,
    follow_redirects: bool = False,
) -> AsyncIterator[View]:
    """Open ``path`` of ``app`` in a fresh browser session and yield its ``View``::

    async with live(app, "/counter") as view:
        await view.click("button#inc")
        assert "Count: 1" in view.html()
    """
    client = LiveClient(app, cookies=cookies, timeout=timeout, check_diffs=check_diffs)
    async with client.live(path, follow_redirects=follow_redirects) as view:
        yield view
