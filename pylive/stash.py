"""State that survives reconnects and deploys: a LiveView's stashed assigns (docs/stash.md).

A view lists assigns in its ``stash`` class attribute. After each render that changed one of
them (to a new value) the runtime saves them, and when the same client-side view joins again
(``_mounts`` > 0 in the join params: a reconnect, to this process or to another one after a
restart) it reads them back and hands them to ``handle_restore`` after ``mount``. A first join
(after the HTTP render, or after a live navigation) never restores.

Two stores, picked by ``LiveApp(stash=...)``:

* ``ClientStash`` (the default): a signed token pushed to the browser as the ``pylive:stash``
  event; pylive's client bundle keeps it in memory per view id and sends it back as the
  ``_stash`` join param. Signed with the app's secret, bound to the view id and class and to
  the page, expiring; bounded in size.
* ``RedisStash``: the values under ``<prefix><view class>:<page>:<view id>`` with a TTL,
  written in the background (the latest value wins); the client carries nothing.

Values are encoded with the pub/sub codec (``pylive.pubsub.codec``): JSON data, tuples kept as
tuples. A bad, tampered, foreign, expired or oversized stash is ignored with a log line.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import anyio

from pylive.errors import PyliveError
from pylive.pubsub import codec
from pylive.routing import view_key
from pylive.tokens import Tokens
from pylive.view import LiveView

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = [
    "STASH_EVENT",
    "STASH_PARAM",
    "ClientStash",
    "RedisStash",
    "StashStore",
    "ViewStash",
    "stash_binding",
]

logger = logging.getLogger(__name__)

STASH_EVENT: Final = "pylive:stash"
"""The event that carries a fresh client token: ``{"id": view_id, "token": str | None}``
(None: forget the token held for that view)."""
STASH_PARAM: Final = "_stash"
"""The join param pylive's client bundle sends the token back in."""


@dataclass(frozen=True, slots=True)
class ClientStash:
    """Keep each view's stash in the browser, as a token signed with the app's secret.

    ``max_bytes`` caps a token's length: a stash that would be longer is not kept (the client
    is told to forget the previous one, so an older state is never restored) and a warning is
    logged. The token expires ``MAX_AGE["stash"]`` seconds (24 h) after its last change.
    """

    max_bytes: int = 8192


@dataclass(slots=True)
class RedisStash:
    """Keep each view's stash in Redis at ``url`` for ``ttl`` seconds after its last change.

    Writes happen in the background (a view never waits for Redis); while Redis is down they
    fail with a warning and the view goes on, and a reconnect meanwhile mounts afresh.
    Needs the ``redis`` extra, and asyncio (redis-py is an asyncio library).
    """

    url: str
    ttl: int = 24 * 3600
    prefix: str = "pylive:stash:"
    timeout: float = 2.0
    """Seconds a read or write may take before it counts as failed."""
    _client: Redis | None = field(default=None, init=False, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)
    """The event loop ``_client`` belongs to: redis-py's connections are bound to it."""

    def client(self) -> Redis:
        """The shared redis-py client of the running event loop (made on first use in each
        loop, reconnects by itself)."""
        loop = _running_loop()
        if loop is None:
            raise PyliveError("RedisStash needs asyncio (redis-py); under trio use ClientStash")
        if self._client is None or self._loop is not loop:
            from redis.asyncio import Redis

            self._client = Redis.from_url(
                self.url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout
            )
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        """Close the client (a later use opens a new one). A client of an event loop that has
        ended (an app served again under a new loop) is only dropped: its connections went
        with its loop."""
        client, loop, self._client, self._loop = self._client, self._loop, None, None
        if client is not None and loop is _running_loop():
            await client.aclose()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio event loop; None under trio."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


StashStore = ClientStash | RedisStash


def stash_binding(view: type[LiveView], view_id: str, page: str) -> dict[str, str]:
    """What a stash belongs to: the view's id and class, and its page, a digest of the page's
    CSRF token (``page``: unique per page load and browser, so that a nested view, whose id is
    fixed by the template, never shares a stash with its namesake on another page). A client
    token carries it beside ``values``; the Redis key is made of it."""
    digest = hashlib.sha256(page.encode()).hexdigest()[:32]
    return {"id": view_id, "view": view_key(view), "page": digest}


