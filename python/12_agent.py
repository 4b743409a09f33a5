# versions: 3.11-3.13
"""Lesson 12, Coming from Python: the agent loop in asyncio.

The page shows `run_agent` (the region). The `anthropic` package is not
installed on the workbook's machines (no PyPI), so it runs here against a
stand-in for `client.messages.stream()` that plays scripted replies, with
tools that record when they run. asyncio.TaskGroup needs 3.11.
"""
import asyncio
from types import SimpleNamespace as Obj

MODEL = "claude-sonnet-5-5"


class Stream:
    """What `async with client.messages.stream(...) as stream` gives."""

    def __init__(self, reply):
        self.reply = reply

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        return None

    async def __aiter__(self):
        for block in self.reply:
            if block.type == "text":
                await asyncio.sleep(0)
                yield Obj(type="text", text=block.text)

    async def get_final_message(self):
        return Obj(content=self.reply)


class Client:
    """A stand-in for anthropic.AsyncAnthropic: one scripted reply a turn."""

    def __init__(self, replies):
        self.replies, self.requests = replies, 0
        self.messages = self

    def stream(self, **params):
        self.requests += 1
        return Stream(self.replies(self.requests))


def text(words):
    return Obj(type="text", text=words)


def tool_use(n, seconds):
    return Obj(type="tool_use", id=f"call_{n}", name="wait",
               input={"seconds": seconds})


class Wait:
    schema = {"name": "wait", "input_schema": {"type": "object"}}
    running, most, finished, cancelled = 0, 0, [], []

    async def __call__(self, call):
        Wait.running += 1
        Wait.most = max(Wait.most, Wait.running)
        try:
            await asyncio.sleep(call.input["seconds"])
            Wait.finished.append(call.id)
            return f"waited {call.input['seconds']} s"
        except asyncio.CancelledError:
            Wait.cancelled.append(call.id)
            raise
        finally:
            Wait.running -= 1


async def run_tool(tools, call):
    try:
        content = await tools[call.name](call)
        return {"type": "tool_result", "tool_use_id": call.id,
                "content": content}
    except Exception as error:  # not CancelledError: that passes through
        return {"type": "tool_result", "tool_use_id": call.id,
                "content": str(error), "is_error": True}


async def emit(event):
    print(f"{event['type']}: {event['delta']}")


# region agent
async def run_agent(client, messages, tools, emit,
                    max_turns=8, max_concurrent_tools=4):
    limit = asyncio.Semaphore(max_concurrent_tools)
    transcript = list(messages)
    for _ in range(max_turns):
        async with client.messages.stream(
            model=MODEL, max_tokens=4096, messages=transcript,
            tools=[tool.schema for tool in tools.values()],
        ) as stream:
            async for event in stream:
                if event.type == "text":
                    await emit({"type": "text", "delta": event.text})
            reply = await stream.get_final_message()
        transcript.append({"role": "assistant", "content": reply.content})
        calls = [b for b in reply.content if b.type == "tool_use"]
        if not calls:
            break

        async def run_one(call):
            async with limit:
                return await run_tool(tools, call)

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(run_one(c)) for c in calls]
        transcript.append(
            {"role": "user", "content": [t.result() for t in tasks]})
    return transcript
# endregion agent


async def main():
    tools = {"wait": Wait()}
    question = [{"role": "user", "content": "Wait three times."}]

    def two_turns(turn):
        if turn == 1:
            return [text("Three waits."), tool_use(1, 0.1),
                    tool_use(2, 0.01), tool_use(3, 0.01)]
        return [text("All done.")]

    transcript = await run_agent(Client(two_turns), question, tools, emit,
                                 max_concurrent_tools=2)
    results = [r["tool_use_id"] for r in transcript[2]["content"]]
    print(f"3 tool calls, at most {Wait.most} running at a time")
    print(f"they finished in the order {', '.join(Wait.finished)}")
    print(f"the results are in call order: {', '.join(results)}")

    async def quiet(event):
        pass

    always = Client(lambda turn: [tool_use(turn, 0)])
    await run_agent(always, question, tools, quiet, max_turns=3)
    print(f"a model that always calls a tool, max_turns=3: "
          f"{always.requests} requests")

    slow = Client(lambda turn: [tool_use(1, 10), tool_use(2, 10)])
    agent = asyncio.create_task(run_agent(slow, question, tools, quiet))
    while Wait.running < 2:
        await asyncio.sleep(0)
    agent.cancel()
    try:
        await agent
    except asyncio.CancelledError:
        print(f"cancelling the agent's task cancelled "
              f"{', '.join(sorted(Wait.cancelled))}")


asyncio.run(main())
