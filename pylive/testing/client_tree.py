"""The official client's view of a LiveView: a Python port of ``rendered.js``
(phoenix_live_view 1.2.12), the code that merges every diff into the cached tree and renders
that tree to HTML (phoenix_live_view's ``assets/js/phoenix_live_view/rendered.js``).

This is deliberately *not* pylive's engine run backwards: it follows the client line by line,
so a server bug (a missing ``kc``, a move without ``km``, an integer ``s`` without a table in
scope, a number where a string belongs) shows here exactly as it would in a browser. Where the
client would throw, ``ClientError`` is raised; where it would silently render something odd
(``undefined`` for a missing dynamic, zero rows for ``k`` without ``kc``) the same odd output is
produced.

The tree is plain JSON (dicts, lists, strings, numbers). Like the client, the cache keeps a few
private keys on nodes: ``magicId``, ``newRender`` and ``reset`` (client bookkeeping) and
``pyliveStreamRef`` (this port: which stream a comprehension feeds once its rows were handed
to the DOM).

Renders come in two flavours:

* ``to_string`` / ``component_to_string``: the client's own render, with change tracking —
  magic ids, component attributes, skipped shells — and its side effects on the cache
  (template tables resolved into ``s``, stream rows emptied). Run once per applied diff, as
  the client does, so the cache evolves exactly like the browser's.
* ``html``: a side-effect-free full render of the current cache (nothing skipped), plain or
  with component markers, optionally with stream containers filled from a ``StreamRows``
  provider (what the DOM holds, not the tree).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Protocol

from pylive.testing.modify_root import RootAttrs, modify_root

__all__ = [
    "ClientError",
    "ClientTree",
    "Extracted",
    "StreamRows",
    "StreamUpdate",
    "extract",
    "is_cid",
]

Node = dict[str, Any]

COMPONENTS: Final = "c"
STATIC: Final = "s"
ROOT: Final = "r"
KEYED: Final = "k"
KEYED_COUNT: Final = "kc"
KEYED_MOVED: Final = "km"
TEMPLATES: Final = "p"
STREAM: Final = "stream"
REPLY: Final = "r"
EVENTS: Final = "e"
TITLE: Final = "t"
PHX_MAGIC_ID: Final = "data-phx-id"
PHX_COMPONENT: Final = "data-phx-component"
PHX_VIEW_REF: Final = "data-phx-view"
PHX_SKIP: Final = "data-phx-skip"
STREAM_REF_KEY: Final = "pyliveStreamRef"

Markers = Literal["client", "components", "none"]
"""What a render injects into single-element roots: everything the client injects
(``data-phx-id``, component attributes, skip shells), only ``data-phx-component`` on
LiveComponent roots, or nothing (the plain HTML the server renders)."""

_MISSING: Final = object()


class ClientError(Exception):
    """The official client would throw here (the message says where and why)."""


@dataclass
class Extracted:
    """A diff split like ``Rendered.extract``: top-level ``t``, ``e`` and ``r`` removed."""

    diff: Node
    title: Any = _MISSING
    """The ``t`` value, or the module's missing marker (check with ``has_title``)."""
    reply: Any = None
    events: list[Any] = field(default_factory=list)

    @property
    def has_title(self) -> bool:
        """Whether the diff carried a ``t`` key."""
        return self.title is not _MISSING


def extract(diff: Node) -> Extracted:
    """Remove ``r``, ``e`` and ``t`` from the top level of ``diff`` (mutated, like the client)."""
    reply = diff.pop(REPLY, None)
    events = diff.pop(EVENTS, None)
    title = diff.pop(TITLE, _MISSING)
    return Extracted(diff, title, reply or None, events or [])


