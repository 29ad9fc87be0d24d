"""JS commands: client-side operations rendered into ``phx-*`` attributes, as Phoenix's
``Phoenix.LiveView.JS``.

A ``JS`` is an immutable list of commands; each method returns a new ``JS`` with one more::

    button(phx_click=JS().push("inc").toggle(to="#menu"))

Rendered, it is the JSON command list the official client runs (``[["push",{"event":"inc"}],
["toggle",{"to":"#menu"}]]``), HTML-escaped by htpy like any attribute value. The encoding is
Phoenix's: one ``[kind, args]`` pair per command, arguments that were not given left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias, final

from markupsafe import Markup, escape

__all__ = ["JS", "Selector", "Transition"]

Selector: TypeAlias = str | tuple[Literal["inner", "closest", "document"], str]
"""A CSS selector, matched in the whole document, or ``("inner", sel)`` (inside the element the
command runs on), ``("closest", sel)`` (its closest ancestor-or-self matching) or
``("document", sel)`` (the same as ``sel``)."""

Transition: TypeAlias = str | tuple[str, str, str]
"""Classes applied for the duration of a transition (``"ease-out duration-300"``), or a 3-tuple:
those classes, the classes of the start state and those of the end state
(``("ease-out duration-300", "opacity-0", "opacity-100")``)."""

_SCOPES: Final = ("inner", "closest", "document")
_SCHEME = re.compile(r"[^:/?#]*:")


def _encode(value: Any, what: str) -> str:
    """Compact JSON of ``value`` (no ASCII escaping, as Phoenix's Jason), or a clear error."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{what} must be JSON-encodable: {exc}") from None


def _str(value: object, what: str, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {value!r} ({type(value).__name__})")
    if not empty and not value:
        raise ValueError(f"{what} must not be empty")
    return value


def _bool(value: object, what: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{what} must be True or False, got {value!r}")
    return value


def _time(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"time must be an int of milliseconds, got {value!r}")
    if value < 0:
        raise ValueError(f"time must not be negative, got {value}")
    return value


def _to(value: object) -> str | dict[str, str] | None:
    """The ``to`` argument as the client reads it: a selector string or ``{scope: sel}``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        scope, selector = value
        selector = _str(selector, "the selector of a scoped `to`")
        if scope == "document":
            return selector
        if scope in _SCOPES:
            return {scope: selector}
        raise ValueError(f"the scope of `to` must be one of {', '.join(_SCOPES)}; got {scope!r}")
    raise TypeError(
        "`to` must be a selector str or a (scope, selector) tuple such as "
        f"('closest', '.menu'), got {value!r}"
    )


def _classes(names: object, what: str = "class names") -> list[str]:
    return _str(names, what).split()


def _transition(value: object, what: str = "transition") -> list[list[str]] | None:
    """``[[classes], [start], [end]]``: the shape the client reads."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value.split(), [], []]
    if isinstance(value, tuple | list):
        if len(value) != 3:
            raise ValueError(
                f"{what} must be a str or a 3-tuple (classes, start classes, end classes), "
                f"got a {len(value)}-tuple {value!r}"
            )
        return [_classes(part, f"each part of {what}") for part in value]
    raise TypeError(
        f"{what} must be a str of classes or a 3-tuple (classes, start, end), got {value!r}"
    )


def _href(href: object, command: str) -> str:
    """A path or an http(s) URL, as Phoenix accepts for live navigation."""
    href = _str(href, f"the href of {command}", empty=False)
    scheme = _SCHEME.match(href)
    if scheme and scheme.group()[:-1].lower() not in ("http", "https"):
        raise ValueError(
            f"unsupported scheme {scheme.group()[:-1]!r} given to JS.{command}: patch and "
            "navigate destinations must be a path or an http(s) URL of a LiveView; use a plain "
            f"link (href={href!r}) for anything else"
        )
    return href


@final
class JS:
    """An immutable, chainable list of JS commands; render it as any ``phx-*`` attribute.

    ``str(js)`` is the JSON command list; ``js.__html__()`` the same, HTML-escaped. Two
    ``JS`` are equal when their commands are, and ``a + b`` (or ``a.concat(b)``) runs the
    commands of ``a`` then those of ``b``.
    """

    __slots__ = ("_ops",)

    _ops: tuple[str, ...]
    """Each command, already encoded as JSON (``["kind",{...}]``)."""

    def __init__(self) -> None:
        object.__setattr__(self, "_ops", ())

    @classmethod
    def _of(cls, ops: tuple[str, ...]) -> JS:
        js = cls.__new__(cls)
        object.__setattr__(js, "_ops", ops)
        return js

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"JS is immutable: its methods return a new JS (setting {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"JS is immutable (deleting {name!r})")

    def __copy__(self) -> JS:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> JS:
        return self

    def __reduce__(self) -> tuple[Any, tuple[tuple[str, ...]]]:
        return _rebuild, (self._ops,)

    def _put(self, kind: str, **args: Any) -> JS:
        present = {key: args[key] for key in sorted(args) if args[key] is not None}
        encoded = _encode(present, f"the arguments of {kind}")
        return JS._of((*self._ops, f"[{_encode(kind, 'kind')},{encoded}]"))

    # -- rendering -----------------------------------------------------------------------------

    def __str__(self) -> str:
        return "[" + ",".join(self._ops) + "]"

    def __html__(self) -> Markup:
        return escape(str(self))

    def __repr__(self) -> str:
        return f"<JS {self}>"

    @property
    def ops(self) -> list[list[Any]]:
        """The commands as ``[kind, args]`` lists (a fresh copy), e.g. for a ``push_event``
        payload that a hook runs with ``this.js().exec(...)``."""
        result: list[list[Any]] = json.loads(str(self))
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JS) and self._ops == other._ops

    def __hash__(self) -> int:
        return hash(self._ops)

    def concat(self, other: JS) -> JS:
        """The commands of this ``JS``, then those of ``other``."""
        if not isinstance(other, JS):
            raise TypeError(f"can only concatenate JS with JS, got {other!r}")
        return JS._of(self._ops + other._ops)

    def __add__(self, other: JS) -> JS:
        if not isinstance(other, JS):
            return NotImplemented
        return self.concat(other)

    # -- server --------------------------------------------------------------------------------

    def push(
        self,
        event: str,
        *,
        value: Mapping[str, Any] | None = None,
        target: str | int | None = None,
        loading: str | None = None,
        page_loading: bool | None = None,
    ) -> JS:
        """Send ``event`` to the server, as the binding's own push would: ``value`` is merged
        over the element's ``phx-value-*``; ``target`` (a selector or a component's cid)
        replaces its ``phx-target``; ``loading`` is a selector of other elements that get the
        loading class while the event is pending; ``page_loading`` shows the page loading bar.
        """
        _str(event, "the event of push", empty=False)
        if value is not None and not isinstance(value, Mapping):
            raise TypeError(f"the value of push must be a mapping, got {value!r}")
        if target is not None and (isinstance(target, bool) or not isinstance(target, str | int)):
            raise TypeError(f"the target of push must be a selector or a cid, got {target!r}")
        if loading is not None:
            _str(loading, "the loading selector of push")
        return self._put(
            "push",
            event=event,
            value=dict(value) if value is not None else None,
            target=target,
            loading=loading,
            page_loading=_bool(page_loading, "page_loading"),
        )

    def navigate(self, href: str, *, replace: bool = False) -> JS:
        """Live navigation to ``href`` (another LiveView of the same live session), pushing a
        browser history entry, or replacing the current one."""
        return self._put(
            "navigate", href=_href(href, "navigate"), replace=bool(_bool(replace, "replace"))
        )

    def patch(self, href: str, *, replace: bool = False) -> JS:
        """Live patch to ``href`` (the same LiveView: ``handle_params`` runs), pushing a browser
        history entry, or replacing the current one."""
        return self._put(
            "patch", href=_href(href, "patch"), replace=bool(_bool(replace, "replace"))
        )

    # -- visibility ----------------------------------------------------------------------------

    def show(
        self,
        *,
        to: Selector | None = None,
        transition: Transition | None = None,
        time: int | None = None,
        display: str | None = None,
        blocking: bool | None = None,
    ) -> JS:
        """Show the elements (``style.display``: ``display``, by default ``block``, or
        ``table-row``/``table-cell`` for rows and cells), with an optional transition of
        ``time`` ms (200 by default); ``blocking=False`` does not hold the UI meanwhile."""
        return self._put(
            "show",
            to=_to(to),
            transition=_transition(transition),
            time=_time(time),
            display=_str(display, "display") if display is not None else None,
            blocking=_bool(blocking, "blocking"),
        )

    def hide(
        self,
        *,
        to: Selector | None = None,
        transition: Transition | None = None,
        time: int | None = None,
        blocking: bool | None = None,
    ) -> JS:
        """Hide the elements (``display: none``), with an optional transition; only visible
        elements are affected."""
        return self._put(
            "hide",
            to=_to(to),
            transition=_transition(transition),
            time=_time(time),
            blocking=_bool(blocking, "blocking"),
        )

    def toggle(
        self,
        *,
        to: Selector | None = None,
        in_: Transition | None = None,
        out: Transition | None = None,
        time: int | None = None,
        display: str | None = None,
        blocking: bool | None = None,
    ) -> JS:
        """Show the hidden elements and hide the visible ones, with the transition ``in_``
        when showing and ``out`` when hiding (Phoenix's ``in:`` and ``out:``)."""
        return self._put(
            "toggle",
            to=_to(to),
            ins=_transition(in_, "in_"),
            outs=_transition(out, "out"),
            time=_time(time),
            display=_str(display, "display") if display is not None else None,
            blocking=_bool(blocking, "blocking"),
        )

    # -- classes -------------------------------------------------------------------------------

    def _class_op(
        self,
        kind: str,
        names: str,
        to: Selector | None,
        transition: Transition | None,
        time: int | None,
        blocking: bool | None,
    ) -> JS:
        return self._put(
            kind,
            names=_classes(names),
            to=_to(to),
            transition=_transition(transition),
            time=_time(time),
            blocking=_bool(blocking, "blocking"),
        )

    def add_class(
        self,
        names: str,
        *,
        to: Selector | None = None,
        transition: Transition | None = None,
        time: int | None = None,
        blocking: bool | None = None,
    ) -> JS:
        """Add the space-separated class ``names``, after an optional transition."""
        return self._class_op("add_class", names, to, transition, time, blocking)

    def remove_class(
        self,
        names: str,
        *,
        to: Selector | None = None,
        transition: Transition | None = None,
        time: int | None = None,
        blocking: bool | None = None,
    ) -> JS:
        """Remove the space-separated class ``names``, after an optional transition."""
        return self._class_op("remove_class", names, to, transition, time, blocking)

    def toggle_class(
        self,
        names: str,
        *,
        to: Selector | None = None,
        transition: Transition | None = None,
        time: int | None = None,
        blocking: bool | None = None,
    ) -> JS:
        """Add each of the class ``names`` the element lacks and remove those it has."""
        return self._class_op("toggle_class", names, to, transition, time, blocking)

    def transition(
        self,
        transition: Transition,
        *,
        to: Selector | None = None,
        time: int | None = None,
        blocking: bool | None = None,
    ) -> JS:
        """Apply ``transition`` classes for ``time`` ms (200 by default), then take them off."""
        if transition is None:
            raise TypeError("transition needs its classes (a str or a 3-tuple)")
        return self._put(
            "transition",
            transition=_transition(transition),
            to=_to(to),
            time=_time(time),
            blocking=_bool(blocking, "blocking"),
        )

    # -- attributes ----------------------------------------------------------------------------

    def set_attribute(self, name: str, value: str, *, to: Selector | None = None) -> JS:
        """Set the attribute ``name`` to ``value``. (Not a DOM property: an input's typed
        value is not changed by ``value``; dispatch an event to a listener for that.)"""
        attr = [_str(name, "the attribute name", empty=False), _str(value, "the attribute value")]
        return self._put("set_attr", attr=attr, to=_to(to))

    def remove_attribute(self, name: str, *, to: Selector | None = None) -> JS:
        """Remove the attribute ``name``."""
        return self._put(
            "remove_attr", attr=_str(name, "the attribute name", empty=False), to=_to(to)
        )

    def toggle_attribute(
        self, name: str, value: str, other: str | None = None, *, to: Selector | None = None
    ) -> JS:
        """Without ``other``: set ``name`` to ``value`` if the element lacks it, else remove it.
        With ``other``: set it to ``other`` when it is ``value``, else to ``value``
        (``toggle_attribute("aria-expanded", "true", "false")``)."""
        attr = [_str(name, "the attribute name", empty=False), _str(value, "the attribute value")]
        if other is not None:
            attr.append(_str(other, "the other attribute value"))
        return self._put("toggle_attr", attr=attr, to=_to(to))

    def ignore_attributes(self, names: str | Sequence[str], *, to: Selector | None = None) -> JS:
        """Keep the attributes ``names`` (``*`` is a wildcard: ``"data-*"``) as the client has
        them across server patches, e.g. ``phx_mounted=JS().ignore_attributes("open")`` on a
        ``<dialog>``."""
        attrs = [names] if isinstance(names, str) else _names(names)
        return self._put("ignore_attrs", attrs=attrs, to=_to(to))

    # -- events and focus ----------------------------------------------------------------------

    def dispatch(
        self,
        event: str,
        *,
        to: Selector | None = None,
        detail: Mapping[str, Any] | None = None,
        bubbles: bool | None = None,
        blocking: bool | None = None,
    ) -> JS:
        """Dispatch the DOM event ``event`` (a ``CustomEvent`` whose ``detail`` also holds the
        ``dispatcher`` element; ``"click"`` is a real ``MouseEvent``, without detail).
        ``bubbles`` is true by default; ``blocking=True`` holds the UI until a listener calls
        ``event.detail.done()``."""
        _str(event, "the event of dispatch", empty=False)
        if detail is not None:
            if not isinstance(detail, Mapping):
                raise TypeError(f"the detail of dispatch must be a mapping, got {detail!r}")
            if event == "click":
                raise ValueError(
                    "click events cannot be dispatched with a detail (the browser replaces a "
                    "MouseEvent's detail with a number): dispatch an event of your own instead"
                )
            if blocking and "done" in detail:
                raise ValueError(
                    "the detail of a blocking dispatch must not have a 'done' key: "
                    "the client puts its done() function there"
                )
        return self._put(
            "dispatch",
            event=event,
            to=_to(to),
            detail=dict(detail) if detail is not None else None,
            bubbles=_bool(bubbles, "bubbles"),
            blocking=True if _bool(blocking, "blocking") else None,
        )

    def exec(self, attr: str, *, to: Selector | None = None) -> JS:
        """Run the JS commands held in the attribute ``attr`` (``"phx-remove"``) of the element
        (or of ``to``)."""
        return self._put("exec", attr=_str(attr, "the attribute of exec", empty=False), to=_to(to))

    def focus(self, *, to: Selector | None = None) -> JS:
        """Focus the element."""
        return self._put("focus", to=_to(to))

    def focus_first(self, *, to: Selector | None = None) -> JS:
        """Focus the first focusable element inside the element."""
        return self._put("focus_first", to=_to(to))

    def push_focus(self, *, to: Selector | None = None) -> JS:
        """Remember the element (by default the one the command runs on) for ``pop_focus``."""
        return self._put("push_focus", to=_to(to))

    def pop_focus(self) -> JS:
        """Focus the element last remembered by ``push_focus``."""
        return self._put("pop_focus")


def _rebuild(ops: tuple[str, ...]) -> JS:
    """Unpickle a ``JS``."""
    return JS._of(ops)


def _names(names: Iterable[object]) -> list[str]:
    if isinstance(names, Mapping) or not isinstance(names, Iterable):
        raise TypeError(f"attribute names must be a str or a list of str, got {names!r}")
    return [_str(name, "each attribute name", empty=False) for name in names]
