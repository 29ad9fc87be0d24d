"""Pytest wiring for the conformance harness: one oracle process per session.

Tests in this folder take the ``oracle`` fixture and call
``assert_replays(oracle, join, diffs, expected, mode=...)`` (importable as
``from conformance.oracle import assert_replays``; re-exported here).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Make `import conformance.oracle` work whatever pytest's import mode (this folder is not a
# package; its parent, tests/, is where the test modules import each other from).
_TESTS = str(Path(__file__).resolve().parent.parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from conformance.oracle import Oracle, OracleResult, assert_replays  # noqa: E402

__all__ = ["Oracle", "OracleResult", "assert_replays"]


@pytest.fixture(scope="session")
def oracle() -> Iterator[Oracle]:
    """The official-client oracle, started once for the whole test session."""
    o = Oracle()
    try:
        yield o
    finally:
        o.close()
