# versions: 3.11-3.13
"""Lesson 13, Coming from Python: a log many readers replay and follow.

The page shows the region. The readers below it are this file's: two that
follow the log, one too late for the events it keeps (a window of 3), and
one cancelled while it waited.
"""
import asyncio
from collections import deque


# region event_log
class Gone(Exception):
    """The events asked for are no longer kept."""

class EventLog:
    def __init__(self, max_events=10_000):
        self._events = deque(maxlen=max_events)  # drops the oldest
        self._last_id = 0
        self._closed = False
        self._changed = asyncio.Condition()

    @property
    def first_id(self):
        return self._last_id - len(self._events) + 1

    async def append(self, event):
        async with self._changed:  # notify_all needs the lock
            self._last_id += 1
            self._events.append(event)
            self._changed.notify_all()
            return self._last_id

    async def close(self):
        async with self._changed:
            self._closed = True
            self._changed.notify_all()

    async def read(self, after_id):
        next_id = after_id + 1
        while True:
            async with self._changed:
                await self._changed.wait_for(
                    lambda: next_id <= self._last_id or self._closed)
                if next_id < self.first_id:
                    raise Gone(next_id)
                if next_id > self._last_id:
                    return  # closed, and read to the end
                event = self._events[next_id - self.first_id]
            yield next_id, event
            next_id += 1
# endregion event_log


async def follow(name, log, after_id):
    got = []
    try:
        async for id_, event in log.read(after_id):
            got.append(f"{id_}:{event}")
        print(f"{name} read {', '.join(got)} and the end")
    except Gone as gone:
        print(f"{name} read {', '.join(got) or 'nothing'}, then Gone({gone})")


def waiters(log):
    return len(log._changed._waiters)


async def main():
    log = EventLog(max_events=3)
    first = asyncio.create_task(follow("the reader from the start", log, 0))
    waiting = asyncio.create_task(follow("cancelled", log, 0))
    await asyncio.sleep(0)  # both wait for event 1
    print(f"{waiters(log)} readers wait on the condition")
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    print(f"one is cancelled: {waiters(log)} still waits, it left nothing")
    for event in "abcd":  # four appends, no other await between them
        await log.append(event)
    await follow("a reader after 0, now", log, 0)
    await log.close()
    await follow("a reader after 1", log, 1)
    await first


asyncio.run(main())
