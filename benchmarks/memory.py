"""Memory a server keeps per connected LiveView: pylive next to pyview, in-process.

Run ``python -m benchmarks.memory`` (``nox -s bench`` runs it last). For the gallery's counter and
1,000-row table, and pyview's equivalents in ``benchmarks/live_pyview_app.py``, it mounts the
view as each server does, renders the join, applies 20 updates with their diffs, and measures
with ``tracemalloc`` what stays allocated:

* **after mount**: the view and its assigns (pylive: frozen slotted ``Row`` dataclasses in the
  gallery; pyview: dicts, its usual form), measured from before the mount;
* **render state**: what rendering adds and keeps between events (pylive: the compiled
  template's memo and the client tree; pyview: the previous render tree it diffs against).

Connection objects (socket tasks, mailboxes, buffers) are not counted on either side. A warm-up
build runs first so that compiled code and caches are not counted. The gallery pages carry more
markup than pyview's (navigation, flash, more buttons), which counts against pylive. It prints
figures; it never asserts.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.live import COUNTER_PATH, TABLE_PATH, row_of, run_sync, table

__all__ = ["main"]

UPDATES = 20


@dataclass
class Held:
    mounted: int  # bytes held after mount
    total: int  # bytes held after the join and the updates

    @property
    def render_state(self) -> int:
        return self.total - self.mounted


Build = Callable[[Callable[[], None]], Any]
"""Mounts a view, calls its argument (the "mounted" mark), renders and updates; returns the
objects a server would keep (so they stay alive while measured)."""


def held(build: Build) -> Held:
    """Bytes allocated and still alive after ``build``, at its mark and at its end."""
    build(lambda: None)  # warm-up: imports, compiled templates, interned statics
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    marks: list[int] = []

    def mark() -> None:
        gc.collect()
        marks.append(tracemalloc.get_traced_memory()[0] - base)

    kept = build(mark)
    gc.collect()
    total = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del kept
    return Held(marks[0], total)


def pylive_build(
    path: str, query: str, event: str, values: Callable[[int], dict[str, Any]]
) -> Build:
    from gallery.app import app
    from pylive.effects import Effects
    from pylive.lifecycle import mount_view
    from pylive.socket import Socket
    from pylive.view_tree import ViewTree

    def build(mark: Callable[[], None]) -> Any:
        match = app.runtime.router.match(path, query)
        assert match is not None, path
        effects = Effects.for_view()
        socket = Socket("phx-memory", effects)
        uri = f"http://127.0.0.1{path}?{query}"
        view = run_sync(mount_view(match, socket, effects, {}, uri))
        mark()
        tree = ViewTree(socket, effects, app.runtime.tokens, connected=True)
        run_sync(tree.diff(view, effects.assigns, effects.changed))
        effects.rendered()
        for k in range(UPDATES):
            run_sync(view.handle_event(socket, event, values(k)))
            run_sync(tree.diff(view, effects.assigns, effects.changed))
            effects.rendered()
        return view, socket, tree

    return build


def pyview_build(
    view_class: str, n_rows: int | None, event: str, values: Callable[[int], dict[str, Any]]
) -> Build:
    from pyview.live_socket import UnconnectedSocket
    from pyview.meta import PyViewMeta
    from pyview.template.render_diff import calc_diff

    import benchmarks.live_pyview_app as peer

    def build(mark: Callable[[], None]) -> Any:
        view = getattr(peer, view_class)()
        sock: Any = UnconnectedSocket()
        run_sync(view.mount(sock, {}))
        if n_rows is not None:
            sock.context["rows"] = peer.make_rows(n_rows)
        mark()
        meta = PyViewMeta(socket=sock)
        prev = run_sync(view.render(sock.context, meta)).tree()
        for k in range(UPDATES):
            run_sync(view.handle_event(event, values(k), sock))
            new = run_sync(view.render(sock.context, meta)).tree()
            calc_diff(prev, new)
            prev = new
        return view, sock, prev

    return build


def _kib(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 1024:,.1f} KiB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__)
    parser.add_argument("--rows", type=int, default=1000, help="table rows (default 1000)")
    args = parser.parse_args(argv)
    n = args.rows
    with_pyview = importlib.util.find_spec("pyview") is not None

    def touched(k: int) -> dict[str, Any]:
        return {"row": str(row_of(k, n))}

    scenarios = [
        (
            "counter",
            pylive_build(COUNTER_PATH, "", "inc", lambda k: {}),
            ("PyviewCounter", None, "inc", lambda k: {}),
        ),
        (
            f"{n:,}-row table",
            pylive_build(TABLE_PATH, f"rows={n}", "touch", touched),
            ("PyviewTable", n, "touch", touched),
        ),
    ]
    rows = []
    for label, pl_build, pv_args in scenarios:
        pl = held(pl_build)
        pv = held(pyview_build(*pv_args)) if with_pyview else None
        ratio = f"{pv.render_state / pl.render_state:.2f}x" if pv and pl.render_state else "n/a"
        rows.append(
            [
                label,
                _kib(pl.mounted),
                _kib(pl.render_state),
                _kib(pv.mounted if pv else None),
                _kib(pv.render_state if pv else None),
                ratio,
            ]
        )
    print(
        f"Memory held per LiveView after mount, then after the join and {UPDATES} updates "
        "(tracemalloc; connection objects not counted)"
    )
    head = ["view", "pylive mount", "pylive render state", "pyview mount", "pyview render state"]
    print(table([*head, "pyview/pylive (render state)"], rows))
    if not with_pyview:
        print("(pyview-web not installed here; nox -s bench has it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
