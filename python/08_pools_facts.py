# versions: 3.8-3.13
"""Lesson 08's claims about caching a task instead of a lock."""
import asyncio

from facts import check, fact


async def two_requests_share(shared, first_leaves):
    """Two requests await one cached task; the first request's client
    leaves (its task is cancelled). What does each request get?"""

    async def request(awaitable):
        try:
            return await awaitable
        except asyncio.CancelledError:
            return "CancelledError"

    first = asyncio.ensure_future(request(first_leaves(shared)))
    second = asyncio.ensure_future(request(shared))
    await asyncio.sleep(0.001)
    first.cancel()
    return [await first, await second]


async def create_pool():
    await asyncio.sleep(0.01)
    return "pool"


@fact("a cached task awaited by a request that is cancelled is cancelled "
      "too, so every request waiting on it gets CancelledError",
      on=((3, 11), (3, 13)))
async def shared_task_cancelled():
    shared = asyncio.ensure_future(create_pool())
    outcome = await two_requests_share(shared, lambda task: task)
    return outcome == ["CancelledError", "CancelledError"] \
        and shared.cancelled()


@fact("asyncio.shield() around the cached task keeps it for the others",
      on=((3, 11), (3, 13)))
async def shield_keeps_it():
    shared = asyncio.ensure_future(create_pool())
    outcome = await two_requests_share(shared, asyncio.shield)
    return outcome == ["CancelledError", "pool"] and not shared.cancelled()


@fact("a finished task keeps its exception: every later await raises it")
async def failed_task_fails_forever():
    async def fails():
        raise ConnectionError("no database")

    task = asyncio.ensure_future(fails())
    errors = []
    for _ in range(2):
        try:
            await task
        except ConnectionError as error:
            errors.append(error)
    return len(errors) == 2 and errors[0] is errors[1]


@fact("X | None works in an annotation evaluated at run time (asyncpg.Pool "
      "| None at module level)", since=(3, 10))
def union_with_none():
    class Pool:
        pass

    try:
        return (Pool | None) is not None
    except TypeError:
        return False


check()
