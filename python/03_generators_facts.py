# versions: 3.8-3.13
"""Lesson 03's claims about Python's generators."""
import asyncio
import itertools

from facts import check, fact

THREE_ELEVEN = ((3, 11), (3, 13))


@fact("itertools.batched exists", since=(3, 12))
def batched():
    return hasattr(itertools, "batched")


@fact("an async generator cannot 'yield from'")
def no_yield_from():
    source = "async def agen():\n    yield 1\n    yield from [2]\n"
    try:
        compile(source, "agen.py", "exec")
    except SyntaxError as error:
        return "'yield from' inside async function" in str(error)
    return False


def tokens(log):
    async def gen():
        try:
            for n in range(5):
                await asyncio.sleep(0)
                yield n
        finally:
            log.append("closed")

    return gen()


@fact("break out of async for leaves a generator nobody references open; "
      "asyncio closes it a couple of loop turns later", on=THREE_ELEVEN)
async def unreferenced_closed_later():
    log = []
    async for n in tokens(log):
        if n == 1:
            break
    at_break = list(log)
    turns = 0
    while not log and turns < 10:
        await asyncio.sleep(0)
        turns += 1
    return at_break == [] and log == ["closed"] and 1 <= turns <= 3


@fact("a generator still referenced after break is closed only when "
      "asyncio.run shuts down", on=THREE_ELEVEN)
def referenced_closed_at_shutdown():
    log = []
    seen = {}

    async def main():
        kept = tokens(log)
        async for n in kept:
            if n == 1:
                break
        for _ in range(5):
            await asyncio.sleep(0)
        await asyncio.sleep(0.01)
        seen["before shutdown"] = list(log)
        seen["kept"] = kept  # still referenced when main returns

    asyncio.run(main())
    return seen["before shutdown"] == [] and log == ["closed"]


check()
