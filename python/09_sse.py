# versions: 3.9-3.13
# compile-only: needs FastAPI 0.135 or later (fastapi.sse), from PyPI
"""Lesson 09, Coming from Python: an SSE countdown on FastAPI.

The workbook's machines cannot install FastAPI 0.135 (no PyPI; Debian has
0.92, without `fastapi.sse`), so `npm run python` compiles this file on
each version and does not run it. Run it with `uvicorn 09_sse:app`.
"""
# region sse
import asyncio
from collections.abc import AsyncIterable

from fastapi import FastAPI, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()

async def countdown(start: int) -> AsyncIterable[ServerSentEvent]:
    for n in range(start, -1, -1):
        await asyncio.sleep(1)
        yield ServerSentEvent(data=str(n), id=str(n))

@app.get("/countdown", response_class=EventSourceResponse)
async def stream(request: Request) -> AsyncIterable[ServerSentEvent]:
    last = request.headers.get("last-event-id")
    start = 5 if last is None else int(last) - 1
    async for event in countdown(start):
        yield event
# endregion sse
