"""The gallery's pub/sub demos in-process (``pylive.testing``), on asyncio and trio: the chat
(messages, who is online, who is typing) and the shared counter between two tabs."""

from __future__ import annotations

import pytest

from gallery.app import create_app
from pylive.testing import View, live

pytestmark = pytest.mark.anyio


def _texts(view: View, selector: str) -> list[str]:
    return [" ".join(el.text.split()) for el in view.elements(selector)]


async def test_chat_messages_presence_and_typing() -> None:
    app = create_app()
    async with live(app, "/demos/chat?name=Ada") as ada:
        assert ada.element("#me").text == "Ada"
        assert _texts(ada, "#online li") == ["Ada"]
        log = ada.element("#messages")
        assert (log.attr("role"), log.attr("aria-live")) == ("log", "polite")
        assert ada.element("label[for=message]").text == "Message"
        async with live(app, "/demos/chat?name=Bob") as bob:
            await ada.wait_for(lambda v: _texts(v, "#online li") == ["Ada", "Bob"])
            assert _texts(bob, "#online li") == ["Ada", "Bob"]
            await ada.change("#message", {"text": "hel"})
            await bob.wait_for(lambda v: "Ada is typing" in v.element("#typing").text)
            assert "typing" not in ada.element("#typing").text  # not to the typist
            await ada.submit("#chat-form", {"text": "hello Bob"})
            for view in (ada, bob):
                await view.wait_for(lambda v: _texts(v, "#messages li") == ["Ada: hello Bob"])
            assert "typing" not in bob.element("#typing").text  # a message ends "is typing"
            assert ada.element("#message").attr("value") == ""
        await ada.wait_for(lambda v: _texts(v, "#online li") == ["Ada"])  # Bob's tab closed


async def test_shared_counter_is_shared_between_tabs() -> None:
    app = create_app()
    async with live(app, "/demos/shared") as one, live(app, "/demos/shared") as two:
        start = int(one.element("#count").text)
        await one.click("#inc")
        await two.click("#inc")
        for view in (one, two):
            await view.wait_for(lambda v: v.element("#count").text == str(start + 2))


async def test_dashboard_orders_reach_every_viewer_and_the_chart() -> None:
    app = create_app()
    async with live(app, "/demos/dashboard") as one, live(app, "/demos/dashboard") as two:
        await one.wait_for(lambda v: v.element("#viewers").text == "2")
        chart = one.element("#chart")
        assert (chart.attr("role"), chart.tag) == ("img", "svg")
        assert chart.attr("viewbox") or chart.attr("viewBox")
        await one.click("#order-20")
        await two.click("#order-5")
        for view in (one, two):
            await view.wait_for(lambda v: v.element("#orders").text == "2")
            assert view.element("#revenue").text == "$25"
            assert view.elements("#chart rect")  # the current second has a bar
        assert "$25 of orders" in (two.element("#chart").attr("aria-label") or "")
        # the one-second timer moves the bars left, one slot per tick
        x = float(one.elements("#chart rect")[-1].attr("x") or 0)
        await one.wait_for(lambda v: float(v.elements("#chart rect")[-1].attr("x") or 0) < x)


async def test_the_shared_dashboard_is_one_dashboard_for_every_viewer() -> None:
    app = create_app()
    async with (
        live(app, "/demos/dashboard/shared") as one,
        live(app, "/demos/dashboard/shared") as two,
    ):
        assert not one.elements("#viewers")  # presence is per view: the shared one shows none
        await one.click("#order-20")
        await two.click("#order-5")
        for view in (one, two):
            await view.wait_for(lambda v: v.element("#orders").text == "2")
        async with live(app, "/demos/dashboard/shared") as late:
            assert late.element("#revenue").text == "$25"  # the group's window, not a new one
            assert late.html() == one.html()
            x = float(late.elements("#chart rect")[-1].attr("x") or 0)  # one timer moves all
            for view in (one, two, late):
                await view.wait_for(
                    lambda v: float(v.elements("#chart rect")[-1].attr("x") or 0) < x
                )