class ViewStash:
    """One joined view's stash: what it restores from, and what it saves after each render."""

    def __init__(
        self,
        store: StashStore,
        tokens: Tokens,
        view: type[LiveView],
        view_id: str,
        page: str,
        *,
        push: Callable[[str, Mapping[str, Any]], None],
        spawn: Callable[[Callable[[], Awaitable[None]]], object],
    ) -> None:
        if isinstance(store, RedisStash):
            store.client()  # under trio: the join fails here, with a clear error
        self._store = store
        self._tokens = tokens
        self._names: Sequence[str] = view.stash
        self._view_id = view_id
        self._view = view_key(view)
        self._binding = stash_binding(view, view_id, page)
        self._push = push
        self._spawn = spawn
        self._saved: str | None = None  # the JSON last saved (or restored)
        self._started = False  # the first render (the join's) happened
        self._forget = False  # the client sent a token this join did not use
        self._broken = False  # a value could not be encoded: stash no more
        self._stored = False  # Redis: this view's key may exist
        self._pending: str | None = None  # Redis: the latest value (None: delete the key)
        self._dirty = False  # Redis: ``_pending`` is not written yet
        self._wake: anyio.Event | None = None  # Redis: the writer's doorbell

    @property
    def _key(self) -> str:
        assert isinstance(self._store, RedisStash)
        return f"{self._store.prefix}{self._view}:{self._binding['page']}:{self._view_id}"

    # ------------------------------------------------------------------ join

    async def load(self, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The stashed assigns to restore on this join, or None (a first join, or nothing
        valid stashed: the view mounts afresh)."""
        mounts = params.get("_mounts")
        rejoin = isinstance(mounts, int) and not isinstance(mounts, bool) and mounts > 0
        store = self._store
        if isinstance(store, ClientStash):
            token = params.get(STASH_PARAM)
            self._forget = token is not None
            if not rejoin or token is None:
                return None
            text = self._read_token(store, token)
        elif not rejoin:
            return None
        else:
            text = await self._read_redis(store)
        if text is None:
            return None
        try:
            values = codec.loads(text)
        except ValueError:
            values = None
        if not isinstance(values, dict):
            logger.warning("stash of %s: unreadable, mounting afresh", self._view)
            return None
        self._saved, self._forget = text, False
        self._stored = isinstance(store, RedisStash)
        return {name: values[name] for name in self._names if name in values}

    def _read_token(self, store: ClientStash, token: object) -> str | None:
        if not isinstance(token, str) or len(token) > store.max_bytes:
            logger.warning("stash of %s: token missing or too long, mounting afresh", self._view)
            return None
        claims = self._tokens.verify("stash", token)
        if (
            not isinstance(claims, dict)
            or any(claims.get(name) != value for name, value in self._binding.items())
            or not isinstance(claims.get("values"), str)
        ):
            logger.warning(
                "stash of %s: token forged, expired or of another view, mounting afresh",
                self._view,
            )
            return None
        values: str = claims["values"]
        return values

    async def _read_redis(self, store: RedisStash) -> str | None:
        try:
            with anyio.fail_after(store.timeout):
                found = await store.client().get(self._key)
        except (OSError, TimeoutError, _redis_error()) as error:
            logger.warning(
                "stash of %s: Redis read failed (%s), mounting afresh", self._view, error
            )
            return None
        if found is None:
            logger.info("stash of %s: nothing in Redis (expired?), mounting afresh", self._view)
            return None
        return found.decode() if isinstance(found, bytes) else str(found)

    # ------------------------------------------------------------------ after each render

    def rendered(self, assigns: Mapping[str, Any], changed: frozenset[str]) -> None:
        """Save the stash if a render changed it. The join's render only notes what a fresh
        mount produced (a reconnect before any change would mount the same)."""
        first = not self._started
        self._started = True
        if self._broken or not (first or changed & set(self._names)):
            return
        try:
            text = codec.dumps({name: assigns[name] for name in self._names if name in assigns})
        except (TypeError, ValueError) as error:
            logger.error("stash of %s: not JSON data, no longer stashed (%s)", self._view, error)
            self._broken = True
            self._save(None)
            return
        if first and self._saved is None:  # a fresh mount: nothing to save
            self._saved = text
            if self._forget:  # the client holds a token of an earlier view with this id
                self._push(STASH_EVENT, {"id": self._view_id, "token": None})
            return
        if text != self._saved:
            self._saved = text
            self._save(text)

    def _save(self, text: str | None) -> None:
        store = self._store
        if isinstance(store, ClientStash):
            token = None
            if text is not None:
                token = self._tokens.sign("stash", {**self._binding, "values": text})
                if len(token) > store.max_bytes:
                    logger.warning(
                        "stash of %s: %d bytes, over ClientStash(max_bytes=%d); not kept",
                        self._view,
                        len(token),
                        store.max_bytes,
                    )
                    token = None
            self._push(STASH_EVENT, {"id": self._view_id, "token": token})
            return
        self._pending, self._dirty, self._stored = text, True, True
        if self._wake is None:
            self._wake = anyio.Event()
            self._spawn(self._write_loop)
        self._wake.set()

    async def _write_loop(self) -> None:
        """Write the latest value to Redis, one write at a time (runs with the view)."""
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake = anyio.Event()
            await self._flush()

    async def _flush(self) -> None:
        store = self._store
        assert isinstance(store, RedisStash)
        text, self._dirty = self._pending, False
        try:
            with anyio.fail_after(store.timeout):
                if text is None:
                    await store.client().delete(self._key)
                else:
                    await store.client().set(self._key, text, ex=store.ttl)
        except (OSError, TimeoutError, _redis_error()) as error:
            logger.warning("stash of %s: Redis write failed (%s)", self._view, error)
        except BaseException:  # cancelled mid-write: ``close`` writes it again
            self._dirty = self._dirty or self._pending is text
            raise

    # ------------------------------------------------------------------ end

    async def close(self, reason: str) -> None:
        """The view ended. One that left on purpose (live navigation, redirect: its
        client-side view is gone) deletes its Redis stash; otherwise (closed, crashed) the
        latest value is written if it is still pending, for the reconnect. Call it shielded."""
        if not isinstance(self._store, RedisStash) or not self._stored:
            return
        if reason in _GONE:
            self._pending, self._dirty = None, True
        if self._dirty:
            await self._flush()


_GONE: Final = ("leave", "redirect")
"""Why a view ended when it will not come back (its client-side view was destroyed)."""


def _redis_error() -> type[Exception]:
    from redis.exceptions import RedisError

    return RedisError
