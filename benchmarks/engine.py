"""Render+diff time and wire bytes: pylive's engine next to pyview's, measured in the same run.

Run ``python -m benchmarks.engine`` (``nox -s bench`` installs pyview-web first). Each scenario
renders an equivalent view in both engines (byte-identical HTML, checked and printed) and times:

* **join**: build the view's tree and produce the full ``rendered`` payload;
* **update**: from a client that holds state A, render state B and diff it.

Last, a page of ``--rows`` LiveComponents (pylive only): the join, then an event that changes
one component, with how many components were rendered for it and the diff sent.

pylive: htpy tree -> ``walk`` -> ``SentTree.diff``; bytes = ``orjson.dumps(diff)``.
pyview: its ibis template path, ``LiveTemplate.tree`` (what ``LiveRender.tree()`` calls) ->
``calc_diff`` against the previous tree, as ``LiveViewSocket.diff`` does; bytes =
``json.dumps(diff)`` (its serializer; the compact size is printed too). JSON encoding time is
not included in either time, nor is the websocket envelope in either size. pyview's t-string
templates need Python 3.14, so on older interpreters only its ibis engine can be measured.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import anyio
import htpy as h
import orjson

from pylive import Assigns, ComponentSocket, LiveComponent, LiveView, Socket, live_component
from pylive.component_registry import ComponentRegistry
from pylive.diff import SentTree
from pylive.effects import Effects
from pylive.html.compiler import CompiledTemplate, Memo, compile_template
from pylive.html.walker import walk
from pylive.rendered import to_html
from pylive.tokens import Tokens
from pylive.view_tree import ViewTree

__all__ = ["main"]

Json = dict[str, Any]
State = Any  # an int for the counter, a list[Row] for the table


# ---------------------------------------------------------------------------------------------
# Data and equivalent views


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    label: str
    value: int


def make_rows(start: int, count: int) -> list[Row]:
    return [Row(i, f"item {i}", i * 7 % 1000) for i in range(start, start + count)]


def counter_htpy(assigns: Assigns) -> h.Element:
    return h.div(id="counter")[
        h.h1["Count: ", str(assigns.count)],
        h.button(phx_click="inc")["+"],
    ]


def table_htpy(assigns: Assigns) -> h.Element:
    # each <tr> has an id, so pylive keys the rows by it (moves become index references)
    return h.table(id="rows")[
        h.thead[h.tr[h.th["ID"], h.th["Label"], h.th["Value"]]],
        h.tbody[
            [
                h.tr(id=f"row-{r.id}")[h.td[str(r.id)], h.td[r.label], h.td[str(r.value)]]
                for r in assigns.rows
            ]
        ],
    ]


COUNTER_IBIS = (
    '<div id="counter"><h1>Count: {{ count }}</h1><button phx-click="inc">+</button></div>'
)
TABLE_IBIS = (
    '<table id="rows"><thead><tr><th>ID</th><th>Label</th><th>Value</th></tr></thead><tbody>'
    "{% for r in rows %}"
    '<tr id="row-{{ r.id }}"><td>{{ r.id }}</td><td>{{ r.label }}</td><td>{{ r.value }}</td></tr>'
    "{% endfor %}"
    "</tbody></table>"
)


@dataclass(frozen=True, slots=True)
class View:
    name: str
    render: Callable[[Assigns], h.Element]
    ibis: str
    assign: str  # the one assign both templates read

    def htpy(self, state: State) -> h.Element:
        return self.render(Assigns({self.assign: state}))


COUNTER = View("counter", counter_htpy, COUNTER_IBIS, "count")
TABLE = View("table", table_htpy, TABLE_IBIS, "rows")


@dataclass(frozen=True, slots=True)
class Scenario:
    label: str
    view: View
    before: State
    after: State
    repeat: int


def scenarios(n_rows: int, scale: float) -> list[Scenario]:
    """The counter click, then edits of an ``n_rows`` table (the first two also give the joins)."""
    base = make_rows(0, n_rows)
    mid = n_rows // 2
    fresh = make_rows(n_rows, 10)

    one_cell = list(base)
    one_cell[mid] = replace(base[mid], value=base[mid].value + 1)
    inserted = base[:mid] + fresh + base[mid:]
    removed = base[:mid] + base[mid + 10 :]
    moved = list(base)
    moved.insert(10, moved.pop(n_rows - 10))
    mixed = base[:100] + fresh + base[100:mid] + base[mid + 10 :]  # +10 rows, -10 rows
    i, j = n_rows // 5, n_rows * 4 // 5
    mixed[i], mixed[j] = mixed[j], mixed[i]  # and one swap

    def reps(n: int) -> int:
        return max(3, round(n * scale))

    t = f"{n_rows:,}-row table"
    return [
        Scenario("counter: click (+1)", COUNTER, 0, 1, reps(1000)),
        Scenario(f"{t}: one cell changed", TABLE, base, one_cell, reps(40)),
        Scenario(f"{t}: 10 rows inserted (middle)", TABLE, base, inserted, reps(40)),
        Scenario(f"{t}: 10 rows removed (middle)", TABLE, base, removed, reps(40)),
        Scenario(f"{t}: 1 row moved (drag)", TABLE, base, moved, reps(40)),
        Scenario(f"{t}: all rows reversed (sort)", TABLE, base, base[::-1], reps(40)),
        Scenario(f"{t}: +10, -10, 2 rows swapped", TABLE, base, mixed, reps(40)),
    ]


# ---------------------------------------------------------------------------------------------
# Timing


Phases = tuple[float, ...]
Op = Callable[[], tuple[Json | None, Phases]]
"""A timed operation: returns its payload and the seconds spent in each of its phases."""


@dataclass(slots=True)
class Timing:
    seconds: float  # median of the whole operation
    phases: list[float]  # median of each phase
    payload: Json | None


def median_time(prepare: Callable[[], Op], repeat: int, warmup: int) -> Timing:
    """Medians over ``repeat`` runs of ``prepare()()``; only the inner call is timed.

    As in ``timeit``, the cyclic garbage collector is paused during the timed call (the trees
    are acyclic, so reference counting still frees them) and run between scenarios.
    """
    totals: list[float] = []
    phases: list[Phases] = []
    payload: Json | None = None
    gc.collect()
    for i in range(warmup + repeat):
        op = prepare()
        gc.disable()
        try:
            t0 = time.perf_counter()
            payload, split = op()
            elapsed = time.perf_counter() - t0
        finally:
            gc.enable()
        if i >= warmup:
            totals.append(elapsed)
            phases.append(split)
    return Timing(
        statistics.median(totals),
        [statistics.median(p) for p in zip(*phases, strict=True)],
        payload,
    )


class Engine:
    name = ""
    phase_names: tuple[str, ...] = ()

    def html(self, view: View, state: State) -> str:
        raise NotImplementedError

    def join(self, view: View, state: State) -> Callable[[], Op]:
        raise NotImplementedError

    def update(self, view: View, before: State, after: State) -> Callable[[], Op]:
        raise NotImplementedError

    def size(self, payload: Json | None) -> tuple[int, int]:
        """Bytes as this engine serializes the payload, and as compact JSON."""
        raise NotImplementedError


class Pylive(Engine):
    name = "pylive"
    phase_names = ("htpy build", "walk", "diff")

    def html(self, view: View, state: State) -> str:
        return to_html(walk(view.htpy(state)))

    @staticmethod
    def _op(client: SentTree, view: View, state: State) -> Op:
        def op() -> tuple[Json | None, Phases]:
            t0 = time.perf_counter()
            node = view.htpy(state)
            t1 = time.perf_counter()
            rendered = walk(node)
            t2 = time.perf_counter()
            payload = client.diff(rendered)
            t3 = time.perf_counter()
            return payload, (t1 - t0, t2 - t1, t3 - t2)

        return op

    def join(self, view: View, state: State) -> Callable[[], Op]:
        return lambda: self._op(SentTree(), view, state)

    def update(self, view: View, before: State, after: State) -> Callable[[], Op]:
        held = walk(view.htpy(before))  # trees are never mutated: one copy serves every run

        def prepare() -> Op:
            client = SentTree()
            client.diff(held)
            return self._op(client, view, after)

        return prepare

    def size(self, payload: Json | None) -> tuple[int, int]:
        n = 0 if payload is None else len(orjson.dumps(payload))
        return n, n


class PyliveCompiled(Engine):
    """What a LiveView does: the compiled template renders only what the changed assign reads."""

    name = "pylive compiled"
    phase_names = ("render", "diff")

    def __init__(self) -> None:
        self._compiled: dict[str, CompiledTemplate[Any]] = {}

    def _template(self, view: View) -> CompiledTemplate[Any]:
        if view.name not in self._compiled:
            self._compiled[view.name] = compile_template(view.render)
        return self._compiled[view.name]

    def html(self, view: View, state: State) -> str:
        return to_html(self._template(view).render(Assigns({view.assign: state})))

    def _op(self, view: View, state: State, memo: Memo, client: SentTree, first: bool) -> Op:
        template = self._template(view)
        changed = None if first else {view.assign}

        def op() -> tuple[Json | None, Phases]:
            t0 = time.perf_counter()
            rendered = template.render(Assigns({view.assign: state}), changed, memo=memo)
            t1 = time.perf_counter()
            payload = client.diff(rendered)
            return payload, (t1 - t0, time.perf_counter() - t1)

        return op

    def join(self, view: View, state: State) -> Callable[[], Op]:
        return lambda: self._op(view, state, Memo(), SentTree(), first=True)

    def update(self, view: View, before: State, after: State) -> Callable[[], Op]:
        def prepare() -> Op:
            memo, client = Memo(), SentTree()
            self._op(view, before, memo, client, first=True)()
            return self._op(view, after, memo, client, first=False)

        return prepare

    size = Pylive.size


class Pyview(Engine):
    name = "pyview"
    phase_names = ("ibis tree", "calc_diff")

    def __init__(self) -> None:
        template = importlib.import_module("pyview.template")
        render_diff = importlib.import_module("pyview.template.render_diff")
        self._calc_diff: Callable[[Json, Json], Json] = render_diff.calc_diff
        self._meta: Any = importlib.import_module("pyview.meta").PyViewMeta()
        self._templates: dict[str, Any] = {
            v.name: template.LiveTemplate(template.Template(v.ibis, template_id=v.name))
            for v in (COUNTER, TABLE)
        }
        self.version = importlib.metadata.version("pyview-web")

    def _tree(self, view: View, state: State) -> Json:
        tree: Json = self._templates[view.name].tree({view.assign: state}, self._meta)
        return tree

    def html(self, view: View, state: State) -> str:
        html: str = self._templates[view.name].render({view.assign: state}, self._meta)
        return html

    def _op(self, held: Json | None, view: View, state: State) -> Op:
        def op() -> tuple[Json | None, Phases]:
            t0 = time.perf_counter()
            tree = self._tree(view, state)
            t1 = time.perf_counter()
            # LiveViewSocket.diff: the first render is sent whole
            payload = tree if held is None else self._calc_diff(held, tree)
            t2 = time.perf_counter()
            return payload, (t1 - t0, t2 - t1)

        return op

    def join(self, view: View, state: State) -> Callable[[], Op]:
        return lambda: self._op(None, view, state)

    def update(self, view: View, before: State, after: State) -> Callable[[], Op]:
        held = self._tree(view, before)  # calc_diff never mutates its inputs
        return lambda: self._op(held, view, after)

    def size(self, payload: Json | None) -> tuple[int, int]:
        if not payload:
            return 0, 0  # pyview still pushes an empty diff; pylive sends nothing
        return len(json.dumps(payload)), len(json.dumps(payload, separators=(",", ":")))


def load_pyview() -> Pyview | None:
    try:
        return Pyview()
    except ImportError as exc:
        print(f"pyview is not importable ({exc}): printing pylive figures only.")
        print("Install it with `pip install pyview-web`, or run `nox -s bench`.\n")
        return None


# ---------------------------------------------------------------------------------------------
# Report


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def fmt_bytes(n: int) -> str:
    return f"{n:,} B"


def fmt_ratio(theirs: float, ours: float) -> str:
    if ours == 0:
        return "-" if theirs == 0 else "inf"
    return f"{theirs / ours:.2f}x"


def markdown(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    """A Markdown table; columns in ``right`` are right-aligned."""
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        padded = (
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)
    )
    return "\n".join([line(headers), f"|{rule}|", *(line(r) for r in rows)])


def run(n_rows: int, scale: float, warmup: int, show: bool) -> None:
    pyview = load_pyview()
    engines: list[Engine] = [Pylive(), PyliveCompiled()]
    if pyview is not None:
        engines.append(pyview)
    plan = scenarios(n_rows, scale)
    peer = f"pyview-web {pyview.version} (ibis templates)" if pyview else "no peer"
    print(
        f"Python {sys.version.split()[0]}; pylive vs {peer}. Times: median of N runs after "
        f"{warmup} warm-up runs, view render + diff (JSON encoding excluded).\n"
        "pylive: the runtime walker (build the htpy tree, walk it, diff; the fallback path) and"
        "\nthe compiled template with change tracking (what a LiveView's render uses)."
    )

    # join payloads, and HTML parity between the engines
    join_rows: list[list[str]] = []
    phase_rows: list[list[str]] = []
    for sc in (plan[0], plan[1]):
        view_label = sc.label.split(":")[0]
        html = {e.name: e.html(sc.view, sc.before) for e in engines}
        same = "-" if len(html) == 1 else "yes" if len(set(html.values())) == 1 else "NO"
        for e in engines:
            t = median_time(e.join(sc.view, sc.before), sc.repeat, warmup)
            nbytes, compact = e.size(t.payload)
            html_bytes = len(html[e.name].encode())
            join_rows.append(
                [
                    view_label,
                    e.name,
                    fmt_time(t.seconds),
                    fmt_bytes(nbytes),
                    fmt_bytes(compact),
                    fmt_bytes(html_bytes),
                    f"{compact / html_bytes:.2f}",
                    same,
                ]
            )
            phase_rows.append([f"join: {view_label}", e.name, _phases(e, t)])
    print("\nJoin: full rendered payload vs the dead-render HTML of the same view")
    print(
        markdown(
            ["view", "engine", "time", "payload", "compact", "HTML", "compact/HTML", "same HTML"],
            join_rows,
            {2, 3, 4, 5, 6},
        )
    )

    # updates
    rows: list[list[str]] = []
    payloads: list[tuple[str, str, Json | None]] = []
    for sc in plan:
        timings: dict[str, tuple[Timing, int, int]] = {}
        for e in engines:
            t = median_time(e.update(sc.view, sc.before, sc.after), sc.repeat, warmup)
            timings[e.name] = (t, *e.size(t.payload))
            payloads.append((sc.label, e.name, t.payload))
            phase_rows.append([sc.label, e.name, _phases(e, t)])
        ours, ours_bytes, _ = timings["pylive"]
        compiled, compiled_bytes, _ = timings["pylive compiled"]
        row = [sc.label, str(sc.repeat), fmt_time(ours.seconds), fmt_bytes(ours_bytes)]
        row += [fmt_time(compiled.seconds), fmt_bytes(compiled_bytes)]
        if "pyview" in timings:
            theirs, theirs_bytes, theirs_compact = timings["pyview"]
            row += [
                fmt_time(theirs.seconds),
                fmt_bytes(theirs_bytes),
                fmt_bytes(theirs_compact),
                fmt_ratio(theirs.seconds, ours.seconds),
                fmt_ratio(theirs.seconds, compiled.seconds),
                fmt_ratio(theirs_compact, compiled_bytes),
            ]
        rows.append(row)
    headers = ["update (render + diff)", "N", "walker time", "walker bytes"]
    headers += ["compiled time", "compiled bytes"]
    if pyview is not None:
        headers += ["pyview time", "pyview bytes", "(compact)", "time ratio (walker)"]
        headers += ["time ratio (compiled)", "bytes ratio (compiled)"]
    print("\nUpdates: a client holding state A receives the diff to state B")
    print(markdown(headers, rows, set(range(1, len(headers)))))
    if pyview is not None:
        print(
            "Ratios are pyview / pylive: above 1 means pylive is faster or smaller. pyview bytes"
            " are json.dumps\nas pyview sends them (with ', ' and ': '); the bytes ratio"
            " compares compact JSON on both sides."
        )

    print("\nWhere the time goes (median per phase)")
    print(markdown(["operation", "engine", "phases"], phase_rows, set()))

    if show:
        print("\nPayloads (first 160 characters of compact JSON)")
        for label, name, payload in payloads:
            text = "null (nothing sent)" if payload is None else orjson.dumps(payload).decode()
            print(f"  {label} [{name}]: {text[:160]}{'...' if len(text) > 160 else ''}")


# ---------------------------------------------------------------------------------------------
# LiveComponents: a page of many components, one changes


class Item(LiveComponent):
    """One component of the page; an event changes its own count."""

    async def mount(self, socket: ComponentSocket) -> None:
        socket.assign(n=0)

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> None:
        socket.assign(n=socket.assigns.n + 1)

    def render(self, assigns: Assigns) -> h.Element:
        return h.li(id=f"item-{assigns.id}")[h.span[assigns.label], h.output[assigns.n]]


class ItemsPage(LiveView):
    def render(self, assigns: Assigns) -> h.Element:
        return h.ul[[live_component(Item, i, label=f"Item {i}") for i in assigns.ids]]


def components_run(n: int, repeat: int) -> None:
    """Join a page of ``n`` LiveComponents, then time events that change one of them."""
    renders: list[int] = []
    render = ComponentRegistry.render

    async def counting(self: ComponentRegistry, live: Any) -> Any:
        out = await render(self, live)
        renders.append(len(out))
        return out

    async def scenario() -> None:
        effects = Effects.for_view()
        effects.assign({"ids": list(range(n))})
        socket = Socket("phx-bench", effects)
        tree = ViewTree(socket, effects, Tokens("bench-" * 6), connected=True)
        view = ItemsPage()
        t0 = time.perf_counter()
        join = await tree.diff(view, effects.assigns, effects.changed)
        join_time = time.perf_counter() - t0
        effects.rendered()
        join_bytes = len(orjson.dumps(join))
        times: list[float] = []
        diff: Json | None = None
        renders.clear()
        for i in range(repeat):
            cid = 1 + (i * 7919) % n
            gc.disable()
            try:
                t0 = time.perf_counter()
                await tree.components.handle_event(cid, "inc", {})
                diff = await tree.diff(view, effects.assigns, set())
                times.append(time.perf_counter() - t0)
            finally:
                gc.enable()
        assert diff is not None and list(diff) == ["c"] and len(diff["c"]) == 1, diff
        print(f"\nLiveComponents: a page of {n:,} components, an event changes one")
        rows = [
            ["join", fmt_time(join_time), fmt_bytes(join_bytes), f"{n:,}"],
            [
                f"event on one component (median of {repeat})",
                fmt_time(statistics.median(times)),
                fmt_bytes(len(orjson.dumps(diff))),
                f"{max(renders)} (diff: {len(diff['c'])} component)",
            ],
        ]
        print(markdown(["operation", "time", "payload", "components rendered"], rows, {1, 2}))
        print(f"  event diff: {orjson.dumps(diff).decode()}")

    ComponentRegistry.render = counting  # type: ignore[method-assign]
    try:
        anyio.run(scenario)
    finally:
        ComponentRegistry.render = render  # type: ignore[method-assign]


def _phases(engine: Engine, t: Timing) -> str:
    return ", ".join(
        f"{name} {fmt_time(s)}" for name, s in zip(engine.phase_names, t.phases, strict=True)
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.engine",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rows", type=int, default=1000, help="table rows (default 1000)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the number of timed runs (default 1)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--show", action="store_true", help="print the start of each payload")
    args = parser.parse_args(argv)
    if args.rows < 220:
        parser.error("--rows must be at least 220 (the scenarios edit rows 100 to n-10)")
    run(args.rows, args.scale, args.warmup, args.show)
    components_run(args.rows, max(3, round(200 * args.scale)))


if __name__ == "__main__":
    main()
