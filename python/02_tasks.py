# versions: 3.11-3.13
"""Lesson 02, Coming from Python: tasks, wait, timeout and TaskGroup.

The page shows `main`; the fetchers it calls are stand-ins defined here.
"""
import asyncio

url, user_id = "https://example.com/", 7


async def fetch(name: str) -> str:
    try:
        await asyncio.sleep(0.2 if name == "slow" else 0.01)
    except asyncio.CancelledError:
        print(f"{name}: cancelled")
        raise
    print(f"{name}: done")
    return name


async def fetch_page(url: str) -> str:
    await asyncio.sleep(0.01)
    return f"<html>{url}</html>"


async def fetch_user(user_id: int) -> str:
    await asyncio.sleep(0.02)
    return f"user {user_id}"


async def fetch_orders(user_id: int) -> list[str]:
    await asyncio.sleep(0.01)
    return ["order 1", "order 2"]


# region tasks
import asyncio

async def main():
    # a task: scheduled now, runs at the next await
    slow = asyncio.create_task(fetch("slow"))
    fast = asyncio.create_task(fetch("fast"))

    done, pending = await asyncio.wait(
        {slow, fast}, return_when=asyncio.FIRST_COMPLETED, timeout=1.0
    )
    for task in pending:
        task.cancel()          # raises CancelledError inside the task

    async with asyncio.timeout(2.0):
        page = await fetch_page(url)

    async with asyncio.TaskGroup() as tg:
        user = tg.create_task(fetch_user(user_id))
        orders = tg.create_task(fetch_orders(user_id))
    # here both are done; had one failed, the other was cancelled
    print(user.result(), orders.result())
# endregion tasks

asyncio.run(main())
