"""``LiveApp``: the Starlette application serving live routes, the live socket and assets.

For every live route an HTTP GET renders the page (``pylive.static``); the client then joins over
``<prefix>/live/websocket`` (or ``<prefix>/live/longpoll``, ``pylive.longpoll_endpoint``),
where each connection gets a ``PhoenixSocket`` whose ``lv:`` channels are LiveViews
(``pylive.channel``), and the page stays live. The client bundle is served from
``pylive/client/`` at ``<prefix>/live/assets/``. Everything the app's requests share is in its
``Runtime`` (``pylive.runtime``).

The app works top-level or mounted under a prefix (Starlette ``Mount``, FastAPI ``mount``): it
builds every URL from ``root_path`` and needs no lifespan (a mounted app never gets one), so
nothing is initialised there; ``close_sockets`` is what a host calls on shutdown.
"""

from __future__ import annotations

import logging
import os
import secrets
import weakref
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any, Final

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from pylive.address_rate_limit import AddressRateLimit
from pylive.assets import ClientAssets
from pylive.browser_headers import secure_headers
from pylive.channel import LiveViewChannel
from pylive.compression import Compression, CompressionMiddleware
from pylive.connection import ConnectInfo, Connection
from pylive.connection_limits import client_address
from pylive.csp import DEFAULT_POLICY, one_line
from pylive.layout import Page, root_layout
from pylive.longpoll_endpoint import LongPollEndpoint
from pylive.phoenix_socket import GOING_AWAY, ChannelFactory, PhoenixSocket
from pylive.pubsub import PubSub
from pylive.rate_limit import RateLimit
from pylive.routing import LiveRoute, LiveSession, Router
from pylive.runtime import Runtime, SessionGetter, Settings
from pylive.session import CSRF_COOKIE
from pylive.stash import ClientStash, StashStore
from pylive.static import render_page
from pylive.telemetry_events import Telemetry
from pylive.tokens import Tokens
from pylive.transport.base import Transport
from pylive.transport.longpoll import LongPoll
from pylive.transport.origin import OriginCheck
from pylive.transport.websocket import accept, refuse
from pylive.ui.files import UI_DIR
from pylive.upload_channel import UploadChannel

__all__ = ["LiveApp", "close_live_sockets", "starlette_session"]

logger = logging.getLogger(__name__)

_APPS: weakref.WeakSet[LiveApp] = weakref.WeakSet()
"""Every LiveApp of the process, so that a server can close all live sockets on shutdown even
when the LiveApp is mounted deep inside another framework's app."""

Layout = Callable[[Page], Any]


def starlette_session(conn: HTTPConnection) -> Mapping[str, Any]:
    """The default ``session`` for ``mount``: Starlette's ``SessionMiddleware`` session, if any."""
    return conn.session if "session" in conn.scope else {}


