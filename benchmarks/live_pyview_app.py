"""The benchmark's counter and table demos written for pyview (``pyview-web``), the peer.

The pages and events of the gallery demos: ``/demos/counter`` (``inc``) and
``/demos/table?rows=N`` (``touch`` with ``phx-value-row``, ``tick``). The markup is leaner than
the gallery's (no navigation, flash or extra buttons), which can only favour pyview.
Templates are inline ibis templates, pyview's template engine on Python < 3.14 (its t-string
templates need 3.14); the context is a plain dict, which pyview renders without the
dataclass-to-dict conversion it applies to other contexts.

pyview-web is not a dependency of pylive: only the ``bench`` nox session installs it. Run with
``hypercorn benchmarks.live_pyview_app:app``.
"""

from __future__ import annotations

from typing import Any

from pyview import LiveView, LiveViewSocket, PyView
from pyview.meta import PyViewMeta
from pyview.template import LiveRender, LiveTemplate
from pyview.vendor.ibis import Template

from benchmarks.table_rows import make_rows

__all__ = ["TABLE_TEMPLATE", "PyviewCounter", "PyviewTable", "app", "make_rows"]

COUNTER_TEMPLATE = LiveTemplate(
    Template(
        '<div id="counter"><h1>Count: {{ count }}</h1><button phx-click="inc">+</button></div>'
    )
)

TABLE_TEMPLATE = LiveTemplate(
    Template(
        '<div id="table-demo"><h1>Ticks: {{ ticks }}</h1>'
        '<button phx-click="tick">tick</button>'
        '<table id="rows"><thead><tr><th>ID</th><th>Label</th><th>Value</th><th></th></tr>'
        "</thead><tbody>"
        "{% for r in rows %}"
        '<tr id="row-{{ r.id }}"><td>{{ r.id }}</td><td>{{ r.label }}</td>'
        "<td>{{ r.value }}</td>"
        '<td><button phx-click="touch" phx-value-row="{{ r.id }}">touch</button></td></tr>'
        "{% endfor %}"
        "</tbody></table></div>"
    )
)


class PyviewCounter(LiveView[dict[str, Any]]):
    async def mount(self, socket: LiveViewSocket[dict[str, Any]], session: dict[str, Any]) -> None:
        socket.context = {"count": 0}

    async def handle_event(
        self, event: str, payload: dict[str, Any], socket: LiveViewSocket[dict[str, Any]]
    ) -> None:
        if event == "inc":
            socket.context["count"] += 1

    async def render(self, assigns: dict[str, Any], meta: PyViewMeta) -> LiveRender:
        return LiveRender(COUNTER_TEMPLATE, assigns, meta)


class PyviewTable(LiveView[dict[str, Any]]):
    async def mount(self, socket: LiveViewSocket[dict[str, Any]], session: dict[str, Any]) -> None:
        socket.context = {"ticks": 0, "rows": make_rows(1000)}

    async def handle_params(
        self, url: Any, params: dict[str, Any], socket: LiveViewSocket[dict[str, Any]]
    ) -> None:
        raw = params.get("rows", "1000")  # pyview hands a Params object (first value)
        n = int(raw[0] if isinstance(raw, list) else raw)
        if n != len(socket.context["rows"]):
            socket.context["rows"] = make_rows(n)

    async def handle_event(
        self, event: str, payload: dict[str, Any], socket: LiveViewSocket[dict[str, Any]]
    ) -> None:
        if event == "touch":
            row = socket.context["rows"][int(payload["row"])]
            row["value"] += 1
        elif event == "tick":
            socket.context["ticks"] += 1

    async def render(self, assigns: dict[str, Any], meta: PyViewMeta) -> LiveRender:
        return LiveRender(TABLE_TEMPLATE, assigns, meta)


app = PyView()
app.add_live_view("/demos/counter", PyviewCounter)
app.add_live_view("/demos/table", PyviewTable)
