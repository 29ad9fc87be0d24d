"""Classic XSS payloads rendered every way a view renders user input, for the browser test
(``pylive serve e2e.xss_app:app``): text, attribute values, link URLs and JS command values,
on the HTTP render and again in diffs. A payload that ran would set ``window.__xss`` or open
a dialog (``alert``)."""

from __future__ import annotations

from typing import Any

import htpy as h

from pylive import JS, Assigns, LiveApp, LiveRoute, LiveView, Socket, link

CORPUS = [
    "<script>window.__xss=1;alert(1)</script>",
    '"><script>window.__xss=1;alert(1)</script>',
    '\'><img src=x onerror="window.__xss=1;alert(1)">',
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    '" onmouseover="window.__xss=1" autofocus onfocus="window.__xss=1" x="',
    "' onmouseover='window.__xss=1' autofocus onfocus='window.__xss=1' x='",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<a href="javascript:window.__xss=1">x</a>',
    "javascript:window.__xss=1",
    "JaVaScRiPt:window.__xss=1",
    " javascript:window.__xss=1",
    "java\tscript:window.__xss=1",
    "\x01javascript:window.__xss=1",
    "vbscript:window.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "javascript&colon;window.__xss=1",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "<!--<script>window.__xss=1</script>-->",
    "<style>@import 'javascript:window.__xss=1';</style>",
    '{"x": "</script><script>window.__xss=1</script>"}',
    "[[0]]\"'`;--></p><math><mi><img src=x onerror=window.__xss=1>",
]
"""The payloads: HTML and attribute breakouts, event handlers, script URLs in their disguises."""


def safe_link(n: int, url: str) -> h.Element:
    """``link(href=url)``, or a marker where ``link`` refuses the URL (as Phoenix's ``<.link>``
    raises for a ``javascript:`` href)."""
    try:
        return link(href=url, class_="url", id=f"url-{n}")["link"]
    except ValueError:
        return h.span(".refused", id=f"url-{n}")["refused"]


def payload_row(n: int, text: str) -> h.Element:
    js = (
        JS()
        .push("echo", value={"n": str(n), "text": text})
        .set_attribute("title", text, to=f"#cmd-target-{n}")
        .dispatch("pylive:probe", to=f"#cmd-target-{n}", detail={"text": text})
    )
    return h.li(id=f"row-{n}")[
        h.p(".text")[text],
        h.div(".attr", title=text, data_value=text)["attr"],
        h.input(".input", value=text, aria_label=f"payload {n}"),
        h.textarea(".area", aria_label=f"area {n}")[text],
        safe_link(n, text),
        h.button(".cmd", id=f"cmd-{n}", phx_click=js)["run"],
        h.span(".cmd-target", id=f"cmd-target-{n}"),
    ]


class Corpus(LiveView):
    """Shows the corpus on the HTTP render; ``reveal`` renders it again in a diff (as new
    rows), ``echo`` sends a payload back from a JS command's value."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(revealed=False, echoed="", echoes=0, page_title=CORPUS[9])

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "reveal":
            socket.assign(revealed=True)
        elif event == "echo":
            socket.assign(echoed=str(params.get("text")), echoes=socket.assigns.echoes + 1)

    def render(self, assigns: Assigns) -> h.Element:
        return h.div[
            h.button("#reveal", phx_click="reveal")["reveal"],
            h.p("#echoes")[f"echoes: {assigns.echoes}"],
            h.p("#echoed", title=assigns.echoed)[assigns.echoed],
            h.ul("#first")[(payload_row(n, text) for n, text in enumerate(CORPUS))],
            h.ul("#revealed")[
                (payload_row(n + len(CORPUS), text) for n, text in enumerate(CORPUS))
                if assigns.revealed
                else None
            ],
        ]


app = LiveApp([LiveRoute("/", Corpus)], secret_key="xss-corpus-not-secret")
