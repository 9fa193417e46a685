"""Cancellation that survives libraries which lose it.

Python 3.11's ``asyncio.wait_for`` swallows a cancellation that arrives just as its inner
future finishes, and redis-py sends every command through it when a socket timeout is set;
redis-py may also surface a cancellation as a connection error. A long-lived loop that only
stops on ``CancelledError`` can then run on for good after its task was cancelled, and
whatever awaits that task (a shutdown, a socket handler) waits forever. The task still
counts the request, so loops ask it here at each step.
"""

from __future__ import annotations

import asyncio


def cancel_requested() -> bool:
    """Whether the current task has been asked to stop (even if the request got lost)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def raise_if_cancel_requested() -> None:
    """Raise ``CancelledError`` if the current task has been asked to stop."""
    if cancel_requested():
        raise asyncio.CancelledError
