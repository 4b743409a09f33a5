# versions: 3.8-3.13
"""Lesson 07's claims about asyncio.Semaphore, gather, TaskGroup and
as_completed: nine calls at a limit of 3, as the page measured them."""
import asyncio

from facts import check, fact

MEASURED = ((3, 11), (3, 13))  # 3.11.7, 3.12.1 and 3.13.0 on the page


@fact("asyncio.Semaphore(0) is allowed")
def semaphore_zero():
    return asyncio.Semaphore(0).locked()


@fact("a Semaphore(1) released once too many silently has a value of 2",
      on=MEASURED)
async def over_release():
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    sem.release()
    sem.release()
    return sem._value == 2


@fact("a BoundedSemaphore released once too many raises ValueError: "
      "BoundedSemaphore released too many times", on=MEASURED)
async def bounded_over_release():
    sem = asyncio.BoundedSemaphore(1)
    await sem.acquire()
    sem.release()
    try:
        sem.release()
    except ValueError as error:
        return str(error) == "BoundedSemaphore released too many times"
    return False


async def permit_order():
    """A holds the permit while B and C queue, then releases and asks
    again at once, three times."""
    sem, order = asyncio.Semaphore(1), []

    async def greedy():
        await sem.acquire()
        order.append("A")
        await asyncio.sleep(0.01)  # B and C queue up meanwhile
        for _ in range(3):
            sem.release()
            await sem.acquire()
            order.append("A")
        sem.release()

    async def waiter(name):
        async with sem:
            order.append(name)

    await asyncio.gather(greedy(), waiter("B"), waiter("C"))
    return order


@fact("a task that releases and asks again queues behind the waiters "
      "(CPython issue 90155)", since=(3, 9))
async def semaphore_fair():
    return await permit_order() == ["A", "B", "C", "A", "A", "A"]


@fact("3.8 lets the releasing task take the permit back three times in a "
      "row before either waiter", on=((3, 8), (3, 8)))
async def semaphore_unfair_on_3_8():
    return await permit_order() == ["A", "A", "A", "A", "B", "C"]


def nine_calls(fails=None):
    sem, started = asyncio.Semaphore(3), []

    async def call(n):
        async with sem:
            started.append(n)
            if n == fails:
                raise ValueError("call %d failed" % n)
            await asyncio.sleep(0.01)
            return n

    return sem, started, call


@fact("a bounded gather makes all nine tasks at once, six of them waiting "
      "on the semaphore", on=MEASURED)
async def bounded_gather_is_eager():
    sem, started, call = nine_calls()
    seen = {}

    async def look():
        await asyncio.sleep(0.005)  # the first three are in their calls
        seen["tasks"] = len(asyncio.all_tasks()) - 2  # not main, not this
        seen["waiting"] = seen["tasks"] - len(started)

    await asyncio.gather(look(), *(call(n) for n in range(1, 10)))
    return seen == {"tasks": 9, "waiting": 6}


@fact("gather raises the first error but cancels nothing: all nine calls "
      "start", on=MEASURED)
async def gather_cancels_nothing():
    sem, started, call = nine_calls(fails=2)
    calls = [asyncio.ensure_future(call(n)) for n in range(1, 10)]
    try:
        await asyncio.gather(*calls)
    except ValueError:
        pass
    await asyncio.wait(calls)
    return sorted(started) == list(range(1, 10))


@fact("a TaskGroup cancels the rest, but the permit of the failed call 2 "
      "first starts call 4: calls 1 to 4 start", on=MEASURED)
async def task_group_starts_one_more():
    sem, started, call = nine_calls(fails=2)
    try:
        async with asyncio.TaskGroup() as group:
            for n in range(1, 10):
                group.create_task(call(n))
    except ExceptionGroup:  # noqa: F821 (3.11+)
        pass
    return started == [1, 2, 3, 4]


@fact("as_completed starts its awaitables in the order of set(aws), "
      "which follows their memory addresses")
async def as_completed_order():
    started = []

    async def call(n):
        started.append(n)
        await asyncio.sleep(0)
        return n

    coros = [call(n) for n in range(1, 10)]
    set_order = [coros.index(c) + 1 for c in set(coros)]
    for next_done in asyncio.as_completed(coros):
        await next_done
    return started == set_order


check()
