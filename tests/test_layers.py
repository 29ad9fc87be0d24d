"""The import graph of ``pylive``: no cycles, and no lower layer importing a higher one.

The layers follow the data path (docs/architecture.md): values and the render engine at the
bottom, then the transport and the Phoenix socket, the user API, the runtime around one view,
the channel and the HTTP render, the app. Every import counts, ``TYPE_CHECKING`` ones and those
inside functions too.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "pylive"

LAYERS: list[set[str]] = [
    {"pylive.errors"},
    {"pylive.rendered", "pylive.tokens", "pylive.params", "pylive.mailbox", "pylive.assigns"},
    {"pylive.telemetry_events"},  # what the runtime measures; pylive.telemetry sits higher
    {"pylive.rate_limit"},
    {"pylive.browser_headers", "pylive.address_rate_limit"},
    {"pylive.connection_limits", "pylive.csp"},
    {"pylive.urls", "pylive.render_context", "pylive.js", "pylive.streams", "pylive.forms"},
    {"pylive.uploads.config"},
    {
        "pylive.html",
        "pylive.html.links",
        "pylive.html.flash",
        "pylive.html.form_fields",
        "pylive.diff",
        "pylive.uploads",
        "pylive.uploads.html",
    },
    {"pylive.callbacks"},
    {"pylive.transport"},
    {"pylive.connection"},
    {"pylive.phoenix_socket"},
    {"pylive.pubsub"},
    {"pylive.effects", "pylive.lifecycle_hooks"},
    {"pylive.socket"},
    {"pylive.view", "pylive.live_component"},
    {"pylive.component_registry"},
    {"pylive.ui"},  # the component toolkit: function components over the layers before it
    {"pylive.telemetry"},  # metrics (prometheus_client) and the dashboard: a feature leaf
    {
        "pylive.routing",
        "pylive.session",
        "pylive.view_tree",
        "pylive.layout",
        "pylive.assets",
        "pylive.compression",
        "pylive.csrf",
    },
    {"pylive.live_render", "pylive.stash"},
    {"pylive.runtime", "pylive.lifecycle"},
    {"pylive.broadcast_view"},  # a feature leaf: broadcast views, one render for all viewers
    {"pylive.channel", "pylive.static", "pylive.longpoll_endpoint", "pylive.longpoll_relay"},
    {"pylive.upload_channel"},
    {"pylive.app", "pylive.embedding"},
    {"pylive.cli", "pylive"},
    {"pylive.testing"},
]
"""Low to high; a module may import its own layer's modules and lower ones."""

FORBIDDEN_EXTERNAL = {
    # the engine knows nothing of sockets or web frameworks; the transport nothing of htpy
    "pylive.rendered": {"starlette", "anyio", "htpy"},
    "pylive.diff": {"starlette", "anyio", "htpy"},
    "pylive.html": {"starlette", "anyio", "hypercorn"},
    "pylive.transport": {"htpy"},
    "pylive.phoenix_socket": {"htpy", "starlette"},
    "pylive.connection": {"htpy", "starlette"},
    "pylive.forms": {"starlette", "anyio", "htpy"},
    "pylive.uploads.config": {"starlette", "anyio", "htpy"},
    "pylive.pubsub": {"htpy", "starlette", "hypercorn"},  # a feature leaf: anyio, broadcaster
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    """Each module's imports of other pylive modules; a module's own enclosing packages are
    left out (``from pylive.testing import phoenix`` in a submodule is not a cycle)."""
    modules = {_name(p): p for p in ROOT.rglob("*.py") if "node_modules" not in p.parts}
    return {
        name: {i for i in _imports(path) if i in modules and not name.startswith(i + ".")} - {name}
        for name, path in modules.items()
    }


def _layer(module: str) -> int:
    """The layer of ``module``: that of the longest listed prefix."""
    best, depth = -1, -1
    for index, layer in enumerate(LAYERS):
        for unit in layer:
            if (module == unit or module.startswith(unit + ".")) and unit.count(".") > depth:
                best, depth = index, unit.count(".")
    assert best >= 0, f"{module} is in no layer: add it to LAYERS"
    return best


def _room(module: str, level: tuple[str, ...]) -> str | None:
    """The room of ``module`` inside package ``level``: a module there or a subfolder."""
    parts = tuple(module.split("."))
    if parts[: len(level)] != level or len(parts) == len(level):
        return None
    return ".".join(parts[: len(level) + 1])


def test_every_module_is_in_a_layer() -> None:
    for module in _graph():
        _layer(module)


def test_no_module_imports_a_higher_layer() -> None:
    wrong = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert wrong == []


def test_no_import_cycles_between_modules_or_rooms() -> None:
    graph = _graph()
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError on a module cycle
    packages = {tuple(m.split(".")) for m in graph if (ROOT.parent / m.replace(".", "/")).is_dir()}
    for level in packages:
        rooms: dict[str, set[str]] = {}
        for module, targets in graph.items():
            room = _room(module, level)
            if room is None:
                continue
            rooms.setdefault(room, set()).update(
                other for t in targets if (other := _room(t, level)) not in (None, room)
            )
        try:
            graphlib.TopologicalSorter(rooms).prepare()
        except graphlib.CycleError as cycle:
            pytest.fail(f"import cycle between rooms of {'.'.join(level)}: {cycle.args[1]}")


def test_the_engine_and_the_transport_keep_to_themselves() -> None:
    wrong = []
    for path in ROOT.rglob("*.py"):
        module = _name(path)
        for unit, banned in FORBIDDEN_EXTERNAL.items():
            if module == unit or module.startswith(unit + "."):
                roots = {i.split(".")[0] for i in _imports(path)}
                wrong += [f"{module} imports {b}" for b in sorted(roots & banned)]
    assert wrong == []
