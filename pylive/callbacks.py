"""Class-creation checks shared by ``LiveView`` and ``LiveComponent``.

Both are user classes with ``async def`` handlers and a plain ``render(assigns)``. A handler
runs on the event loop that serves every other connection too, so a sync handler is refused
when the class is created, with a message saying where blocking work belongs. ``render`` is
compiled (on first use) so that a render evaluates only what changed assigns touch.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from pylive.html.compiler import compile_template

__all__ = ["prepare_class"]


def prepare_class(cls: type, handlers: Iterable[str]) -> None:
    """Refuse sync ``handlers`` and an ``async def render``; compile ``render`` if ``cls``
    defines it (``track_changes = False`` on the class makes each render full)."""
    for name in handlers:
        if not inspect.iscoroutinefunction(getattr(cls, name)):
            raise TypeError(
                f"{cls.__qualname__}.{name} must be 'async def': handlers run on the shared "
                "event loop; move blocking work to start_async/assign_async or "
                "anyio.to_thread.run_sync"
            )
    if inspect.iscoroutinefunction(getattr(cls, "render", None)):
        raise TypeError(f"{cls.__qualname__}.render must be a plain 'def' (no awaiting)")
    render = cls.__dict__.get("render")
    if inspect.isfunction(render):
        compiled = compile_template(render)
        compiled.__set_name__(cls, "render")
        cls.render = compiled  # type: ignore[attr-defined]
