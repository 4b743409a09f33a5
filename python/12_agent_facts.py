# versions: 3.7-3.13
"""Lesson 12's claim about CancelledError and `except Exception`."""
import asyncio

from facts import check, fact


@fact("CancelledError is not an Exception, so `except Exception` lets a "
      "cancellation through", since=(3, 8))
async def cancelled_error_passes_through():
    caught = []

    async def tool():
        try:
            await asyncio.sleep(10)
        except Exception:
            caught.append("by except Exception")
            return "error result"

    task = asyncio.ensure_future(tool())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    return (not issubclass(asyncio.CancelledError, Exception)
            and caught == [] and task.cancelled())


check()
