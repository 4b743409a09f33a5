# versions: 3.11-3.13
"""Lesson 06: events from anywhere in the call tree, the asyncio way.

The page shows the sketch in the region; the imports, the work that emits
and the consumer below it are this file's. `create_task(context=)` came in
3.11.
"""
import asyncio
import contextvars

# region event_stream
events = contextvars.ContextVar("events")  # holds an asyncio.Queue

async def emit(event: dict) -> None:
    await events.get().put(event)  # LookupError outside a stream

async def event_stream(work):
    queue: asyncio.Queue = asyncio.Queue()
    ctx = contextvars.copy_context()
    ctx.run(events.set, queue)  # the new task's context holds the queue
    task = asyncio.create_task(work(), context=ctx)
    done = object()
    task.add_done_callback(lambda _: queue.put_nowait(done))
    try:
        while (event := await queue.get()) is not done:
            yield event
        await task  # re-raises work's error
    finally:
        task.cancel()
# endregion event_stream


async def search(query: str) -> None:
    # Deep in the call tree, inside a task of its own: emit finds the queue.
    await emit({"type": "tool", "query": query})


async def agent() -> None:
    await emit({"type": "text", "delta": "Looking it up"})
    await asyncio.gather(search("asyncio"), search("contextvars"))
    await emit({"type": "text", "delta": "Done"})


async def failing() -> None:
    await emit({"type": "text", "delta": "one event, then"})
    raise RuntimeError("the work failed")


async def main() -> None:
    async for event in event_stream(agent):
        print(event)
    try:
        async for event in event_stream(failing):
            print(event)
    except RuntimeError as error:
        print("the loop raised:", error)
    try:
        await emit({"type": "text", "delta": "nobody listens"})
    except LookupError:
        print("emit outside a stream: LookupError")


asyncio.run(main())
