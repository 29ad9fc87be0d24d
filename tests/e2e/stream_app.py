"""A chat on a stream, for the browser tests of streams (``pylive serve e2e.stream_app:app``).

The log keeps the last ``LIMIT`` messages (``limit=-LIMIT`` on every insert); "pin" moves a
message to the top (delete + insert at 0); "clear" resets the stream to one notice. The server
keeps no message: only a counter for the next id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from htpy import Element, button, div, form, input, label, li, p, ul

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket

LIMIT = 5
"""Messages the log shows at most."""


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    text: str


class Chat(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(next_id=2, sent=0)
        socket.stream("messages", [Message(1, "welcome")])

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        next_id = socket.assigns.next_id
        match event:
            case "say":
                message = Message(next_id, str(params.get("text", "")))
                socket.assign(next_id=next_id + 1, sent=socket.assigns.sent + 1)
                socket.stream_insert("messages", message, limit=-LIMIT)
            case "burst":  # several at once, in one diff
                batch = [Message(next_id + n, f"burst {n}") for n in range(int(params["n"]))]
                socket.assign(next_id=next_id + len(batch))
                socket.stream("messages", batch, limit=-LIMIT)
            case "pin":
                message = Message(int(params["id"]), str(params["text"]))
                socket.stream_delete("messages", message).stream_insert("messages", message, at=0)
            case "clear":
                socket.assign(next_id=next_id + 1)
                socket.stream("messages", [Message(next_id, "cleared")], reset=True)

    def render(self, assigns: Assigns) -> Element:
        return div("#chat")[
            form("#say", phx_submit="say")[
                label(for_="text")["Message"],
                input(id="text", name="text", autocomplete="off"),
                button(type="submit")["Send"],
            ],
            button("#burst", phx_click="burst", phx_value_n="3")["Burst of 3"],
            button("#clear", phx_click="clear")["Clear"],
            p("#sent")[f"sent: {assigns.sent}"],
            ul("#messages", phx_update="stream")[
                [
                    li(id=dom_id)[
                        message.text,
                        " ",
                        button(
                            ".pin",
                            phx_click="pin",
                            phx_value_id=str(message.id),
                            phx_value_text=message.text,
                        )["pin"],
                    ]
                    for dom_id, message in assigns.messages
                ]
            ],
        ]


def create_app() -> LiveApp:
    return LiveApp([LiveRoute("/", Chat)], secret_key="stream-app-secret-for-tests-only")


app = create_app()
