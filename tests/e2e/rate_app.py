"""A counter whose address may open one live socket every 20 seconds, for the browser test of
the address rate limit (``pylive serve e2e.rate_app:app``). ``/refused`` answers how many
sockets were refused for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from e2e.limits_app import Counter
from pylive import LiveApp, LiveRoute
from pylive.address_rate_limit import AddressRateLimit

refused: list[Mapping[str, Any]] = []


def _keep(event: str, measurements: Mapping[str, float], metadata: Mapping[str, Any]) -> None:
    if event == "pylive.refusal" and metadata["reason"] == "socket_rate":
        refused.append(metadata)


async def refused_sockets(request: Request) -> PlainTextResponse:
    return PlainTextResponse(str(len(refused)))


app = LiveApp(
    [LiveRoute("/", Counter), Route("/refused", refused_sockets)],
    secret_key="rate-app-secret-for-tests-only",
    address_rate_limit=AddressRateLimit(sockets="1 per 20 seconds"),
)
app.telemetry.attach(_keep)
