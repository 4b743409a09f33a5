# versions: 3.8-3.13
"""Lesson 06, Coming from Python: a ContextVar per request."""
# region context
import asyncio
import contextvars

request_id = contextvars.ContextVar("request_id", default="-")

def log(message: str) -> None:
    print(f"[{request_id.get()}] {message}")

async def handle(rid: str, delay: float) -> None:
    request_id.set(rid)  # in this task's own copy of the context
    log("start")
    await asyncio.sleep(delay)
    log("done")

async def main() -> None:
    # gather wraps each coroutine in a task, with a copy of the context
    await asyncio.gather(handle("A", 0.02), handle("B", 0.01))
    log("after both")  # [-]: the tasks' set() stayed in the tasks

asyncio.run(main())
# endregion context
