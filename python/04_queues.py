# versions: 3.13
"""Lesson 04, Coming from Python: a bounded queue, shut down when done.

The page shows the region; `handle` and the report around it are this
file's. Queue.shutdown came in 3.13, so this runs on 3.13 only.
"""
import asyncio

handled: list[int] = []


async def handle(item: int) -> None:
    await asyncio.sleep(0)
    handled.append(item)


# region queues
import asyncio

async def producer(queue: asyncio.Queue[int]) -> None:
    for item in range(24):
        await queue.put(item)      # waits while the queue is full
    queue.shutdown()               # 3.13+; before: one None per consumer

async def consumer(queue: asyncio.Queue[int]) -> None:
    while True:
        try:
            item = await queue.get()
        except asyncio.QueueShutDown:  # shut down and drained
            return
        await handle(item)

async def main() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=4)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(producer(queue))
        for _ in range(3):
            tg.create_task(consumer(queue))
# endregion queues

asyncio.run(main())
print(f"handled {len(handled)} items, in order: {handled == list(range(24))}")
print("main() returned: every consumer left its loop at QueueShutDown")
