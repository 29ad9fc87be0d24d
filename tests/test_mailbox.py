"""The LiveView mailbox: FIFO, bounded (producers wait), closed by either side."""

from __future__ import annotations

import anyio
import pytest

from pylive.mailbox import Mailbox

pytestmark = pytest.mark.anyio


async def test_items_arrive_in_order_whether_queued_or_awaited() -> None:
    box = Mailbox[int](4)
    got: list[int] = []

    async def consume() -> None:
        async for item in box:
            got.append(item)

    async with anyio.create_task_group() as tg:
        await box.put(0)  # queued before the consumer runs
        tg.start_soon(consume)
        await anyio.wait_all_tasks_blocked()  # the consumer is now parked on an empty box
        for i in range(1, 20):
            await box.put(i)
            if i % 5 == 0:
                await anyio.sleep(0)
        with anyio.fail_after(10):
            while len(got) < 20:
                await anyio.sleep(0.001)
        box.close()
    assert got == list(range(20))


async def test_a_full_box_makes_producers_wait() -> None:
    box = Mailbox[int](2)
    box.put_nowait(1)
    box.put_nowait(2)
    with pytest.raises(anyio.WouldBlock):
        box.put_nowait(3)
    with anyio.move_on_after(0.05) as waited:
        await box.put(3)
    assert waited.cancelled_caught
    assert [await anext(box), await anext(box)] == [1, 2]
    with anyio.fail_after(10):
        await box.put(3)  # room again
    assert await anext(box) == 3


async def test_closing_wakes_the_consumer_and_refuses_producers() -> None:
    box = Mailbox[str](2)
    ended = anyio.Event()

    async def consume() -> None:
        async for _ in box:
            pass
        ended.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(consume)
        await anyio.wait_all_tasks_blocked()  # the consumer is parked
        box.close()
        with anyio.fail_after(10):
            await ended.wait()
    with pytest.raises(anyio.ClosedResourceError):
        await box.put("late")
    box.close()  # idempotent


async def test_offer_and_deliver_answer_false_instead_of_raising() -> None:
    box = Mailbox[int](1)
    assert box.offer(1)
    assert not box.offer(2)  # full
    box.close()
    assert not box.offer(3)  # closed
    assert not await box.deliver(4)
    open_box = Mailbox[int](1)
    assert await open_box.deliver(5)
    assert await anext(aiter(open_box)) == 5


async def test_wake_is_called_for_each_item_and_on_close_and_the_queue_empties() -> None:
    woken: list[int] = []
    box = Mailbox[str](2, lambda: woken.append(len(box)))
    assert len(box) == 0
    box.put_nowait("a")
    await box.put("b")
    assert woken == [1, 2]
    assert [box.get_nowait(), box.get_nowait()] == ["a", "b"]
    with pytest.raises(anyio.WouldBlock):
        box.get_nowait()  # empty: a consumer started by wake ends here
    box.put_nowait("c")
    assert box.close() == ["c"]
    assert woken == [1, 2, 1, 0]  # closing wakes the consumer too, which then ends
    with pytest.raises(anyio.EndOfStream):
        box.get_nowait()
    box.close()
    assert woken == [1, 2, 1, 0]  # once
