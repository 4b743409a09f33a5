# versions: 3.11-3.13
"""Lesson 07, Coming from Python: a semaphore, a TaskGroup, a rate limit.

The page shows the region. `fetch` and the report are this file's. The
`aiolimiter` package is not installed on the workbook's machines (no PyPI),
so when it is missing a stand-in with its interface takes its place: a
leaky bucket of `max_rate` calls per `time_period`, which lets a burst of
`max_rate` through and then spaces the calls out.
"""
import asyncio
import sys
import time
import types

try:
    import aiolimiter  # noqa: F401
    LIMITER = "aiolimiter"
except ImportError:
    LIMITER = "a stand-in for aiolimiter (not installed)"

    class AsyncLimiter:
        def __init__(self, max_rate, time_period=60):
            self.max_rate, self.per_second = max_rate, max_rate / time_period
            self.level, self.last = 0.0, time.monotonic()

        async def __aenter__(self):
            while True:
                now = time.monotonic()
                leaked = (now - self.last) * self.per_second
                self.level, self.last = max(0.0, self.level - leaked), now
                if self.level + 1 <= self.max_rate:
                    self.level += 1
                    return
                await asyncio.sleep(
                    (self.level + 1 - self.max_rate) / self.per_second)

        async def __aexit__(self, *exc_info):
            return None

    sys.modules["aiolimiter"] = types.SimpleNamespace(
        AsyncLimiter=AsyncLimiter)

in_flight, most_in_flight, started_at = 0, 0, []


async def fetch(url: str) -> str:
    global in_flight, most_in_flight
    in_flight += 1
    if len(started_at) < 24:  # the first two phases: 12 urls each
        most_in_flight = max(most_in_flight, in_flight)
    started_at.append(time.monotonic())
    await asyncio.sleep(0.01)
    in_flight -= 1
    return f"<html>{url}</html>"


# region semaphores
import asyncio
from aiolimiter import AsyncLimiter  # pip install aiolimiter

async def main(urls: list[str]) -> None:
    sem = asyncio.Semaphore(8)  # at most 8 requests at a time

    async def fetch_limited(url: str) -> str:
        async with sem:
            return await fetch(url)

    # bounded gather: a task per url, created up front; 8 run at once
    pages = await asyncio.gather(*(fetch_limited(url) for url in urls))

    # fail fast: the first error cancels every other task (3.11+)
    async with asyncio.TaskGroup() as tg:
        for url in urls:
            tg.create_task(fetch_limited(url))

    # a rate limit: at most 10 calls a second, in bursts of 10
    limiter = AsyncLimiter(10, 1)

    async def fetch_paced(url: str) -> str:
        async with limiter:
            return await fetch(url)

    pages = await asyncio.gather(*(fetch_paced(url) for url in urls))
# endregion semaphores

urls = [f"https://example.com/{n}" for n in range(12)]
asyncio.run(main(urls))
limited, paced = started_at[:24], started_at[24:]
print(f"{len(limited)} limited fetches, at most {most_in_flight} at a time")
# The 11th call may start 100 ms after the first, the 12th 200 ms after
# (later on a busy machine, never sooner).
burst = sum(1 for t in paced if t - paced[0] < 0.09)
spaced = all(t - paced[0] >= 0.1 * (n - 9) - 0.005
             for n, t in enumerate(paced) if n >= 10)
print(f"{len(paced)} paced fetches, through {LIMITER}:")
print(f"  {burst} at once, then one every 100 ms or more: {spaced}")
