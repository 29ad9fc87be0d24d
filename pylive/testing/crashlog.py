"""The exceptions behind server-side crashes, for error messages that show the real cause.

When a LiveView's code raises, the runtime logs it (``pylive.channel``: "LiveView <topic>
crashed", "mounting <topic> failed") and tells the client only ``phx_error`` / an error reply.
``CrashLog`` listens to that logger for one topic, so the test client can chain the original
exception, with its traceback, to the ``ViewCrashed`` / ``JoinError`` it raises.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from types import TracebackType

__all__ = ["CrashLog"]

_LOGGER = "pylive.channel"


class CrashLog(logging.Handler):
    """Collects exceptions logged by the runtime for the topic ``topic()`` currently names."""

    def __init__(self, topic: Callable[[], str]) -> None:
        super().__init__(logging.ERROR)
        self._topic = topic
        self._errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.exc_info and record.exc_info[1] is not None and self._topic() in args:
            self._errors.append(record.exc_info[1])

    def take(self) -> BaseException | None:
        """The latest exception logged for the topic (and forget the others)."""
        errors, self._errors = self._errors, []
        return errors[-1] if errors else None

    def __enter__(self) -> CrashLog:
        logging.getLogger(_LOGGER).addHandler(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        logging.getLogger(_LOGGER).removeHandler(self)


def format_cause(error: BaseException | None) -> str:
    """The traceback of ``error`` as text (empty when None)."""
    if error is None:
        return ""
    return "".join(traceback.format_exception(error)).rstrip()
