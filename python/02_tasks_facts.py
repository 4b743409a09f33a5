# versions: 3.8-3.13
"""Lesson 02's claims about asyncio's tasks, wait, timeout and TaskGroup."""
import asyncio
import gc
import time

from facts import check, fact

THREE_ELEVEN = ((3, 11), (3, 13))


@fact("asyncio.TaskGroup and asyncio.timeout exist", since=(3, 11))
def task_group_and_timeout():
    return hasattr(asyncio, "TaskGroup") and hasattr(asyncio, "timeout")


def handled_messages(loop):
    messages = []
    loop.set_exception_handler(lambda _, context: messages.append(
        context["message"]))
    return messages


@fact("a task nobody references, waiting on a future nobody holds, is "
      "destroyed at the next gc.collect(): 'Task was destroyed but it is "
      "pending!'", on=THREE_ELEVEN)
async def unreferenced_task_collected():
    loop = asyncio.get_running_loop()
    messages = handled_messages(loop)

    async def waits_for_ever():
        await loop.create_future()

    asyncio.create_task(waits_for_ever())  # dropped at once
    await asyncio.sleep(0)
    gc.collect()
    return "Task was destroyed but it is pending!" in messages


@fact("a dropped task that failed logs 'Task exception was never "
      "retrieved")
async def dropped_failure_logged():
    messages = handled_messages(asyncio.get_running_loop())

    async def fails():
        raise ValueError("lost")

    asyncio.create_task(fails())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    gc.collect()
    return "Task exception was never retrieved" in messages


@fact("asyncio.wait(set()) raises ValueError: Set of Tasks/Futures is "
      "empty.", on=THREE_ELEVEN)
async def wait_on_nothing():
    try:
        await asyncio.wait(set())
    except ValueError as error:
        return str(error) == "Set of Tasks/Futures is empty."
    return False


async def slow_to_unwind(unwind):
    try:
        await asyncio.sleep(10)
    finally:
        await asyncio.sleep(unwind)


@fact("at its deadline asyncio.timeout waits for the body to unwind: a "
      "0.5 s finally keeps timeout(0.1) open for 0.6 s", on=THREE_ELEVEN)
async def timeout_waits_for_unwinding():
    started = time.perf_counter()
    try:
        async with asyncio.timeout(0.1):
            await slow_to_unwind(0.5)
    except TimeoutError:
        return time.perf_counter() - started >= 0.6
    return False


@fact("asyncio.wait_for waits for the body to unwind too", on=THREE_ELEVEN)
async def wait_for_waits_for_unwinding():
    started = time.perf_counter()
    try:
        await asyncio.wait_for(slow_to_unwind(0.2), 0.05)
    except TimeoutError:
        return time.perf_counter() - started >= 0.25
    return False


async def swallows_cancel():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        return "swallowed"


@fact("a body that catches the CancelledError and returns makes "
      "asyncio.timeout return its value, with no TimeoutError",
      on=THREE_ELEVEN)
async def timeout_swallowed():
    async with asyncio.timeout(0.01):
        value = await swallows_cancel()
    return value == "swallowed"


@fact("asyncio.wait_for returns the value of a body that swallowed the "
      "cancellation", on=THREE_ELEVEN)
async def wait_for_swallowed():
    return await asyncio.wait_for(swallows_cancel(), 0.01) == "swallowed"


@fact("a TaskGroup with one failed task raises an ExceptionGroup: "
      "'unhandled errors in a TaskGroup (1 sub-exception)'", on=THREE_ELEVEN)
async def one_failure_wrapped():
    async def fails():
        raise ValueError("orders")

    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(fails())
    except ExceptionGroup as group_error:  # noqa: F821 (3.11+)
        return (str(group_error)
                == "unhandled errors in a TaskGroup (1 sub-exception)"
                and len(group_error.exceptions) == 1)
    return False


@fact("asyncio.staggered.staggered_race exists, and open_connection takes "
      "happy_eyeballs_delay")
def staggered():
    import inspect
    import asyncio.staggered
    parameters = inspect.signature(asyncio.open_connection).parameters
    return (callable(asyncio.staggered.staggered_race)
            and ("happy_eyeballs_delay" in parameters
                 or "kwds" in parameters))


check()