class LiveApp(Starlette):
    """An ASGI app serving LiveViews. ``routes`` mixes ``LiveRoute(...)``, ``LiveSession(...)`` and
    ordinary Starlette routes.

    ``secret_key`` signs every token (default: ``$PYLIVE_SECRET_KEY``, else a random key per
    process, which breaks with several workers). ``layout`` renders the HTML document around
    each page. ``session`` picks the per-user data handed to ``mount`` from a request or
    WebSocket (read again at connect time, like Phoenix). ``allowed_origins`` lists origins
    allowed to open the live socket, as Phoenix's ``check_origin`` (``"https://a.example"``,
    ``"//a.example"`` for any scheme and port, ``"//*.a.example"`` with subdomains, ``["*"]``
    for any; default: the request's own host and port). ``compress``
    (default on) sends every HTTP response of the app of at least 500 bytes, the user's own
    routes included, brotli- or gzip-compressed when the request accepts it; a
    ``Compression(minimum_size=..., gzip_level=..., brotli_quality=...)`` tunes it, False turns
    it off (when a proxy in front compresses). The live socket is never compressed by it.
    ``pubsub`` picks the pub/sub backend by URL (default: ``$PYLIVE_PUBSUB``, else
    ``"memory://"``; e.g. ``"redis://localhost:6379/0"`` to share topics and presence between
    processes); the hub is ``app.pubsub`` (docs/pubsub.md). ``stash`` is where views keep
    the assigns they list in ``LiveView.stash`` across reconnects and deploys: ``ClientStash()``
    (default: a signed token in the browser) or ``RedisStash(url)`` (docs/stash.md).
    ``longpoll`` (default on) serves the long-poll fallback at ``<socket_path>/longpoll`` and
    has the client switch to it when the WebSocket does not open within 2.5 s; a
    ``LongPoll(fallback_ms=..., window=..., timeout=...)`` tunes it, False turns both off
    (docs/deployment.md).
    ``websocket_compression`` (default off, as in Phoenix) accepts the permessage-deflate
    extension browsers offer on the live socket: smaller frames for large diffs, for over
    100 KiB of zlib state per connection; it applies under ``pylive serve``
    (docs/performance.md). ``rate_limit`` (default on) bounds the events each live socket may
    send: 100 a second, bursts of 200; over it an event gets the error reply ``rate limited``.
    A ``RateLimit(per_second=..., burst=...)`` (``pylive.rate_limit``) tunes it, False turns
    it off.
    ``max_connections`` (default None: no limit) caps the live sockets this app serves at once
    in this process, WebSocket and long-poll together; ``max_connections_per_address``
    (default None) those from one client address (the ASGI ``client``: behind a proxy, have
    the server trust its ``X-Forwarded-For``). A socket over either is refused with HTTP 503
    and the client retries with backoff; open sockets are never closed for it
    (``pylive.connection_limits``, docs/security.md). ``content_security_policy`` is the
    ``Content-Security-Policy`` header of the app's live pages, ``{nonce}`` standing for a
    fresh nonce per page (``Page.nonce``, on every script pylive writes); default
    ``pylive.csp.DEFAULT_POLICY`` (Phoenix's: ``base-uri`` and ``frame-ancestors`` 'self'),
    ``pylive.csp.STRICT_POLICY`` for a strict one, None for no header.
    ``secure_browser_headers`` (default True) sends Phoenix's other secure browser headers
    on those pages (``pylive.browser_headers.SECURE_BROWSER_HEADERS``: ``referrer-policy``,
    ``x-content-type-options``, ``x-permitted-cross-domain-policies``); a mapping is merged
    over them (a value None removes one), False sends none.
    ``address_rate_limit`` (default None: no limit) bounds how fast one client address may
    load live pages (HTTP 429 with ``retry-after`` over it) and open live sockets (refused
    like sockets over the connection limits, with 429): an ``AddressRateLimit(page_loads=
    "60/minute", sockets="30/minute")`` (``pylive.address_rate_limit``, docs/security.md).
    """

    def __init__(
        self,
        routes: Sequence[LiveRoute | LiveSession | BaseRoute] = (),
        *,
        secret_key: str | bytes | None = None,
        layout: Layout = root_layout,
        session: SessionGetter = starlette_session,
        allowed_origins: Sequence[str] | None = None,
        socket_path: str = "/live",
        heartbeat_timeout: float | None = 60.0,
        debug: bool = False,
        compress: bool | Compression = True,
        pubsub: str | None = None,
        stash: StashStore | None = None,
        longpoll: bool | LongPoll = True,
        websocket_compression: bool = False,
        rate_limit: bool | RateLimit = True,
        max_connections: int | None = None,
        max_connections_per_address: int | None = None,
        content_security_policy: str | None = DEFAULT_POLICY,
        secure_browser_headers: bool | Mapping[str, str | None] = True,
        address_rate_limit: AddressRateLimit | None = None,
        middleware: Sequence[Middleware] | None = None,
        lifespan: Callable[[Any], AbstractAsyncContextManager[Any]] | None = None,
    ) -> None:
        live_entries = [r for r in routes if isinstance(r, LiveRoute | LiveSession)]
        other_routes = [r for r in routes if isinstance(r, BaseRoute)]
        settings = Settings(
            layout=layout,
            session=session,
            origins=OriginCheck(allowed_origins),
            socket_path=socket_path.rstrip("/"),
            heartbeat_timeout=heartbeat_timeout,
            pubsub=pubsub or os.environ.get("PYLIVE_PUBSUB") or "memory://",
            stash=stash or ClientStash(),
            longpoll=LongPoll() if longpoll is True else longpoll or None,
            websocket_compression=websocket_compression,
            rate_limit=RateLimit() if rate_limit is True else rate_limit or None,
            max_connections=max_connections,
            max_connections_per_address=max_connections_per_address,
            content_security_policy=one_line(content_security_policy),
            secure_browser_headers=secure_headers(secure_browser_headers),
            address_rate_limit=address_rate_limit,
        )
        self.runtime = Runtime(
            Router(live_entries), Tokens(secret_key or _default_secret()), settings
        )
        """Everything this app's requests and connections share."""
        self.pubsub: PubSub = self.runtime.pubsub
        """Topics and presence (``pylive.pubsub``): ``await app.pubsub.broadcast(topic, msg)``."""
        self.telemetry: Telemetry = self.runtime.telemetry
        """Measurement events (``pylive.telemetry``): ``app.telemetry.attach(Metrics())``."""
        own_routes: list[BaseRoute] = [
            Route(route.path, partial(render_page, self.runtime, route, session_), name=route.name)
            for route, session_ in self.runtime.router.routes()
        ]
        own_routes += [
            WebSocketRoute(f"{settings.socket_path}/websocket", _LiveSocketEndpoint(self)),
            *self._longpoll_routes(),
            Mount(f"{settings.socket_path}/assets/ui", app=ClientAssets(UI_DIR), name="pylive-ui"),
            Mount(f"{settings.socket_path}/assets", app=ClientAssets(), name="pylive-assets"),
        ]
        own_middleware = _compression(compress)
        self._own_middleware = len(own_middleware)
        super().__init__(
            debug=debug,
            routes=[*own_routes, *other_routes],
            middleware=[*own_middleware, *(middleware or ())],
            lifespan=partial(self._lifespan, lifespan),
        )
        self._socket_route = f"{settings.socket_path}/websocket"
        _APPS.add(self)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _is_live_socket(scope, self._socket_route) and self._no_user_middleware():
            # no middleware of the user's would see it: skip Starlette's stack, whose
            # frames would stay alive (about 2.5 KiB) for as long as the connection
            scope["app"] = self
            socket = await self._live_socket(scope, receive, send)
            if socket is not None:  # served from this frame: one coroutine less per connection
                await self.runtime.serve(socket, admitted=True, address=client_address(scope))
            return
        # what pylive.broadcast() and the telemetry dashboard use in routes and views
        with self.pubsub.as_current(), self.telemetry.as_current():
            await super().__call__(scope, receive, send)

    def _no_user_middleware(self) -> bool:
        """Whether the only middleware is the app's compression (which skips WebSockets)."""
        return len(self.user_middleware) == self._own_middleware

    # ------------------------------------------------------------------ shutdown

    async def close_sockets(self, code: int = GOING_AWAY, timeout: float = 5.0) -> None:
        """Close every live socket (1001: clients reconnect, to another server if need be),
        wait up to ``timeout`` seconds for them to finish, then stop the app's own tasks."""
        await self.runtime.close(code, timeout)

    @asynccontextmanager
    async def _lifespan(
        self, inner: Callable[[Any], AbstractAsyncContextManager[Any]] | None, app: Any
    ) -> AsyncIterator[Any]:
        try:
            if inner is None:
                yield None
            else:
                async with inner(app) as state:
                    yield state
        finally:
            await self.close_sockets()

    # ------------------------------------------------------------------ live socket

    async def _live_socket(
        self, scope: Scope, receive: Receive, send: Send
    ) -> PhoenixSocket | None:
        """The socket of an accepted WebSocket, holding a connection slot that
        ``runtime.serve(socket, admitted=True, ...)`` gives back; None if it was refused."""
        runtime = self.runtime
        settings = runtime.settings
        address = client_address(scope)
        refusal = runtime.admit_socket(address)
        if refusal is not None:
            await refuse(scope, receive, send, refusal)
            return None
        try:
            transport = await accept(
                scope,
                receive,
                send,
                settings.origins,
                settings.websocket_compression,
                runtime.telemetry,
            )
            if transport is not None:
                # its views run in the context the socket is made in: what pylive.broadcast()
                # and the telemetry dashboard use (nothing of it stays alive with the connection)
                with self.pubsub.as_current(), self.telemetry.as_current():
                    return self._socket(WebSocket(scope, receive, send), transport)
        except BaseException:
            runtime.limits.release(address)
            raise
        runtime.limits.release(address)
        return None

    def _longpoll_routes(self) -> list[BaseRoute]:
        settings = self.runtime.settings
        if settings.longpoll is None:
            return []
        endpoint = LongPollEndpoint(self.runtime, settings.longpoll, self._socket)
        return [Route(f"{settings.socket_path}/longpoll", endpoint, methods=["GET", "POST"])]

    def _socket(self, conn: HTTPConnection, transport: Transport) -> PhoenixSocket:
        """The Phoenix socket of a new connection (``conn``: its WebSocket, or the long-poll
        request that opened it): CSRF check, ``session``, channels."""
        info = self._connect_info(conn)
        return PhoenixSocket(
            Connection(self.runtime, info, transport),
            _CHANNELS,
            rate_limit=self.runtime.settings.rate_limit,
            telemetry=self.runtime.telemetry,
            linger=self.runtime.linger,
        )

    def _connect_info(self, conn: HTTPConnection) -> ConnectInfo:
        """The session for ``mount`` (``conn`` is what ``session`` functions are given)."""
        settings = self.runtime.settings
        address = client_address(conn.scope)
        csrf_ok = self.runtime.tokens.check_csrf(
            conn.cookies.get(CSRF_COOKIE), conn.query_params.get("_csrf_token")
        )
        if not csrf_ok:
            logger.info("live socket without a valid CSRF token: joins will answer stale")
            self.runtime.telemetry.refused("csrf", address)
        return ConnectInfo(  # mount's session has the page's CSRF token, as in Phoenix
            session={**settings.session(conn), "_csrf_token": conn.query_params["_csrf_token"]}
            if csrf_ok
            else None,
            root_path=conn.scope.get("root_path", ""),
            address=address,
        )


