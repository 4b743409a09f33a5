# versions: 3.11-3.13
"""Lesson 13's claims about asyncio.Condition and tasks."""
import asyncio

from facts import check, fact


@fact("Condition.notify_all() raises RuntimeError unless the lock is held")
async def notify_needs_the_lock():
    condition = asyncio.Condition()
    try:
        condition.notify_all()
    except RuntimeError:
        return True
    return False


@fact("a waiter cancelled in Condition.wait() leaves no waiter behind")
async def cancelled_waiter_leaves():
    condition = asyncio.Condition()

    async def wait():
        async with condition:
            await condition.wait()

    task = asyncio.create_task(wait())
    await asyncio.sleep(0)
    before = len(condition._waiters)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return before == 1 and len(condition._waiters) == 0


check()
