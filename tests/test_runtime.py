"""The per-app runtime: app-level tasks that outlive a request, started without a lifespan and
stopped by ``close_sockets``, on asyncio and trio."""

from __future__ import annotations

import logging

import anyio
import pytest
from live_apps import make_app
from starlette.applications import Starlette
from starlette.routing import Mount

from pylive.runtime import AppTasks

pytestmark = pytest.mark.anyio


class _Job:
    """A job that runs until cancelled, reporting that it started and that it was cancelled."""

    def __init__(self) -> None:
        self.started = anyio.Event()
        self.cancelled = anyio.Event()

    async def __call__(self) -> None:
        self.started.set()
        try:
            await anyio.sleep_forever()
        finally:
            self.cancelled.set()


async def test_app_tasks_outlive_the_request_that_started_them() -> None:
    tasks, job = AppTasks(), _Job()
    assert not tasks.running

    async def request() -> None:  # like an HTTP request handler: starts the job, then returns
        await tasks.start_soon(job, name="job")

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(request)
        await job.started.wait()  # the request is over; the job runs on
        assert tasks.running and not job.cancelled.is_set()
        await tasks.close()
        await job.cancelled.wait()
    assert not tasks.running
    again = _Job()  # a closed group starts afresh on the next use
    with anyio.fail_after(10):
        await tasks.start_soon(again)
        await again.started.wait()
        await tasks.close()
        await again.cancelled.wait()


async def test_a_failing_app_task_is_logged_and_the_others_go_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tasks, survivor = AppTasks(), _Job()
    failed = anyio.Event()

    async def broken() -> None:
        failed.set()
        raise RuntimeError("broken job")

    with anyio.fail_after(10):
        await tasks.start_soon(survivor)
        await survivor.started.wait()
        with caplog.at_level(logging.ERROR, logger="pylive.runtime"):
            await tasks.start_soon(broken, name="broken")
            await failed.wait()
            while not caplog.records:
                await anyio.sleep(0.01)
        assert "app task broken failed" in caplog.text and "broken job" in caplog.text
        assert tasks.running and not survivor.cancelled.is_set()
        await tasks.close()
        await survivor.cancelled.wait()


async def test_close_sockets_stops_the_app_tasks_of_a_mounted_app() -> None:
    app = make_app()
    host = Starlette(routes=[Mount("/app", app=app)])  # a mounted app never gets a lifespan
    job = _Job()
    with anyio.fail_after(10):
        await app.runtime.tasks.start_soon(job)
        await job.started.wait()
        await app.close_sockets()
        await job.cancelled.wait()
    assert not app.runtime.tasks.running and host.routes
