# versions: 3.8-3.13
"""Lesson 04's claims about asyncio.Queue and its shutdown()."""
import asyncio

from facts import check, fact

ON_3_13 = ((3, 13), (3, 13))


@fact("asyncio.Queue has shutdown() and asyncio.QueueShutDown",
      since=(3, 13))
def has_shutdown():
    return (hasattr(asyncio.Queue, "shutdown")
            and hasattr(asyncio, "QueueShutDown"))


@fact("asyncio.Queue(maxsize=0) is unbounded")
async def zero_is_unbounded():
    queue = asyncio.Queue(maxsize=0)
    for n in range(10_000):
        queue.put_nowait(n)
    return queue.qsize() == 10_000 and not queue.full()


async def raises_shut_down(awaitable):
    try:
        await awaitable
    except asyncio.QueueShutDown:
        return True
    return False


@fact("after shutdown(), put raises QueueShutDown", on=ON_3_13)
async def put_after_shutdown():
    queue = asyncio.Queue()
    queue.shutdown()
    return await raises_shut_down(queue.put(1))


@fact("after shutdown(), get returns what is left, then raises",
      on=ON_3_13)
async def get_drains_then_raises():
    queue = asyncio.Queue()
    queue.put_nowait("a")
    queue.put_nowait("b")
    queue.shutdown()
    left = [await queue.get(), await queue.get()]
    return left == ["a", "b"] and await raises_shut_down(queue.get())


@fact("shutdown() makes a waiting getter and a waiting putter raise at once",
      on=ON_3_13)
async def waiters_raise():
    empty, full = asyncio.Queue(), asyncio.Queue(maxsize=1)
    full.put_nowait("x")
    getter = asyncio.ensure_future(raises_shut_down(empty.get()))
    putter = asyncio.ensure_future(raises_shut_down(full.put("y")))
    await asyncio.sleep(0)
    empty.shutdown()
    full.shutdown()
    await asyncio.sleep(0)
    return getter.done() and putter.done() and getter.result() \
        and putter.result()


@fact("shutdown(immediate=True) throws away the items still queued",
      on=ON_3_13)
async def immediate_drops():
    queue = asyncio.Queue()
    queue.put_nowait("a")
    queue.shutdown(immediate=True)
    return queue.qsize() == 0 and await raises_shut_down(queue.get())


check()
