"""Telemetry: the runtime's measurement events, the Prometheus metrics kept from them, the
``/metrics`` route and the live dashboard, on real views of a real app (asyncio and trio)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import anyio
import broadcast_apps
import pytest
from live_apps import SECRET, Counter
from prometheus_client.parser import text_string_to_metric_families
from starlette.routing import Route

from pylive import LiveApp, LiveRoute, LiveView, Socket
from pylive.telemetry import EVENTS, Dashboard, Metrics, Telemetry, quantile
from pylive.testing import JoinError, LiveClient, ViewCrashed, live

pytestmark = pytest.mark.anyio

Event = tuple[str, Mapping[str, float], Mapping[str, Any]]


class FastDashboard(Dashboard):
    interval = 0.05


class CrashOnMount(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        if socket.connected:
            raise RuntimeError("no mount")

    def render(self, assigns: Any) -> Any:
        return "never live"


def make_app() -> tuple[LiveApp, Metrics]:
    metrics = Metrics()
    app = LiveApp(
        [
            LiveRoute("/", Counter),
            LiveRoute("/admin/live", FastDashboard),
            LiveRoute("/crash-on-mount", CrashOnMount),
            Route("/metrics", metrics.endpoint),
        ],
        secret_key=SECRET,
    )
    app.telemetry.attach(metrics)
    return app, metrics


def value(metrics: Metrics, name: str, **labels: str) -> float:
    """One sample of the registry (0 if absent)."""
    found = metrics.registry.get_sample_value(name, labels)
    return 0.0 if found is None else found


COUNTER = "live_apps.Counter"


async def test_events_carry_the_documented_measurements_and_metadata() -> None:
    app, _ = make_app()
    seen: list[Event] = []
    app.telemetry.attach(lambda *event: seen.append(event))
    async with live(app, "/") as view:
        await view.click("button", text="+")
        assert view.has_element("p", text="Count: 1")
    with anyio.fail_after(5):
        while not any(name == "pylive.socket.disconnect" for name, _, _ in seen):
            await anyio.sleep(0.01)
    names = [name for name, _, _ in seen]
    assert names[:2] == ["pylive.socket.connect", "pylive.live_view.mount"]
    assert {"pylive.live_view.handle_event", "pylive.live_view.render"} <= set(names)
    assert "pylive.live_view.close" in names
    for name, measurements, metadata in seen:
        keys, meta = EVENTS[name]
        assert set(measurements) == set(keys), name
        assert set(meta) <= set(metadata), name
        assert all(v >= 0 for v in measurements.values())
    (event,) = [meta for name, _, meta in seen if name == "pylive.live_view.handle_event"]
    assert event == {"view": COUNTER, "topic": event["topic"], "event": "inc"}
    (close,) = [meta for name, _, meta in seen if name == "pylive.live_view.close"]
    assert close["reason"] == "leave"


async def test_metrics_count_joins_events_renders_and_closes() -> None:
    app, metrics = make_app()
    async with live(app, "/") as view:
        assert value(metrics, "pylive_connections") == 1
        assert value(metrics, "pylive_live_views", view=COUNTER) == 1
        for n in range(1, 4):
            await view.click("button", text="+")
            assert view.has_element("p", text=f"Count: {n}")
        assert value(metrics, "pylive_event_duration_seconds_count", view=COUNTER) == 3
        assert value(metrics, "pylive_render_duration_seconds_count", view=COUNTER) == 3
        assert value(metrics, "pylive_diff_bytes_count", view=COUNTER) == 3
        assert value(metrics, "pylive_diff_bytes_sum", view=COUNTER) > 0
        assert value(metrics, "pylive_join_duration_seconds_count", view=COUNTER) == 1
        memory = metrics.memory()
        assert memory is not None and memory > 0  # Linux: /proc/self
        per_view = value(metrics, "pylive_memory_per_view_bytes")
        assert per_view > 0  # one live view: all of the resident memory
        assert metrics.snapshot().memory_per_view is not None
    with anyio.fail_after(5):
        while value(metrics, "pylive_connections") != 0:
            await anyio.sleep(0.01)
    assert value(metrics, "pylive_live_views", view=COUNTER) == 0
    assert value(metrics, "pylive_closes_total", view=COUNTER, reason="leave") == 1
    assert value(metrics, "pylive_connections_opened_total") == 1


async def test_viewers_of_a_broadcast_view_count_as_live_views() -> None:
    app = broadcast_apps.make_app()
    metrics = Metrics()
    app.telemetry.attach(metrics)
    board = "broadcast_apps.Board"
    async with live(app, "/board/one") as first, live(app, "/board/one") as second:
        assert first.has_element("#score", text="0 : 0")
        assert second.has_element("#score", text="0 : 0")
        assert value(metrics, "pylive_live_views", view=board) == 2
        assert value(metrics, "pylive_join_duration_seconds_count", view=board) == 2
    with anyio.fail_after(5):
        while value(metrics, "pylive_live_views", view=board) != 0:
            await anyio.sleep(0.01)
    assert value(metrics, "pylive_closes_total", view=board, reason="leave") == 2


async def test_a_crash_increments_the_crash_counter() -> None:
    app, metrics = make_app()
    with pytest.raises(ViewCrashed):
        async with live(app, "/") as view:
            await view.push("crash")
    assert value(metrics, "pylive_crashes_total", view=COUNTER) == 1
    assert value(metrics, "pylive_closes_total", view=COUNTER, reason="crash") == 1
    assert value(metrics, "pylive_live_views", view=COUNTER) == 0


async def test_a_mount_that_raises_is_a_crash_and_never_a_live_view() -> None:
    app, metrics = make_app()
    with pytest.raises(JoinError):
        async with live(app, "/crash-on-mount"):
            pass
    view = "test_telemetry.CrashOnMount"
    assert value(metrics, "pylive_crashes_total", view=view) == 1
    assert value(metrics, "pylive_join_duration_seconds_count", view=view) == 0
    assert value(metrics, "pylive_live_views", view=view) == 0


async def test_two_apps_keep_separate_counts() -> None:
    (one, first), (_, second) = make_app(), make_app()
    async with live(one, "/") as view:
        await view.click("button", text="+")
        assert view.has_element("p", text="Count: 1")
    assert value(first, "pylive_join_duration_seconds_count", view=COUNTER) == 1
    assert value(second, "pylive_join_duration_seconds_count", view=COUNTER) == 0


async def test_the_metrics_route_serves_the_prometheus_text_format() -> None:
    app, _ = make_app()
    async with live(app, "/") as view:
        await view.click("button", text="+")
        assert view.has_element("p", text="Count: 1")
        response = await LiveClient(app).get("/metrics")
    assert response.status == 200
    assert (response.header("content-type") or "").startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    events = {
        s.name: s.value
        for s in families["pylive_event_duration_seconds"].samples
        if s.labels.get("view") == COUNTER
    }
    assert events["pylive_event_duration_seconds_count"] == 1
    assert families["pylive_connections"].samples[0].value == 1
    assert "pylive_memory_per_view_bytes" in families


async def test_a_failing_handler_is_detached_and_the_view_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, metrics = make_app()

    def broken(*event: Any) -> None:
        raise ValueError("broken handler")

    app.telemetry.attach(broken)
    with caplog.at_level(logging.ERROR, "pylive.telemetry_events"):
        async with live(app, "/") as view:
            await view.click("button", text="+")
            assert view.has_element("p", text="Count: 1")
    assert broken not in app.telemetry.handlers
    assert metrics in app.telemetry.handlers
    assert "broken handler" in caplog.text


async def test_log_records_carry_stable_extra_fields(caplog: pytest.LogCaptureFixture) -> None:
    app, _ = make_app()
    with caplog.at_level(logging.DEBUG, "pylive.channel"), pytest.raises(ViewCrashed):
        async with live(app, "/") as view:
            await view.click("button", text="+")
            assert view.has_element("p", text="Count: 1")
            await view.push("crash")
    by_message = {r.getMessage().split(" ")[1]: r for r in caplog.records}
    mounted, handled, closed = by_message["mounted"], by_message["handled"], by_message["closed"]
    for record in (mounted, handled, closed):
        assert record.view == COUNTER  # type: ignore[attr-defined]
        assert record.topic.startswith("lv:")  # type: ignore[attr-defined]
        assert record.duration >= 0  # type: ignore[attr-defined]
    assert handled.event == "inc"  # type: ignore[attr-defined]
    assert closed.reason == "crash"  # type: ignore[attr-defined]
    (crash,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert crash.view == COUNTER and crash.exc_info  # type: ignore[attr-defined]


async def test_the_dashboard_renders_and_updates() -> None:
    app, _ = make_app()
    async with LiveClient(app).live("/admin/live") as dashboard:
        assert dashboard.element("h1").text == "Live telemetry"
        await dashboard.wait_for(lambda v: v.element("#telemetry-connections").text == "1")
        async with live(app, "/") as counter:
            for n in range(1, 6):
                await counter.click("button", text="+")
                assert counter.has_element("p", text=f"Count: {n}")
            await dashboard.wait_for(lambda v: v.element("#telemetry-connections").text == "2")
            await dashboard.wait_for(lambda v: v.has_element("td", text=COUNTER))
            await dashboard.wait_for(lambda v: v.element("#telemetry-events").text != "0.0")
            assert dashboard.element("#telemetry-p50").text.endswith(" ms")
            assert dashboard.element("#telemetry-diff").text.endswith(" B")
            assert dashboard.element("#telemetry-per-view").text.endswith(" MiB")
        await dashboard.wait_for(lambda v: not v.has_element("td", text=COUNTER))


async def test_the_dashboard_without_metrics_says_how_to_attach_them() -> None:
    app = LiveApp([LiveRoute("/", Dashboard)], secret_key=SECRET)
    async with live(app, "/") as view:
        assert view.has_element(".ui-alert", text="app.telemetry.attach(Metrics())")


def test_nothing_is_measured_when_nothing_listens() -> None:
    telemetry = Telemetry()
    assert not telemetry.active
    detach = telemetry.attach(print)
    assert telemetry.active
    detach()
    assert not telemetry.active and telemetry.handlers == ()


def test_quantile_interpolates_inside_buckets_like_histogram_quantile() -> None:
    before = [(0.001, 0.0), (0.01, 0.0), (float("inf"), 0.0)]
    after = [(0.001, 50.0), (0.01, 100.0), (float("inf"), 100.0)]
    assert quantile(0.5, before, after) == pytest.approx(0.001)
    assert quantile(0.75, before, after) == pytest.approx(0.0055)
    assert quantile(0.5, after, after) is None
    assert quantile(0.99, [], [(0.001, 1.0), (float("inf"), 10.0)]) == 0.001