_CHANNELS: Final[Mapping[str, ChannelFactory]] = {"lv:": LiveViewChannel, "lvu:": UploadChannel}
"""The live socket's channels by topic prefix (the same mapping for every socket)."""


class _LiveSocketEndpoint:
    """The live socket route as a raw ASGI app (a function endpoint would get Starlette's
    per-message wrappers); the transport uses the server's ``receive``/``send`` directly."""

    __slots__ = ("_app",)

    def __init__(self, app: LiveApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app
        socket = await app._live_socket(scope, receive, send)
        if socket is not None:
            await app.runtime.serve(socket, admitted=True, address=client_address(scope))


async def close_live_sockets(code: int = GOING_AWAY, timeout: float = 5.0) -> None:
    """Close the live sockets of every LiveApp in this process (what ``pylive serve`` does
    when asked to stop; call it from your own server's shutdown hook otherwise)."""
    async with anyio.create_task_group() as tg:
        for app in list(_APPS):
            tg.start_soon(app.close_sockets, code, timeout)


def _is_live_socket(scope: Scope, route: str) -> bool:
    """Whether ``scope`` is a WebSocket for ``route`` (relative to the app's mount point)."""
    if scope["type"] != "websocket":
        return False
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return path == route


def _default_secret() -> str:
    key = os.environ.get("PYLIVE_SECRET_KEY")
    if key:
        return key
    logger.warning(
        "no secret_key given and PYLIVE_SECRET_KEY unset: using a random key for this process "
        "(tokens will not survive a restart or work across several workers)"
    )
    return secrets.token_urlsafe(32)


def _compression(compress: bool | Compression) -> list[Middleware]:
    """The compression middleware ``LiveApp(compress=...)`` asks for, if any."""
    if compress is False:
        return []
    settings = Compression() if compress is True else compress
    return [Middleware(CompressionMiddleware, settings=settings)]
