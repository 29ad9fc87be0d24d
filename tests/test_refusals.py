"""Every refusal is a ``pylive.refusal`` telemetry event with its ``reason`` and the client's
address, counted by ``Metrics`` in ``pylive_refusals_total{reason=...}`` and shown on the
dashboard: each reason of ``REFUSALS`` is provoked here the way a client would."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anyio
import pytest
from fuzzing import Healthy
from live_socket import join, open_page
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from pylive import LiveApp, LiveRoute, csrf_protect
from pylive.address_rate_limit import AddressRateLimit
from pylive.rate_limit import RateLimit
from pylive.telemetry import EVENTS, REFUSALS, Dashboard, Metrics, Refusal
from pylive.testing import live, phoenix
from pylive.testing.asgi import WebSocketClosed, http_request

pytestmark = pytest.mark.anyio

WAIT = 30.0
LONGPOLL = "/live/longpoll?vsn=2.0.0"
ADDRESS = "127.0.0.1"
"""The in-process client's address (``pylive.testing.asgi``)."""


@csrf_protect
async def sign_in(request: Request) -> Response:
    return PlainTextResponse("signed in")


class Refused:
    """An app with every limit low, its metrics, and the refusal events it executed."""

    def __init__(self, **kw: Any) -> None:
        self.metrics = Metrics(process=False)
        self.app = LiveApp(
            [
                LiveRoute("/", Healthy),
                LiveRoute("/admin/live", Dashboard),
                Route("/sign-in", sign_in, methods=["POST"]),
            ],
            secret_key="k",
            **kw,
        )
        self.events: list[tuple[Mapping[str, float], Mapping[str, Any]]] = []
        self.app.telemetry.attach(self.metrics)
        self.app.telemetry.attach(self._keep)

    def _keep(self, event: str, measurements: Mapping[str, float], meta: Mapping[str, Any]) -> None:
        if event == "pylive.refusal":
            self.events.append((measurements, meta))

    def reasons(self) -> list[Refusal]:
        return [meta["reason"] for _, meta in self.events]

    def counted(self, reason: Refusal) -> float:
        value = self.metrics.registry.get_sample_value("pylive_refusals_total", {"reason": reason})
        return 0.0 if value is None else value


async def _refused_socket(app: LiveApp, **kw: Any) -> None:
    with pytest.raises(WebSocketClosed):
        async with phoenix.connect(app, **kw):
            pass


async def test_each_refusal_is_an_event_with_its_reason_and_address() -> None:
    seen: set[str] = set()

    caps = Refused(max_connections=1)
    async with phoenix.connect(caps.app):
        await _refused_socket(caps.app)
    assert caps.reasons() == ["csrf", "max_connections"]  # the admitted one had no token
    seen.update(caps.reasons())

    per_address = Refused(max_connections_per_address=1)
    async with phoenix.connect(per_address.app):
        await _refused_socket(per_address.app)
    assert per_address.reasons()[-1] == "max_connections_per_address"
    seen.update(per_address.reasons())

    rates = Refused(address_rate_limit=AddressRateLimit(page_loads="1/hour", sockets="1/hour"))
    for _ in range(2):
        await http_request(rates.app, "GET", "/")
    async with phoenix.connect(rates.app):
        await _refused_socket(rates.app)
    assert (await http_request(rates.app, "GET", LONGPOLL)).status == 429
    assert rates.reasons() == ["page_load_rate", "csrf", "socket_rate", "socket_rate"]
    seen.update(rates.reasons())

    origins = Refused()
    await _refused_socket(origins.app, origin="https://evil.example")
    evil = [("origin", "https://evil.example")]
    assert (await http_request(origins.app, "GET", LONGPOLL, headers=evil)).status == 200
    posted = await http_request(origins.app, "POST", "/sign-in", body=b"_csrf_token=forged")
    assert posted.status == 403
    assert origins.reasons() == ["origin", "origin", "csrf"]
    seen.update(origins.reasons())

    events = Refused(rate_limit=RateLimit(per_second=0.001, burst=1))
    async with open_page(events.app) as (conn, page):
        assert (await join(conn, page))[0] == "ok"  # the join takes the only token
        click = {"type": "click", "event": "inc", "value": {}}
        for _ in range(2):
            assert await conn.call(page.topic, "event", click) == (
                "error",
                {"reason": "rate limited"},
            )
        await conn.ws.send('[null, "9", "phoenix", "heartbeat", {"x": "' + "x" * (1 << 20) + '"}]')
        assert await conn.expect_close() == 1009
    assert events.reasons() == ["event_rate", "event_rate", "frame_too_large"]
    seen.update(events.reasons())

    assert seen == set(REFUSALS)
    for refused in (caps, per_address, rates, origins, events):
        for measurements, meta in refused.events:
            assert measurements == {} and meta == {"reason": meta["reason"], "address": ADDRESS}
            assert set(meta) == set(EVENTS["pylive.refusal"][1])
        for reason in set(refused.reasons()):
            assert refused.counted(reason) == refused.reasons().count(reason)
    for refused in (caps, per_address, rates):
        await refused.app.close_sockets()


async def test_the_dashboard_shows_the_refusals() -> None:
    refused = Refused(address_rate_limit=AddressRateLimit(page_loads="1/hour"))
    async with live(refused.app, "/admin/live") as dashboard:
        assert dashboard.element("#telemetry-refusals").text == "0"
        assert (await http_request(refused.app, "GET", "/admin/live")).status == 429
        with anyio.fail_after(WAIT):
            await dashboard.wait_for(lambda d: d.element("#telemetry-refusals").text == "1")
    assert refused.counted("page_load_rate") == 1


def test_the_reasons_and_the_event_are_the_ones_documented() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "telemetry.md").read_text()
    table = docs.split("## Refusals")[1].split("```")[0]
    rows = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert rows == ["reason", *REFUSALS]  # the header, then each reason in order
    assert "| `pylive.refusal` | | `reason` (below), `address`" in docs
    assert "| `pylive_refusals_total` | counter | `reason` |" in docs
