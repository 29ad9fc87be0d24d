"""A form validate round trip on a 20-field form, next to the counter's click.

Run ``python -m benchmarks.forms`` (``nox -s bench`` runs it after ``benchmarks.live``). One
hypercorn server (asyncio worker, in a subprocess) serves this module's ``app``: ``/counter``
(the gallery's counter) and ``/form``, a LiveView whose form has 20 fields backed by a pydantic
model. The client of ``benchmarks.live`` joins both and, in interleaved rounds, pushes

* **counter click**: ``inc`` (a click event);
* **form validate**: the form's ``phx-change`` as the official client sends it: all 20 fields
  URL-encoded, ``_unused_`` markers for the fields not typed into yet, ``_target``. Every push
  changes one field, alternating a valid and an invalid value, so each reply carries a value
  and an error message that come and go. The server decodes the params, validates them with
  pydantic (``to_form``), renders and diffs.

It prints the median and p90 round trips, the reply sizes, and, measured in this process, what
``to_form`` alone costs on the same params. Figures only: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Sequence
from typing import Any

import htpy as h
from pydantic import BaseModel, Field, create_model

from benchmarks.live import (
    Budget,
    Driver,
    LiveClient,
    Reply,
    compact,
    hypercorn_server,
    interleaved,
    split_cpus,
    table,
)
from gallery.counter import Counter
from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket
from pylive.forms import Form, to_form
from pylive.html.form_fields import form_attrs, input_field
from pylive.params import decode_query
from pylive.testing.forms import prepend_form_data_key, urlencode

__all__ = ["app", "main"]

FIELDS = 20
NAMES = [f"field_{i:02d}" for i in range(FIELDS)]

Twenty: type[BaseModel] = create_model(  # 20 strings of 3 to 40 characters
    "Twenty", **{name: (str, Field(min_length=3, max_length=40)) for name in NAMES}
)


class TwentyFields(LiveView):
    """A 20-field form validated on every change."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(form=to_form(Twenty, as_="f"))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        socket.assign(form=to_form(params, as_="f", schema=Twenty))

    def render(self, assigns: Assigns) -> h.Element:
        form: Form = assigns.form
        return h.form(form_attrs(form, phx_change="validate", phx_submit="validate"))[
            (input_field(form[name]) for name in NAMES)
        ]


app = LiveApp(
    [LiveRoute("/counter", Counter), LiveRoute("/form", TwentyFields)],
    secret_key="benchmarks-forms-not-secret",
    compress=False,
)


def form_value(k: int) -> tuple[str, str]:
    """The k-th change: field k % 20 typed into (valid on even k), the fields before it used."""
    changed = k % FIELDS
    pairs: list[tuple[str, str]] = []
    for i, name in enumerate(NAMES):
        key = f"f[{name}]"
        if i < changed:
            value = "valid value"
        elif i == changed:
            value = "ok value" if k % 2 == 0 else "x"
        else:
            pairs.append((prepend_form_data_key(key, "_unused_"), ""))
            value = ""
        pairs.append((key, value))
    return urlencode(pairs), f"f[{NAMES[changed]}]"


class FormClient(LiveClient):
    """``benchmarks.live``'s client, pushing form events as the official client does."""

    async def push_form(self, k: int) -> Reply:
        encoded, target = form_value(k)
        payload = {
            "type": "form",
            "event": "validate",
            "value": encoded,
            "meta": {"_target": target},
            "uploads": {},
        }
        frame, rtt = await self._request("event", payload, self._next_ref(), self.join_ref)
        reply = json.loads(frame)[4]
        if reply.get("status") != "ok":
            raise RuntimeError(f"validate failed: {reply}")
        diff = reply["response"].get("diff", {})
        return Reply(rtt, len(frame.encode()), compact(diff), diff)


class FormDriver(Driver):
    async def push(self, k: int) -> Reply:
        assert isinstance(self.client, FormClient)
        return await self.client.push_form(k)


def to_form_cost(repeat: int) -> tuple[float, float]:
    """Median microseconds of ``decode_query`` + ``to_form`` (validation included), and of
    ``to_form`` alone, on the benchmark's params."""
    decode: list[float] = []
    build: list[float] = []
    for k in range(repeat):
        encoded, _ = form_value(k)
        t0 = time.perf_counter()
        params = decode_query(encoded)
        t1 = time.perf_counter()
        to_form(params, as_="f", schema=Twenty)
        t2 = time.perf_counter()
        decode.append(t2 - t0)
        build.append(t2 - t1)
    return statistics.median(decode) * 1e6, statistics.median(build) * 1e6


async def measure(port: int, budget: Budget) -> dict[str, Any]:
    counter = LiveClient(port, "/counter", "lean")
    form = FormClient(port, "/form", "lean")
    await counter.open()
    await form.open()
    try:
        return await interleaved(
            {
                "counter click": Driver(counter, "inc"),
                "form validate (20 fields)": FormDriver(form),
            },
            budget,
        )
    finally:
        await counter.close()
        await form.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.forms", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply iterations and time")
    parser.add_argument("--worker-class", choices=("asyncio", "uvloop"), default="asyncio")
    args = parser.parse_args(argv)
    budget = Budget(
        iters=max(50, round(2000 * args.scale)), seconds=10 * args.scale, warmup=50, rounds=5
    )
    server = hypercorn_server("pylive", "benchmarks.forms:app", args.worker_class, "forms")
    port = server.port
    _, server_cpus = split_cpus()
    server.start(server_cpus)
    try:
        server.wait_ready("/counter")
        samples = asyncio.run(measure(port, budget))
    finally:
        server.stop()
    print(
        f"\nForm validate round trip (hypercorn {args.worker_class} worker, lean WebSocket "
        "client; median, p90)"
    )
    rows = [
        [
            name,
            f"{s.median_us:.0f} µs",
            f"{s.p90_us:.0f} µs",
            f"{statistics.median(s.diff_bytes):.0f} B",
            f"{statistics.median(s.frame_bytes):.0f} B",
            str(len(s.rtt_ns)),
        ]
        for name, s in samples.items()
    ]
    print(table(["scenario", "median", "p90", "diff", "frame", "n"], rows))
    both, alone = to_form_cost(max(200, round(2000 * args.scale)))
    print(
        f"  in this process: decode_query + to_form (pydantic validation) {both:.0f} µs, "
        f"to_form alone {alone:.0f} µs per change (median)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
