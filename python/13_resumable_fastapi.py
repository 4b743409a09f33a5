# versions: 3.11-3.13
# compile-only: needs FastAPI 0.135 or later (fastapi.sse), from PyPI
"""Lesson 13, Coming from Python: the runs as a FastAPI app.

The workbook's machines cannot install FastAPI 0.135 (no PyPI), so `npm run
python` compiles this file on each version and does not run it. The log is
13_resumable.py's; `run_agent` is lesson 12's agent, writing to it.
"""
import asyncio
import uuid
from dataclasses import dataclass

from fastapi import FastAPI, HTTPException, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel

from agent import run_agent  # lesson 12's agent, appending to the log
from resumable import EventLog  # 13_resumable.py's EventLog

app = FastAPI()


class Chat(BaseModel):
    messages: list[dict]


@dataclass
class Run:
    log: EventLog
    task: asyncio.Task


# region fastapi
runs: dict[str, Run] = {}

@app.post("/api/runs", status_code=202)
async def start(chat: Chat):
    run_id, log = str(uuid.uuid4()), EventLog()
    task = asyncio.create_task(run_agent(chat.messages, log))
    runs[run_id] = Run(log, task)  # keep the task: see below
    return {"id": run_id, "events": f"/api/runs/{run_id}/events"}

@app.get("/api/runs/{run_id}/events",
         response_class=EventSourceResponse)
async def events(run_id: str, request: Request, after: int = 0):
    run = runs.get(run_id)
    if run is None:
        raise HTTPException(status_code=404)
    last = request.headers.get("last-event-id")
    start = int(last) if last is not None else after
    async for id_, event in run.log.read(start):
        yield ServerSentEvent(data=event, event=event["type"],
                              id=str(id_))

@app.delete("/api/runs/{run_id}", status_code=204)
async def stop(run_id: str):
    runs[run_id].task.cancel()
# endregion fastapi
