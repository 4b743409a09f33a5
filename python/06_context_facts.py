# versions: 3.8-3.13
"""Lesson 06's claims about contextvars under asyncio."""
import asyncio
import contextvars

from facts import check, fact

THREE_ELEVEN = ((3, 11), (3, 13))
request_id = contextvars.ContextVar("request_id", default="-")


@fact("create_task(coro, context=ctx) is accepted (a TypeError before)",
      since=(3, 11))
async def create_task_context():
    ctx = contextvars.copy_context()
    ctx.run(request_id.set, "in ctx")

    async def read():
        return request_id.get()

    coro = read()
    try:
        task = asyncio.create_task(coro, context=ctx)
    except TypeError:
        coro.close()
        return False
    return await task == "in ctx"


@fact("ContextVar.get() without a default raises LookupError when unset")
def get_without_default():
    unset = contextvars.ContextVar("unset")
    try:
        unset.get()
    except LookupError:
        return True
    return False


@fact("a coroutine awaited directly runs in its caller's context: its set() "
      "stays in the caller", on=THREE_ELEVEN)
async def await_shares_context():
    async def sets_it():
        request_id.set("set by sets_it")

    await sets_it()
    return request_id.get() == "set by sets_it"


@fact("set() inside a task stays in the task's copy", on=THREE_ELEVEN)
async def task_keeps_its_set():
    async def sets_it():
        request_id.set("set in a task")

    await asyncio.create_task(sets_it())
    return request_id.get() == "-"


@fact("create_task copies the current context")
async def create_task_copies():
    request_id.set("parent's")

    async def read():
        return request_id.get()

    return await asyncio.create_task(read()) == "parent's"


@fact("a call_soon callback sees the value current at call_soon, not at "
      "the call")
async def call_soon_copies():
    loop = asyncio.get_running_loop()
    seen = loop.create_future()
    request_id.set("at call_soon")
    loop.call_soon(lambda: seen.set_result(request_id.get()))
    request_id.set("changed after")
    return await seen == "at call_soon"


check()
