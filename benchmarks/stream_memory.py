"""Memory a server keeps per LiveView while a stream grows to 100,000 items.

Run ``python -m benchmarks.stream_memory`` (``nox -s bench`` runs it after
``benchmarks.memory``). A feed LiveView streams ``--items`` items (default 100,000) in batches of
``--batch`` (default 100), one event and one diff per batch, as a server does; ``tracemalloc``
measures what stays allocated after the join (before the items) and after every tenfold growth.
For contrast, the same feed kept as a plain list assign (rows re-rendered from a list the server
holds) is measured up to ``--list-items`` (default 10,000). The stream's figure should stay flat:
the server drops what it sent after each render. It prints figures; it never asserts.
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from htpy import Element, div, li, p, ul

from benchmarks.live import run_sync, table
from pylive import Assigns, LiveView, Socket

__all__ = ["main"]


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    text: str


class StreamFeed(LiveView):
    """Each ``more`` event streams the next batch; the server keeps none of them."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0).stream("entries", [])

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        start, n = socket.assigns.count, int(params["n"])
        socket.assign(count=start + n)
        socket.stream("entries", [Item(i, f"item {i}") for i in range(start, start + n)])

    def render(self, assigns: Assigns) -> Element:
        return div[
            p["items: ", assigns.count],
            ul("#items", phx_update="stream")[
                [li(id=dom_id)[item.text] for dom_id, item in assigns.entries]
            ],
        ]


class ListFeed(LiveView):
    """The same feed as a list assign the server holds and re-renders from."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0, entries=())

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        start, n = socket.assigns.count, int(params["n"])
        new = tuple(Item(i, f"item {i}") for i in range(start, start + n))
        socket.assign(count=start + n, entries=socket.assigns.entries + new)

    def render(self, assigns: Assigns) -> Element:
        return div[
            p["items: ", assigns.count],
            ul("#items")[[li(id=f"entries-{item.id}")[item.text] for item in assigns.entries]],
        ]


def measure(view_class: type[LiveView], items: int, batch: int) -> list[tuple[int, int]]:
    """``(items sent, bytes held)`` after the join and after each tenfold growth."""
    from pylive.effects import Effects
    from pylive.tokens import Tokens
    from pylive.view_tree import ViewTree

    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    effects = Effects.for_view()
    socket = Socket("phx-bench", effects, host=None)
    view = view_class()
    run_sync(view.mount(socket, {}, {}))
    tree = ViewTree(socket, effects, Tokens("k" * 32), connected=True)
    run_sync(tree.diff(view, effects.assigns, effects.changed))
    effects.rendered()
    points: list[tuple[int, int]] = []

    def point(sent: int) -> None:
        gc.collect()
        points.append((sent, tracemalloc.get_traced_memory()[0] - base))

    point(0)
    sent, next_mark = 0, batch * 10
    while sent < items:
        run_sync(view.handle_event(socket, "more", {"n": batch}))
        run_sync(tree.diff(view, effects.assigns, effects.changed))
        effects.rendered()
        sent += batch
        if sent >= next_mark or sent >= items:
            point(sent)
            next_mark *= 10
    tracemalloc.stop()
    del view, socket, tree
    return points


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stream_memory", description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--list-items", type=int, default=10_000)
    args = parser.parse_args(argv)
    measure(StreamFeed, args.batch * 2, args.batch)  # warm-up: compiled templates, caches
    stream = measure(StreamFeed, args.items, args.batch)
    listed = dict(measure(ListFeed, args.list_items, args.batch))
    rows = [
        [f"{sent:,}", f"{held / 1024:,.1f} KiB", _kib(listed.get(sent))] for sent, held in stream
    ]
    print(
        f"Memory held per LiveView while a feed grows by {args.batch} items per event "
        "(tracemalloc, from before the mount)"
    )
    print(table(["items sent", "stream", "list assign"], rows))
    before, after = stream[0][1], stream[-1][1]
    print(
        f"stream: {before / 1024:,.1f} KiB per view before, {after / 1024:,.1f} KiB after "
        f"{stream[-1][0]:,} items"
    )
    return 0


def _kib(n: int | None) -> str:
    return "-" if n is None else f"{n / 1024:,.1f} KiB"


if __name__ == "__main__":
    raise SystemExit(main())
