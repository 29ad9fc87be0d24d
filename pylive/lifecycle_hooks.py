"""Lifecycle hooks: functions attached to a LiveView's socket that run before its callbacks.

``socket.attach_hook(name, stage, fn)`` (from an ``on_mount`` hook or ``mount``) adds ``fn`` to a
stage: ``handle_params``, ``handle_event``, ``handle_info``, ``handle_async`` run before the
view's callback of that name, in attach order, and each may stop the others and the view's
callback; ``after_render`` runs after every render the live view sends. Phoenix's
``attach_hook/4`` and ``detach_hook/3`` (``lib/phoenix_live_view/lifecycle.ex``) are the model:
``{:cont, socket}`` is ``None`` (or ``CONT``) here, ``{:halt, socket}`` is ``HALT`` and
``{:halt, reply, socket}`` is ``Halt(reply)``.

These are server-side lifecycle hooks, not the client-side JavaScript hooks of ``phx-hook``.
The table lives in the socket's ``Effects`` (``effects.hooks``); the runtime runs it
(``pylive.lifecycle``). It knows nothing of sockets: every function gets the socket as its first
argument from the caller.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

__all__ = ["CONT", "HALT", "Halt", "LifecycleHooks", "Stage"]

Stage = Literal["handle_params", "handle_event", "handle_info", "handle_async", "after_render"]
"""Where a lifecycle hook runs: before the view callback of that name, or after each render."""

STAGES: Final[tuple[Stage, ...]] = get_args(Stage)


@dataclass(frozen=True, slots=True)
class Halt:
    """What a lifecycle hook returns to stop: no later hook of its stage runs, nor the view's
    callback. ``reply`` (``handle_event`` hooks only) is the event's hook reply, as a mapping
    returned by ``handle_event`` would be; use ``HALT`` to stop without one."""

    reply: Mapping[str, Any] | None = None


CONT: Final = None
"""Return this (or nothing) from a lifecycle hook to let the next hook, then the view, run."""

HALT: Final = Halt()
"""Return this from a lifecycle hook to stop its stage here."""

HookFn = Callable[..., Awaitable[Any]]

_NO_HOOKS: Mapping[str, tuple[tuple[str, HookFn], ...]] = MappingProxyType({})


class LifecycleHooks:
    """The lifecycle hooks attached to one LiveView, by stage, in attach order."""

    __slots__ = ("_stages",)

    def __init__(self) -> None:
        # replaced, never changed in place: a view without hooks shares the empty table
        self._stages: Mapping[str, tuple[tuple[str, HookFn], ...]] = _NO_HOOKS

    def attach(self, name: str, stage: str, fn: HookFn) -> None:
        """Add ``fn`` as hook ``name`` of ``stage``, after those already there."""
        _check_stage(stage, "attach_hook")
        call = type(fn).__call__  # an object with an async __call__ counts too
        if not (inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(call)):
            raise TypeError(
                f"lifecycle hook {name!r} must be an 'async def' function: hooks run on the "
                "shared event loop, like handlers"
            )
        hooks = self._stages.get(stage, ())
        if any(existing == name for existing, _ in hooks):
            raise ValueError(
                f"a lifecycle hook named {name!r} is already attached to {stage!r}; "
                "detach it first or pick another name"
            )
        self._stages = {**self._stages, stage: (*hooks, (name, fn))}

    def detach(self, name: str, stage: str) -> None:
        """Remove hook ``name`` from ``stage`` (nothing happens if it is not attached)."""
        _check_stage(stage, "detach_hook")
        kept = tuple(h for h in self._stages.get(stage, ()) if h[0] != name)
        self._stages = {**self._stages, stage: kept}

    def attached(self, stage: Stage) -> bool:
        """Whether any hook is attached to ``stage`` (an empty stage need not be run: the
        runtime checks this first on every event and render)."""
        return bool(self._stages.get(stage))

    async def run(self, stage: Stage, *args: Any) -> Halt | None:
        """Run ``stage``'s hooks with ``args`` (the socket first) until one halts.

        Returns the ``Halt`` that stopped them, or None when every hook continued (the view's
        callback runs then). A hook attached or detached meanwhile counts from the next run.
        """
        for name, fn in self._stages.get(stage, ()):
            outcome = await fn(*args)
            if outcome is None:
                continue
            if not isinstance(outcome, Halt) or stage == "after_render":
                expected = "None" if stage == "after_render" else "None, CONT, HALT or Halt(...)"
                raise TypeError(
                    f"lifecycle hook {name!r} of {stage!r} must return {expected}, got {outcome!r}"
                )
            if outcome.reply is not None and stage != "handle_event":
                raise TypeError(
                    f"lifecycle hook {name!r} of {stage!r} halted with a reply: only "
                    "handle_event hooks reply"
                )
            return outcome
        return None


def _check_stage(stage: str, call: str) -> None:
    if stage not in STAGES:
        extra = " (use LiveSession(on_mount=...) for mount)" if stage == "mount" else ""
        raise ValueError(
            f"{call}: no lifecycle stage {stage!r}{extra}; expected one of "
            + ", ".join(repr(s) for s in STAGES)
        )
