"""Chat: messages, who is online, and who is typing, through pub/sub and presence.

Each connected view subscribes to ``chat:lobby`` and tracks its user there with
``presence.track``; the list of who is online is ``presence.list`` again after each
``PresenceDiff``. A sent message is broadcast to every subscriber (the sender too); "is typing"
goes to the others only (``broadcast_from``) and fades after a few seconds. Closing the tab
untracks the user, with no code here. With ``python -m gallery --pubsub redis://...`` on two
ports, people on either server see each other.

Messages are not stored: a new tab sees those sent after it joined.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from htpy import (
    Element,
    button,
    div,
    form,
    h1,
    h2,
    input,
    label,
    li,
    main,
    ol,
    p,
    section,
    span,
    strong,
    ul,
)

from gallery.layout import top_nav
from pylive import (
    Assigns,
    LiveView,
    PresenceDiff,
    Socket,
    broadcast,
    broadcast_from,
    flash_group,
    presence,
)

TOPIC = "chat:lobby"
MAX_LENGTH = 500
KEEP = 100
"""Messages a tab keeps (older ones leave the page)."""
TYPING_FOR = 3.0
"""Seconds "is typing" stays up after the last keystroke."""


def _name(params: dict[str, Any]) -> str:
    name = str(params.get("name", "")).strip()[:30]
    return name or f"guest-{secrets.randbelow(10_000):04d}"


class Chat(LiveView):
    """One chat room for everybody."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        self.name = _name(params)
        self.typing_sent = -TYPING_FOR
        if socket.connected:
            socket.subscribe(TOPIC)
            await presence.track(socket, TOPIC, self.name, {"name": self.name})
        socket.assign(
            me=self.name,
            messages=[],
            online=self._online(),
            typing={},  # name → how many "is typing" notes are still pending
            draft="",
            seq=0,
            page_title="Chat",
        )

    def _online(self) -> list[tuple[str, int]]:
        return sorted((key, len(entry["metas"])) for key, entry in presence.list(TOPIC).items())

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        match event:
            case "send":
                text = str(params.get("text", "")).strip()[:MAX_LENGTH]
                socket.assign(draft="")
                if text:
                    await broadcast(TOPIC, ("said", self.name, text))
            case "typing":
                socket.assign(draft=str(params.get("text", ""))[:MAX_LENGTH])
                now = time.monotonic()
                if now - self.typing_sent > TYPING_FOR / 2:  # not on every keystroke
                    self.typing_sent = now
                    await broadcast_from(socket, TOPIC, ("typing", self.name))

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case ("said", str(name), str(text)):
                seq = socket.assigns.seq + 1
                messages = [*socket.assigns.messages, (seq, name, text)][-KEEP:]
                typing = {k: v for k, v in socket.assigns.typing.items() if k != name}
                socket.assign(messages=messages, seq=seq, typing=typing)
            case ("typing", str(name)):
                typing = dict(socket.assigns.typing)
                typing[name] = typing.get(name, 0) + 1
                socket.assign(typing=typing)
                socket.send_after(TYPING_FOR, ("typed", name))
            case ("typed", str(name)):
                typing = dict(socket.assigns.typing)
                if name in typing:
                    typing[name] -= 1
                    if typing[name] <= 0:
                        del typing[name]
                socket.assign(typing=typing)
            case PresenceDiff():
                socket.assign(online=self._online())

    def render(self, assigns: Assigns) -> Element:
        typing = sorted(assigns.typing)
        return main(".demo.chat")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Chat"],
            p["You are ", strong("#me")[assigns.me], "."],
            div(".chat-grid")[
                section(aria_labelledby="messages-title")[
                    h2("#messages-title")["Messages"],
                    ol("#messages", role="log", aria_live="polite", aria_relevant="additions")[
                        (
                            li(id=f"m-{seq}")[strong(".who")[name], ": ", span(".text")[text]]
                            for seq, name, text in assigns.messages
                        )
                    ],
                    p("#typing.hint")[
                        f"{', '.join(typing)} {'is' if len(typing) == 1 else 'are'} typing…"
                        if typing
                        else "\u00a0"
                    ],
                    form("#chat-form", phx_submit="send", phx_change="typing")[
                        label(for_="message")["Message"],
                        input(
                            "#message",
                            name="text",
                            type="text",
                            value=assigns.draft,
                            maxlength=str(MAX_LENGTH),
                            autocomplete="off",
                        ),
                        button(type="submit")["Send"],
                    ],
                ],
                section(aria_labelledby="online-title")[
                    h2("#online-title")["Online"],
                    ul("#online")[
                        (
                            li[name, f" ({tabs} tabs)" if tabs > 1 else ""]
                            for name, tabs in assigns.online
                        )
                    ],
                ],
            ],
            p(".hint")[
                "Open this page in two tabs (add ?name=Ada to pick a name) and chat. "
                "Your presence goes away when you close the tab."
            ],
        ]