def is_cid(value: object) -> bool:
    """JS ``isCid``: a number, or a string of decimal digits without leading zeros."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str) and value:
        return value == "0" or (value[0] in "123456789" and value.isdigit() and value.isascii())
    return False


def _js_number_key(value: float) -> str:
    """A number as JS turns it into a property key (``1.0`` → ``"1"``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _js_str(value: Any) -> str:
    """What ``html += value`` appends in JS for a non-object dynamic."""
    if value is _MISSING:
        return "undefined"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join("" if v is None or v is _MISSING else _js_str(v) for v in value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return _js_number_key(value)
    return str(value)


def _js_truthy(value: Any) -> bool:
    if value is _MISSING or value is None or value is False:
        return False
    if isinstance(value, int | float | str):
        return bool(value)
    return True


def _js_keys(obj: Mapping[str, Any]) -> list[str]:
    """Keys in JS enumeration order: array-index keys ascending, then the rest as inserted."""
    index = sorted((k for k in obj if _is_index_key(k)), key=int)
    return index + [k for k in obj if not _is_index_key(k)]


def _is_index_key(key: str) -> bool:
    return key == "0" or (key[:1] in tuple("123456789") and key.isdigit() and key.isascii())


def _lt(a: Any, b: Any) -> bool:
    """JS ``a < b`` for the values a row count can hold (numbers or undefined)."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a < b
    return False


# --------------------------------------------------------------------------- streams


@dataclass(frozen=True)
class StreamRow:
    """One stream row handed to the DOM: its (resolved) statics and dynamics."""

    statics: list[str]
    node: Node
    templates: Node | None


@dataclass(frozen=True)
class StreamUpdate:
    """A stream instruction (``[ref, inserts, deletes(, reset)]``) with the rows rendered
    with it, as the client hands them to its DOM patch."""

    stream: list[Any]
    rows: list[StreamRow]

    @property
    def ref(self) -> str:
        """The stream's ref (``stream[0]``)."""
        return str(self.stream[0])


class StreamRows(Protocol):
    """Where a DOM-flavoured render gets the rows a stream container currently shows."""

    def rows(self, ref: str) -> Sequence[StreamRow]:
        """The rows of stream ``ref`` in DOM order."""
        ...


# --------------------------------------------------------------------------- output


class _Buffer:
    """The client's ``RenderingBuffer``: a string with nested single-element roots."""

    __slots__ = ("_inject", "_parts", "_pending")

    def __init__(self, inject: bool) -> None:
        self._inject = inject
        self._parts: list[str] = []
        self._pending: list[list[str]] = []

    def write(self, text: str) -> None:
        self._parts.append(text)

    def begin_root(self) -> None:
        if self._inject:
            self._pending.append(self._parts)
            self._parts = []

    def end_root(self, attrs: RootAttrs, clear: bool) -> None:
        if self._inject:
            root, before, after = modify_root("".join(self._parts), attrs, clear)
            self._parts = self._pending.pop()
            self._parts.append(before + root + after)

    def __str__(self) -> str:
        return "".join(self._parts)


@dataclass
class _Output:
    buffer: _Buffer
    components: Node
    only_cids: set[int | float] | None
    streams: list[StreamUpdate]


# --------------------------------------------------------------------------- the tree


class ClientTree:
    """The cached Rendered tree of one joined LiveView, as the official client keeps it."""

    def __init__(self, view_id: str, rendered: Node) -> None:
        """Build the cache from a join's ``rendered`` (already stripped by ``extract``)."""
        self.view_id = view_id
        self.rendered: Node = {}
        self._magic_id = 0
        self._markers: Markers = "client"
        self._stream_rows: StreamRows | None = None
        self.merge(rendered)

    # ------------------------------------------------------------------ merge

    @staticmethod
    def component_cids(diff: Node) -> list[int]:
        """The cids a diff's ``c`` names (``parseInt`` of its keys)."""
        return [int(k) for k in diff.get(COMPONENTS) or {} if k.isdigit() and k.isascii()]

    @staticmethod
    def is_component_only_diff(diff: Node) -> bool:
        """True for a diff whose only key is ``c`` (the client patches just those components)."""
        return _js_truthy(diff.get(COMPONENTS, _MISSING)) and len(diff) == 1

    def merge(self, diff: Node) -> None:
        """``Rendered.mergeDiff``: merge ``diff`` into the cache (the diff is adopted, and its
        ``c`` is replaced by the resolved component trees, as in the client)."""
        newc = diff.pop(COMPONENTS, None)
        self.rendered = self._mutable_merge(self.rendered, diff)
        if not isinstance(self.rendered.get(COMPONENTS), dict):
            self.rendered[COMPONENTS] = {}
        if newc:
            if not isinstance(newc, dict):
                raise ClientError(f"'c' must be an object of components, got {newc!r}")
            oldc: Node = self.rendered[COMPONENTS]
            cache: dict[str, Node] = {}
            for cid in _js_keys(newc):
                newc[cid] = self._cached_find_component(cid, newc[cid], oldc, newc, cache)
            for cid in _js_keys(newc):
                oldc[cid] = newc[cid]
            diff[COMPONENTS] = newc

    def _cached_find_component(
        self, cid: str, cdiff: Any, oldc: Node, newc: Node, cache: dict[str, Node]
    ) -> Node:
        if cid in cache:
            return cache[cid]
        if not isinstance(cdiff, dict):
            raise ClientError(f"component {cid}: expected an object, got {cdiff!r}")
        scid = cdiff.get(STATIC, _MISSING)
        if is_cid(scid):
            number = float(scid)
            if number > 0:
                key = _js_number_key(number)
                if key not in newc:
                    raise ClientError(
                        f"component {cid} shares the statics of component {key}, "
                        "which is not in this diff"
                    )
                tdiff = self._cached_find_component(key, newc[key], oldc, newc, cache)
            else:
                key = _js_number_key(-number)
                cached = oldc.get(key)
                if not isinstance(cached, dict):
                    raise ClientError(
                        f"component {cid} shares the statics of cached component {key}, "
                        "which the client does not have"
                    )
                tdiff = cached
            stat = tdiff.get(STATIC)
            ndiff = self._clone_merge(tdiff, cdiff, prune_magic_id=True)
            ndiff[STATIC] = stat
        elif STATIC in cdiff or cid not in oldc:
            ndiff = cdiff
        else:
            ndiff = self._clone_merge(oldc[cid], cdiff, prune_magic_id=False)
        cache[cid] = ndiff
        return ndiff

    def _mutable_merge(self, target: Node, source: Node) -> Node:
        if STATIC in source:
            return source
        self._do_mutable_merge(target, source)
        return target

    def _do_mutable_merge(self, target: Any, source: Any) -> None:
        if not isinstance(target, dict) or not isinstance(source, dict):
            raise ClientError(f"cannot merge {source!r} into {target!r}")
        if _js_truthy(source.get(KEYED, _MISSING)):
            self._merge_keyed(target, source)
        else:
            for key in _js_keys(source):
                val = source[key]
                target_val = target.get(key)
                if isinstance(val, dict) and STATIC not in val and isinstance(target_val, dict):
                    self._do_mutable_merge(target_val, val)
                else:
                    target[key] = val
        if _js_truthy(target.get(ROOT, _MISSING)):
            target["newRender"] = True

    def _merge_keyed(self, target: Node, source: Node) -> None:
        source_k = source[KEYED]
        if not isinstance(source_k, dict):
            raise ClientError(f"'k' must be an object, got {source_k!r}")
        target_k = target.get(KEYED)
        if not isinstance(target_k, dict):
            raise ClientError(
                f"keyed diff {source_k!r} for a node that is not a comprehension: {target!r}"
            )
        cloned = copy.deepcopy(target) if _js_truthy(source_k.get(KEYED_MOVED)) else None
        for i in _js_keys(source_k):
            if i in (KEYED_COUNT, KEYED_MOVED):
                continue
            entry = source_k[i]
            if isinstance(entry, list):
                old_idx = entry[0] if entry else _MISSING
                row_diff = entry[1] if len(entry) > 1 else _MISSING
                target_k[i] = self._moved_row(cloned, old_idx, i)
                self._do_mutable_merge(target_k[i], row_diff)
            elif isinstance(entry, int | float) and not isinstance(entry, bool):
                target_k[i] = self._moved_row(cloned, entry, i)
            elif entry is None or isinstance(entry, dict):
                if not _js_truthy(target_k.get(i, _MISSING)):
                    target_k[i] = {}
                self._do_mutable_merge(target_k[i], entry)
        new_count = source_k.get(KEYED_COUNT, _MISSING)
        old_count = target_k.get(KEYED_COUNT, _MISSING)
        if _lt(new_count, old_count):
            for gone in range(math.ceil(new_count), math.ceil(old_count)):
                target_k.pop(str(gone), None)
        if new_count is _MISSING:
            target_k.pop(KEYED_COUNT, None)
        else:
            target_k[KEYED_COUNT] = new_count
        if _js_truthy(source.get(STREAM, _MISSING)):
            target[STREAM] = source[STREAM]
        if _js_truthy(source.get(TEMPLATES, _MISSING)):
            target[TEMPLATES] = source[TEMPLATES]

    @staticmethod
    def _moved_row(cloned: Node | None, old_idx: Any, new_idx: str) -> Node:
        if cloned is None:
            raise ClientError(
                f"row {new_idx} is a move from {old_idx!r} but the keyed diff has no "
                "'km': true (the 1.2.8+ client throws a TypeError)"
            )
        key = _js_number_key(old_idx) if isinstance(old_idx, int | float) else str(old_idx)
        row = cloned[KEYED].get(key)
        if not isinstance(row, dict):
            raise ClientError(f"row {new_idx} moves from old row {key}, which does not exist")
        return row

    def _clone_merge(self, target: Node, source: Node, *, prune_magic_id: bool) -> Node:
        merged: Node
        if _js_truthy(source.get(KEYED, _MISSING)):
            merged = copy.deepcopy(target)
            self._merge_keyed(merged, source)
            if prune_magic_id:
                _prune_internal_ids(merged)
        else:
            merged = {**target, **source}
            for key in list(merged):
                val = source.get(key, _MISSING)
                target_val = target.get(key, _MISSING)
                if isinstance(val, dict) and STATIC not in val and isinstance(target_val, dict):
                    merged[key] = self._clone_merge(target_val, val, prune_magic_id=prune_magic_id)
                elif val is _MISSING and isinstance(target_val, dict):
                    merged[key] = self._clone_merge(target_val, {}, prune_magic_id=prune_magic_id)
        if prune_magic_id:
            merged.pop("magicId", None)
            merged.pop("newRender", None)
        elif _js_truthy(target.get(ROOT, _MISSING)):
            merged["newRender"] = True
        return merged

    def reset_render(self, cid: int) -> None:
        """Render component ``cid`` in full next time (the client's ``resetRender``)."""
        component = self.rendered[COMPONENTS].get(str(cid))
        if isinstance(component, dict):
            component["reset"] = True

    def prune_cids(self, cids: Iterable[int]) -> None:
        """Forget destroyed components (after the server confirmed ``cids_destroyed``)."""
        for cid in cids:
            self.rendered[COMPONENTS].pop(str(cid), None)

    # ------------------------------------------------------------------ client renders

    def to_string(self, only_cids: Iterable[int] | None = None) -> tuple[str, list[StreamUpdate]]:
        """``Rendered.toString``: the client's render of the whole view. ``only_cids`` are
        the components of the diff just merged (others become skipped shells); ``None`` for
        the join render."""
        self._markers, self._stream_rows = "client", None
        cids: set[int | float] | None = None if only_cids is None else set(only_cids)
        return self._recursive_to_string(self.rendered, self.rendered[COMPONENTS], cids, True, {})

    def component_to_string(self, cid: int) -> tuple[str, list[StreamUpdate]]:
        """``Rendered.componentToString``: one component's element, for a component patch."""
        self._markers, self._stream_rows = "client", None
        html, streams = self._recursive_cid_to_string(self.rendered[COMPONENTS], cid, None)
        stripped, _, _ = modify_root(html, {})
        return stripped, streams

    # ------------------------------------------------------------------ inspection renders

    def html(self, markers: Markers = "none", streams: StreamRows | None = None) -> str:
        """The whole view rendered from a copy of the cache, nothing skipped, no side effects.

        ``markers="none"`` gives the plain HTML (what the server renders for the same state);
        ``streams`` fills stream containers with the rows the DOM holds instead of the rows
        still in the tree.
        """
        snapshot = copy.deepcopy(self.rendered)
        _prune_internal_ids(snapshot)
        saved = self._markers, self._stream_rows, self._magic_id
        self._markers, self._stream_rows = markers, streams
        try:
            html, _ = self._recursive_to_string(snapshot, snapshot[COMPONENTS], None, False, {})
        finally:
            self._markers, self._stream_rows, self._magic_id = saved
        return html

    def row_html(self, row: StreamRow) -> str:
        """Plain HTML of one stream row (against the current components)."""
        node = copy.deepcopy(row.node)
        components = copy.deepcopy(self.rendered[COMPONENTS])
        saved = self._markers, self._stream_rows
        self._markers, self._stream_rows = "none", None
        try:
            output = _Output(_Buffer(False), components, None, [])
            self._dynamics_to_buffer(node, row.statics, row.templates, output, False)
        finally:
            self._markers, self._stream_rows = saved
        return str(output.buffer)

    def component_cids_in_view(self, also: Iterable[Any] = ()) -> set[int]:
        """Cids rendered somewhere in the view (reachable from the root, and from the nodes in
        ``also`` such as stream rows living in the DOM): the components whose elements exist."""
        found: set[int] = set()
        components: Node = self.rendered[COMPONENTS]
        pending: list[Any] = [self.rendered, *also]
        while pending:
            value = pending.pop()
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                cid = int(value)
                key = _js_number_key(value)
                if cid not in found and key in components:
                    found.add(cid)
                    pending.append(components[key])
            elif isinstance(value, dict):
                for key, child in value.items():
                    if key in (COMPONENTS, STATIC, TEMPLATES, STREAM, KEYED_COUNT, ROOT):
                        continue
                    if key in ("magicId", "newRender", "reset", STREAM_REF_KEY, KEYED_MOVED):
                        continue
                    pending.append(child)
        return found

    # ------------------------------------------------------------------ the walk

    def _recursive_to_string(
        self,
        rendered: Node,
        components: Node,
        only_cids: set[int | float] | None,
        change_tracking: bool,
        root_attrs: RootAttrs,
    ) -> tuple[str, list[StreamUpdate]]:
        inject = self._markers != "none"
        output = _Output(_Buffer(inject), components, only_cids, [])
        self._to_output_buffer(rendered, None, output, change_tracking, root_attrs)
        return str(output.buffer), output.streams

    def _template_static(self, part: Any, templates: Node | None) -> Any:
        if isinstance(part, int | float) and not isinstance(part, bool):
            if templates is None:
                raise ClientError(
                    f"statics {part!r} refer to a template table, but none is in scope "
                    "(the client throws a TypeError)"
                )
            return templates.get(_js_number_key(part), _MISSING)
        return part

    def _to_output_buffer(
        self,
        rendered: Node,
        templates: Node | None,
        output: _Output,
        change_tracking: bool,
        root_attrs: RootAttrs,
    ) -> None:
        if _js_truthy(rendered.get(KEYED, _MISSING)):
            self._comprehension_to_buffer(rendered, templates, output, change_tracking)
            return
        if _js_truthy(rendered.get(TEMPLATES, _MISSING)):
            templates = rendered.pop(TEMPLATES)
        statics = self._template_static(rendered.get(STATIC, _MISSING), templates)
        _put_statics(rendered, statics)
        is_root = _js_truthy(rendered.get(ROOT, _MISSING))
        if is_root:
            output.buffer.begin_root()
        if change_tracking and is_root and not rendered.get("magicId"):
            rendered["newRender"] = True
            self._magic_id += 1
            rendered["magicId"] = f"m{self._magic_id}-{self.view_id}"

        self._dynamics_to_buffer(rendered, statics, templates, output, change_tracking)

        if is_root:
            skip = False
            attrs: dict[str, str | int | bool]
            if change_tracking or rendered.get("magicId"):
                skip = change_tracking and not rendered.get("newRender")
                attrs = {PHX_MAGIC_ID: rendered.get("magicId", ""), **root_attrs}
            else:
                attrs = dict(root_attrs)
            if self._markers == "components":
                attrs = {k: v for k, v in attrs.items() if k == PHX_COMPONENT}
            if skip:
                attrs[PHX_SKIP] = True
            output.buffer.end_root(attrs, skip)
            rendered["newRender"] = False

    def _dynamics_to_buffer(
        self,
        node: Any,
        statics: Any,
        templates: Node | None,
        output: _Output,
        change_tracking: bool,
    ) -> None:
        if not isinstance(statics, list):
            raise ClientError(f"statics must be a list of strings, got {statics!r}")
        if not isinstance(node, dict):
            raise ClientError(f"expected dynamics for statics {statics!r}, got {node!r}")
        buffer = output.buffer
        for i in range(len(statics) - 1):
            buffer.write(_js_str(statics[i]))
            self._dynamic_to_buffer(node.get(str(i), _MISSING), templates, output, change_tracking)
        buffer.write(_js_str(statics[-1]) if statics else "undefined")

    def _comprehension_to_buffer(
        self, rendered: Node, templates: Node | None, output: _Output, change_tracking: bool
    ) -> None:
        keyed_templates = templates or rendered.get(TEMPLATES) or None
        statics = self._template_static(rendered.get(STATIC, _MISSING), templates)
        _put_statics(rendered, statics)
        rendered.pop(TEMPLATES, None)
        keyed = rendered[KEYED]
        stream_ref = rendered.get(STREAM_REF_KEY)
        stream = rendered.get(STREAM)
        if _js_truthy(stream):
            stream_ref = stream[0] if isinstance(stream, list) and stream else stream_ref
        if self._stream_rows is not None and stream_ref is not None:
            for row in self._stream_rows.rows(str(stream_ref)):
                self._dynamics_to_buffer(
                    copy.deepcopy(row.node), row.statics, row.templates, output, change_tracking
                )
            return
        count = keyed.get(KEYED_COUNT, _MISSING)
        i = 0
        while _lt(i, count):
            self._dynamics_to_buffer(
                keyed.get(str(i), _MISSING), statics, keyed_templates, output, change_tracking
            )
            i += 1
        if _js_truthy(stream):
            self._hand_over_stream(rendered, stream, statics, keyed_templates, output)

    def _hand_over_stream(
        self,
        rendered: Node,
        stream: Any,
        statics: Any,
        templates: Node | None,
        output: _Output,
    ) -> None:
        """After rendering a stream comprehension with rows, deletes or a reset, give the
        instruction (and its rows) to the DOM and empty the cached rows (client behaviour)."""
        if not isinstance(stream, list) or len(stream) < 3:
            raise ClientError(f"'stream' must be [ref, inserts, deletes(, reset)], got {stream!r}")
        keyed = rendered[KEYED]
        count = keyed.get(KEYED_COUNT, 0)
        delete_ids = stream[2]
        reset = stream[3] if len(stream) > 3 else _MISSING
        has_rows = isinstance(count, int | float) and count > 0
        if has_rows or (isinstance(delete_ids, list) and delete_ids) or _js_truthy(reset):
            rows = [
                StreamRow(statics, copy.deepcopy(keyed[str(i)]), templates)
                for i in range(int(count) if has_rows else 0)
                if isinstance(keyed.get(str(i)), dict)
            ]
            del rendered[STREAM]
            rendered[KEYED] = {KEYED_COUNT: 0}
            rendered[STREAM_REF_KEY] = stream[0]
            if not any(update.stream is stream for update in output.streams):
                output.streams.append(StreamUpdate(stream, rows))

    def _dynamic_to_buffer(
        self, rendered: Any, templates: Node | None, output: _Output, change_tracking: bool
    ) -> None:
        if isinstance(rendered, int | float) and not isinstance(rendered, bool):
            html, streams = self._recursive_cid_to_string(
                output.components, rendered, output.only_cids
            )
            output.buffer.write(html)
            for update in streams:
                if not any(u.stream is update.stream for u in output.streams):
                    output.streams.append(update)
        elif isinstance(rendered, dict):
            self._to_output_buffer(rendered, templates, output, change_tracking, {})
        else:
            output.buffer.write(_js_str(rendered))

    def _recursive_cid_to_string(
        self, components: Node, cid: float, only_cids: set[int | float] | None
    ) -> tuple[str, list[StreamUpdate]]:
        key = _js_number_key(cid)
        component = components.get(key)
        if not isinstance(component, dict):
            raise ClientError(
                f"no component for CID {key}: Cannot continue render due to missing component"
            )
        skip = only_cids is not None and cid not in only_cids
        component["newRender"] = not skip
        component["magicId"] = f"c{key}-{self.view_id}"
        change_tracking = not component.get("reset")
        attrs: RootAttrs = {PHX_COMPONENT: int(cid), PHX_VIEW_REF: self.view_id}
        result = self._recursive_to_string(component, components, only_cids, change_tracking, attrs)
        component.pop("reset", None)
        return result


def _put_statics(node: Node, statics: Any) -> None:
    """Store resolved statics in the cache (an unresolvable index leaves none, as in JS)."""
    if statics is _MISSING:
        node.pop(STATIC, None)
    else:
        node[STATIC] = statics


def _prune_internal_ids(node: Any) -> None:
    """Drop ``magicId``/``newRender`` everywhere below ``node`` (``pruneInternalIds``)."""
    if isinstance(node, dict):
        for value in node.values():
            _prune_internal_ids(value)
        node.pop("magicId", None)
        node.pop("newRender", None)
    elif isinstance(node, list):
        for value in node:
            _prune_internal_ids(value)
