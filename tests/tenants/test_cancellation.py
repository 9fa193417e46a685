"""A cancellation that a library swallowed still stops a loop at its next step."""

from __future__ import annotations

import asyncio
import contextlib

from tenants.cancellation import cancel_requested, raise_if_cancel_requested


async def test_a_swallowed_cancellation_stops_the_loop_at_its_next_step() -> None:
    steps = 0
    started = asyncio.Event()

    async def loop() -> None:
        nonlocal steps
        while True:
            raise_if_cancel_requested()
            steps += 1
            started.set()
            with contextlib.suppress(asyncio.CancelledError):  # a library losing it
                await asyncio.sleep(30)  # a step that only the cancellation ends, never time

    task = asyncio.create_task(loop())
    await started.wait()
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=5)
    assert task in done and task.cancelled()
    assert steps == 1


async def test_a_task_nobody_cancelled_carries_on() -> None:
    assert not cancel_requested()
    raise_if_cancel_requested()
