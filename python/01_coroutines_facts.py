# versions: 3.8-3.13
"""Lesson 01's claims about asyncio (and lesson 02's eager task factory)."""
import asyncio
import time

from facts import check, fact


@fact("calling a coroutine function runs none of its body")
async def call_runs_nothing():
    ran = []

    async def body():
        ran.append("body")

    coro = body()
    nothing_yet = ran == []
    await coro
    return nothing_yet and ran == ["body"]


@fact("create_task only schedules: the body starts at the caller's next await")
async def create_task_schedules():
    ran = []

    async def body():
        ran.append("body")

    task = asyncio.create_task(body())
    not_yet = ran == []
    await asyncio.sleep(0)
    await task
    return not_yet and ran == ["body"]


@fact("eager_task_factory runs a task up to its first await in create_task",
      since=(3, 12))
async def eager_tasks():
    factory = getattr(asyncio, "eager_task_factory", None)
    if factory is None:
        return False
    ran = []

    async def body():
        ran.append("first line")
        await asyncio.sleep(0)
        ran.append("after await")

    asyncio.get_running_loop().set_task_factory(factory)
    task = asyncio.create_task(body())
    at_return = list(ran)
    await task
    return at_return == ["first line"]


@fact("a callback that re-schedules itself with call_soon cannot starve "
      "a call_later(0.01) timer", on=((3, 11), (3, 13)))
async def call_soon_cannot_starve():
    loop = asyncio.get_running_loop()
    fired = loop.create_future()
    spins = [0]

    def spin():
        spins[0] += 1
        if not fired.done():
            loop.call_soon(spin)

    started = time.perf_counter()
    loop.call_later(0.01, fired.set_result, None)
    loop.call_soon(spin)
    await asyncio.wait_for(fired, 5)
    waited = time.perf_counter() - started
    # It ran after its 10 ms (a busy machine may add some), with the
    # callback spinning all the while.
    return 0.01 <= waited < 2 and spins[0] > 10


@fact("a second await of one coroutine raises RuntimeError: "
      "cannot reuse already awaited coroutine", on=((3, 11), (3, 13)))
async def await_twice():
    async def body():
        return 1

    coro = body()
    await coro
    try:
        await coro
    except RuntimeError as error:
        return str(error) == "cannot reuse already awaited coroutine"
    return False


check()
