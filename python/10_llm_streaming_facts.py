# versions: 3.8-3.13
"""Lesson 10's claims about leaving and interrupting an async generator."""
import asyncio
import builtins
import contextlib
import time

from facts import check, fact

THREE_ELEVEN = ((3, 11), (3, 13))


@fact("contextlib.aclosing exists (and the builtin anext)", since=(3, 10))
def aclosing():
    return hasattr(contextlib, "aclosing") and hasattr(builtins, "anext")


@fact("break out of async for does not close the generator: its finally "
      "runs only at aclose(), not after the loop, not 10 ms later",
      on=THREE_ELEVEN)
async def break_leaves_it_open():
    log = []

    async def tokens():
        try:
            for n in range(5):
                yield n
        finally:
            log.append("finally")

    stream = tokens()
    async for n in stream:
        if n == 1:
            break
    after_loop = list(log)
    await asyncio.sleep(0.01)
    later = list(log)
    await stream.aclose()
    return after_loop == [] and later == [] and log == ["finally"]


@fact("async with asyncio.timeout(0.1): await anext(g) raises "
      "CancelledError in g at its await, runs its finally, and raises "
      "TimeoutError after 0.10 s", on=THREE_ELEVEN)
async def timeout_interrupts_generator():
    log = []

    async def stuck():
        try:
            await asyncio.sleep(10)
            yield "never"
        except asyncio.CancelledError:
            log.append("CancelledError at the await")
            raise
        finally:
            log.append("finally")

    started = time.perf_counter()
    try:
        async with asyncio.timeout(0.1):
            await anext(stuck())  # noqa: F821 (3.10+)
    except TimeoutError:
        waited = time.perf_counter() - started
        return (log == ["CancelledError at the await", "finally"]
                and 0.1 <= waited < 2)  # not the generator's 10 s
    return False


check()
