# versions: 3.8-3.13
"""Lesson 01, Coming from Python: a coroutine runs nothing until awaited."""
# region coroutines
import asyncio

async def fetch_user(user_id: str) -> str:
    print("start", user_id)      # not printed yet...
    await asyncio.sleep(0.1)
    return f"user {user_id}"

async def main():
    coro = fetch_user("a")       # ...nothing runs here
    user = await coro            # "start a" is printed now

    # all at once: gather wraps each coroutine in a task
    users = await asyncio.gather(*(fetch_user(i) for i in "abc"))

asyncio.run(main())
# endregion coroutines
