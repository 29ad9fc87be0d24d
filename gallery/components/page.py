"""What every component page of the gallery shares: its examples, each shown live next to its
Python source (read from this package's files and highlighted with Pygments on the server),
and the component's attributes and slots, read from its declaration.

A page is a ``ComponentPage`` subclass listing its ``examples`` (functions of the assigns that
return htpy) and its ``components``; it adds ``mount``/``handle_event`` for its own state.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from htpy import (
    Element,
    Node,
    caption,
    code,
    div,
    h1,
    h2,
    main,
    p,
    pre,
    section,
    table,
    tbody,
    td,
    th,
    thead,
    tr,
)
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from gallery.layout import top_nav
from pylive import Assigns, LiveView, Socket
from pylive.html.compiler import CompiledTemplate
from pylive.ui import Crumb, breadcrumb, toast_group

Example = Callable[[Assigns], Node]
"""An example: a function of the page's assigns returning what it shows."""


@functools.cache
def source_of(example: Callable[..., Any]) -> Markup:
    """The example's source, highlighted (Pygments' spans; ``gallery.css`` colours them)."""
    text = inspect.getsource(example)
    return Markup(highlight(text, PythonLexer(), HtmlFormatter(nowrap=True)))


def example_title(example: Callable[..., Any]) -> str:
    """The first line of the example's docstring."""
    return (inspect.getdoc(example) or example.__name__).split("\n", 1)[0]


def example_text(example: Callable[..., Any]) -> str:
    """The rest of the example's docstring."""
    return (inspect.getdoc(example) or "").partition("\n")[2].strip()


@dataclass(frozen=True, slots=True)
class Attribute:
    """One row of a component's attributes table."""

    name: str
    type: str
    default: str
    doc: str
    slot: tuple[Attribute, ...] = ()


_DOC_LINE = re.compile(r"^\s{4,}([a-z_]+): (.*)$")


def attribute_docs(func: Callable[..., Any]) -> dict[str, str]:
    """``name: text`` lines of the docstring's ``Attributes:`` section (continuations joined)."""
    docs: dict[str, str] = {}
    doc = inspect.getdoc(func) or ""
    _, found, section_text = doc.partition("Attributes:")
    if not found:
        return docs
    last = None
    for line in section_text.splitlines():
        match = _DOC_LINE.match("    " + line) if line.startswith("    ") else None
        if match and not line.startswith("        "):
            last = match.group(1)
            docs[last] = match.group(2).strip()
        elif last and line.strip():
            docs[last] += " " + line.strip()
    return docs


def rich(text: str) -> list[Node]:
    """Docstring text with its ````code```` spans as ``<code>``."""
    return [code[part] if index % 2 else part for index, part in enumerate(text.split("``"))]


_DEFAULT_DOCS = {"class_": "more classes for the root element"}


def _type(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return str(text).replace("typing.", "")


def attributes(component: CompiledTemplate[Any]) -> list[Attribute]:
    """The attributes and slots of ``component``, from its declaration and docstring."""
    declared = component.declared
    docs = attribute_docs(component.func)
    rows = []
    for name, param in declared.full.parameters.items():
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            rest = docs.get(name, "other attributes, on the root element")
            rows.append(Attribute(f"**{name}", "any", "", rest))
            continue
        default = "required" if param.default is inspect.Parameter.empty else repr(param.default)
        entry = declared.entries.get(name)
        slot = ()
        if entry is not None and dataclasses.is_dataclass(entry):
            hints = {f.name: f for f in dataclasses.fields(entry)}
            slot = tuple(
                Attribute(
                    f.name,
                    _type(f.type),
                    "required" if f.default is dataclasses.MISSING else repr(f.default),
                    "",
                )
                for f in hints.values()
                if not f.name.startswith("_")
            )
        rows.append(
            Attribute(
                name,
                _type(param.annotation),
                default,
                docs.get(name, _DEFAULT_DOCS.get(name, "")),
                slot,
            )
        )
    return rows


def _default(default: str) -> str:
    return " (required)" if default == "required" else f" = {default}"


def attributes_table(component: CompiledTemplate[Any]) -> Element:
    """The table of ``component``'s attributes and slots."""
    name = component.attr_name
    return table(".attributes", id=f"attributes-{name}")[
        caption[code[f"{name}()"]],
        thead[
            tr[
                th(scope="col")["Name"],
                th(scope="col")["Type"],
                th(scope="col")["Default"],
                th(scope="col")["Description"],
            ]
        ],
        tbody[
            (
                tr[
                    td[code[row.name]],
                    td[code[row.type]],
                    td[code[row.default] if row.default else ""],
                    td[
                        rich(row.doc),
                        [
                            p(".slot-attrs")[
                                "Entry attributes: ",
                                [
                                    [
                                        code[f"{a.name}: {a.type}"],
                                        f" = {a.default}"
                                        if a.default != "required"
                                        else " (required)",
                                        "; ",
                                    ]
                                    for a in row.slot
                                ],
                            ]
                        ]
                        if row.slot
                        else None,
                    ],
                ]
                for row in attributes(component)
            )
        ],
    ]


def example_block(example: Example, assigns: Assigns) -> Element:
    """One example: its title and text, the live result, and its source."""
    name = example.__name__.removeprefix("example_").replace("_", "-")
    return section(".example", id=f"example-{name}", aria_labelledby=f"example-{name}-title")[
        h2(id=f"example-{name}-title")[example_title(example)],
        p(".hint")[rich(example_text(example))] if example_text(example) else None,
        div(".example-grid")[
            div(".example-live")[example(assigns)],
            pre(".source", tabindex="0", aria_label=f"Source of {example_title(example)}")[
                code[source_of(example)]
            ],
        ],
    ]


class ComponentPage(LiveView):
    """A component's page: ``title``, ``summary``, ``examples``, ``components``."""

    name: ClassVar[str] = ""
    """The page's URL segment: ``/components/<name>``."""
    title: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    examples: ClassVar[Sequence[Example]] = ()
    components: ClassVar[Sequence[CompiledTemplate[Any]]] = ()

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page_title=self.title)
        await self.setup(socket)

    async def setup(self, socket: Socket) -> None:
        """The page's own assigns."""

    def render(self, assigns: Assigns) -> Element:
        return component_page(type(self), assigns)


def component_page(page: type[ComponentPage], assigns: Assigns) -> Element:
    """The markup of a component page."""
    return main(".demo.component-page")[
        top_nav(),
        toast_group(assigns.flash),
        breadcrumb(crumb=[Crumb(navigate="/")["Gallery"], Crumb()[page.title]]),
        h1[page.title],
        p(".lead")[page.summary],
        [example_block(example, assigns) for example in page.examples],
        section(".reference", aria_labelledby="reference-title")[
            h2("#reference-title")["Attributes and slots"],
            [div(".table-wrap")[attributes_table(component)] for component in page.components],
        ],
    ]
