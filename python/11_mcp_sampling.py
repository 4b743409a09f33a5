# versions: 3.10-3.13
# compile-only: needs the mcp (1.x) and anthropic packages, from PyPI
"""Lesson 11, Coming from Python: a sampling callback on mcp's client.

The workbook's machines cannot install `mcp` or `anthropic` (no PyPI), so
`npm run python` compiles this file on each version `mcp` supports (3.10
on) and does not run it. With both installed and a `server.py` beside it
that has a `summarize` tool, `python 11_mcp_sampling.py` runs it.
"""
import asyncio

ARTICLE = "Structured concurrency: no task outlives the scope it started in."

# region mcp_sampling
from anthropic import AsyncAnthropic
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.shared.context import RequestContext

anthropic = AsyncAnthropic()

async def sampling_callback(
    context: RequestContext[ClientSession, None],
    params: types.CreateMessageRequestParams,
) -> types.CreateMessageResult:
    reply = await anthropic.messages.create(
        model="claude-sonnet-5-5",
        max_tokens=min(params.maxTokens, 4096),
        messages=[
            {"role": m.role, "content": m.content.text}
            for m in params.messages
        ],
    )
    return types.CreateMessageResult(
        role="assistant",
        content=types.TextContent(type="text", text=reply.content[0].text),
        model=reply.model,
        stopReason="endTurn",
    )

async def main() -> None:
    server = StdioServerParameters(command="python", args=["server.py"])
    async with stdio_client(server) as (read, write):
        async with ClientSession(
            read, write, sampling_callback=sampling_callback
        ) as session:
            await session.initialize()
            result = await session.call_tool(
                "summarize", {"text": ARTICLE, "maxWords": 25}
            )
            print(result.content[0].text)
# endregion mcp_sampling

if __name__ == "__main__":
    asyncio.run(main())
