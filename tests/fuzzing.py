"""How many inputs the fuzz tests generate, the hypothesis strategies they share, and the app
they fuzz (a view whose handlers never fail, next to a healthy one).

The normal test run generates a few hundred inputs in all (a few seconds); ``nox -s fuzz``
sets ``PYLIVE_FUZZ_EXAMPLES`` to the total wanted (default 1,000,000), shared out by weight:
the pure decoders are cheap and take most, the in-process socket fuzzer the rest.
"""

from __future__ import annotations

import os
from typing import Any

import htpy as h
import orjson
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket, live_file_input
from pylive.live_component import ComponentSocket, LiveComponent, live_component

__all__ = [
    "APP",
    "TOTAL_WEIGHT",
    "form_query",
    "fuzz_settings",
    "json_values",
    "text_frames",
]

TOTAL_WEIGHT = 100
"""The weights of every fuzz test add up to this (tests/test_fuzz.py checks)."""

_CI_TOTAL = 600
"""Inputs in all when ``PYLIVE_FUZZ_EXAMPLES`` is unset: the normal suite's small count."""


def fuzz_settings(weight: int, *, floor: int = 20) -> settings:
    """Hypothesis settings for a fuzz test taking ``weight``/``TOTAL_WEIGHT`` of the inputs.

    No deadline, no speed health check (a loaded machine may pause any example), derandomized
    in the normal run (the same inputs every time), random under ``nox -s fuzz``.
    """
    configured = os.environ.get("PYLIVE_FUZZ_EXAMPLES")
    total = int(configured) if configured else _CI_TOTAL
    return settings(
        max_examples=max(floor, total * weight // TOTAL_WEIGHT),
        deadline=None,
        derandomize=configured is None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)  # what orjson encodes (the client's JSON.parse too)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
"""Any JSON value."""

_NAME_PARTS = ["[]", "[a]", "[b]", "[0]", "[", "]", "[[]", "[]]", "%5B", "%5D", "=", "&", ""]

form_names: st.SearchStrategy[str] = st.builds(
    lambda head, parts: head + "".join(parts),
    st.text(max_size=4),
    st.lists(st.sampled_from(_NAME_PARTS), max_size=8),
)
"""Form field names: ``a``, ``a[b][][c]``, and their malformed cousins."""

form_query: st.SearchStrategy[str] = st.one_of(
    st.text(max_size=60),
    st.lists(st.tuples(form_names, st.text(max_size=6)), max_size=8).map(
        lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
    ),
)
"""URL-encoded form params as the client sends them, well-formed or not."""

text_frames: st.SearchStrategy[str] = st.one_of(
    st.text(max_size=80),
    st.lists(json_values, min_size=0, max_size=6).map(lambda v: orjson.dumps(v).decode()),
    st.tuples(
        st.none() | st.text(max_size=4) | st.integers(0, 9),
        st.none() | st.text(max_size=4) | st.integers(0, 9),
        st.text(max_size=10) | st.none(),
        st.text(max_size=10) | st.none(),
        json_values,
    ).map(lambda v: orjson.dumps(list(v)).decode()),
)
"""Text frames: any text, JSON arrays of any length, 5-element arrays of any fields."""


# --------------------------------------------------------------------------- the fuzzed app


class Box(LiveComponent):
    async def mount(self, socket: ComponentSocket) -> None:
        socket.assign(seen="")

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> None:
        socket.assign(seen=f"{event} {params!r}"[:100])

    def render(self, assigns: Assigns) -> h.Element:
        return h.p(id=f"box-{assigns.id}")[assigns.seen]


class Target(LiveView):
    """The fuzzed view: a form with an upload and a component; its handlers never fail."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(seen="")
        socket.allow_upload("docs", accept=[".txt"], max_entries=2, max_file_size=50, chunk_size=10)

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        socket.assign(seen=f"params {params!r}"[:100])

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(seen=f"{event} {params!r}"[:100])
        socket.put_flash("info", event[:20])

    def render(self, assigns: Assigns) -> h.Element:
        return h.form("#f", phx_change="validate", phx_submit="save")[
            live_file_input(assigns.uploads.docs),
            h.p("#seen")[assigns.seen],
            live_component(Box, id="one"),
        ]


class Healthy(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(count=socket.assigns.count + 1)

    def render(self, assigns: Assigns) -> h.Element:
        return h.p["Count: ", str(assigns.count)]


APP = LiveApp(
    [LiveRoute("/", Target), LiveRoute("/items/{id}", Target), LiveRoute("/healthy", Healthy)],
    secret_key="fuzz-secret",
)
