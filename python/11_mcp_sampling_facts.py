# versions: 3.11-3.13
"""Lesson 11's claim about cancelling a task from outside."""
import asyncio

from facts import check, fact


@fact("cancelling a task from outside raises CancelledError at the await "
      "it is stuck in", on=((3, 11), (3, 13)))
async def cancelled_where_stuck():
    where = []

    async def handler():
        try:
            await asyncio.sleep(10)  # the model call it waits for
        except asyncio.CancelledError:
            where.append("at the await")
            raise

    task = asyncio.ensure_future(handler())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        return where == ["at the await"] and task.cancelled()
    return False


check()
