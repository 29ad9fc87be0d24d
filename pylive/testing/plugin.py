"""pytest plugin (registered through the ``pytest11`` entry point): fixtures for testing
LiveViews with ``pylive.testing``.

* ``live_client`` — a factory: ``live_client(app)`` returns a ``LiveClient`` (one browser
  session) using the ini defaults below; ``async with live_client(app).live("/") as view``.
* ini options ``pylive_timeout`` (seconds any wait for the server may take, default 5) and
  ``pylive_check_diffs`` (check every diff against the server's render, default true).

Tests are async: mark them ``@pytest.mark.anyio`` (anyio's own pytest plugin runs them) and,
to run each on asyncio and trio, define in ``conftest.py``::

    @pytest.fixture(params=["asyncio", "trio"])
    def anyio_backend(request):
        return request.param

The module imports nothing heavy at load time: pytest loads it in every project that has
pylive installed, also where the ``testing`` extra (selectolax) is not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pylive.testing.client import LiveClient

__all__ = ["live_client", "pytest_addoption"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ini options."""
    parser.addini(
        "pylive_timeout",
        "pylive.testing: seconds a test client waits for the server (default 5)",
        default="5",
    )
    parser.addini(
        "pylive_check_diffs",
        "pylive.testing: check every diff against the server's full render (default true)",
        type="bool",
        default=True,
    )


@pytest.fixture
def live_client(request: pytest.FixtureRequest) -> Callable[..., LiveClient]:
    """Factory of browser sessions: ``live_client(app, **options)`` → ``LiveClient``."""
    from pylive.testing.client import LiveClient

    timeout = float(request.config.getini("pylive_timeout"))
    check = bool(request.config.getini("pylive_check_diffs"))

    def make(app: Any, **options: Any) -> LiveClient:
        options.setdefault("timeout", timeout)
        options.setdefault("check_diffs", check)
        return LiveClient(app, **options)

    return make
