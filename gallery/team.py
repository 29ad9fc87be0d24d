"""Team board: LiveComponents. Each member card is a ``LiveComponent`` with state of its own.

A card counts its kudos and opens its own rename form: its events carry
``phx_target=assigns.myself``, so they reach the card's ``handle_event`` and only that card is
rendered again (the diff is "component-only"). A rename goes to the board through the card's
``socket.inbox`` (the board's ``handle_info``), which owns the list of members. The board gives
every card new assigns with ``send_update`` ("Reset kudos"); "Kudos to everyone" targets the
cards by a CSS selector (``phx_target=".card"``), so each card's component gets the event. It
reorders the cards (each keeps its state: it is the same component, moved) and adds or removes
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from htpy import Element, button, div, form, h1, h2, input, label, li, main, output, p, ul

from gallery.layout import top_nav
from pylive import (
    Assigns,
    ComponentSocket,
    LiveComponent,
    LiveView,
    Socket,
    flash_group,
    live_component,
)

NAMES = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken")


@dataclass(frozen=True, slots=True)
class Member:
    """One member of the board (the board's data; a card's kudos are the card's own state)."""

    id: int
    name: str


class MemberCard(LiveComponent):
    """A member's card: kudos and an inline rename form, handled by the card itself."""

    async def mount(self, socket: ComponentSocket) -> None:
        socket.assign(kudos=0, editing=False)

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> Mapping[str, Any] | None:
        if event == "kudos":
            socket.assign(kudos=socket.assigns.kudos + 1)
        elif event == "edit":
            socket.assign(editing=True)
        elif event == "cancel":
            socket.assign(editing=False)
        elif event == "rename":
            name = str(params.get("name", "")).strip()[:40]
            if name:
                await socket.inbox.send(("rename", socket.assigns.member.id, name))
            socket.assign(editing=False)
        return None

    def render(self, assigns: Assigns) -> Element:
        member = assigns.member
        heading = f"member-{member.id}-name"
        return li(".card", id=f"member-{member.id}", aria_labelledby=heading)[
            h2(id=heading)[member.name],
            p[
                "Kudos: ",
                output(id=f"kudos-{member.id}")[assigns.kudos],
            ],
            div(".buttons")[
                button(
                    ".kudos",
                    type="button",
                    phx_click="kudos",
                    phx_target=assigns.myself,
                    aria_label=f"+1 kudos for {member.name}",
                )["+1 kudos"],
                button(
                    ".edit",
                    type="button",
                    phx_click="edit",
                    phx_target=assigns.myself,
                    aria_label=f"Rename {member.name}",
                )["Rename"],
                button(
                    ".remove",
                    type="button",
                    phx_click="remove",
                    phx_value_id=str(member.id),
                    aria_label=f"Remove {member.name}",
                )["Remove"],
            ],
            form(".rename", phx_submit="rename", phx_target=assigns.myself)[
                label(for_=f"name-{member.id}")["New name"],
                input(id=f"name-{member.id}", name="name", value=member.name, autofocus=True),
                button(type="submit")["Save"],
                button(type="button", phx_click="cancel", phx_target=assigns.myself)["Cancel"],
            ]
            if assigns.editing
            else "",
        ]


class Team(LiveView):
    """The board: the members, in order; the cards hold their own kudos."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        members = [Member(i, name) for i, name in enumerate(NAMES[:4])]
        socket.assign(members=members, next_id=len(members), page_title="LiveComponents")

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        members: list[Member] = socket.assigns.members
        if event == "add":
            new_id = socket.assigns.next_id
            member = Member(new_id, NAMES[new_id % len(NAMES)])
            socket.assign(members=[*members, member], next_id=new_id + 1)
        elif event == "remove":
            gone = str(params.get("id"))
            socket.assign(members=[m for m in members if str(m.id) != gone])
        elif event == "reverse":
            socket.assign(members=members[::-1])
        elif event == "reset":
            for member in members:
                socket.send_update(MemberCard, member.id, kudos=0)
            socket.put_flash("info", "Kudos reset")

    async def handle_info(self, socket: Socket, msg: Any) -> None:
        match msg:
            case ("rename", int(member_id), str(name)):
                members = [
                    replace(m, name=name) if m.id == member_id else m
                    for m in socket.assigns.members
                ]
                socket.assign(members=members)

    def render(self, assigns: Assigns) -> Element:
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["LiveComponents"],
            p(".hint")[
                "Each card is a LiveComponent: its kudos and its rename form are its own state, "
                "and its events re-render only that card."
            ],
            div(".buttons")[
                button("#add", type="button", phx_click="add")["Add member"],
                button("#reverse", type="button", phx_click="reverse")["Reverse order"],
                button("#reset", type="button", phx_click="reset")["Reset kudos"],
                # a CSS selector as the target: the event goes to the component of each card
                button("#kudos-all", type="button", phx_click="kudos", phx_target=".card")[
                    "Kudos to everyone"
                ],
            ],
            ul("#team.cards")[
                [live_component(MemberCard, m.id, member=m) for m in assigns.members]
            ],
        ]
