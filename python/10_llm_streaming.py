# versions: 3.9-3.13
# compile-only: needs the anthropic and fastapi packages, from PyPI
"""Lesson 10, Coming from Python: a FastAPI endpoint streaming the model.

The workbook's machines cannot install `anthropic` (no PyPI), and Debian's
`fastapi` is 0.92, so `npm run python` compiles this file on each version
and does not run it. Run it with `uvicorn 10_llm_streaming:app`.
"""
# region llm_streaming
from anthropic import AsyncAnthropic
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

client = AsyncAnthropic()  # reads ANTHROPIC_API_KEY
app = FastAPI()
MODEL = "claude-sonnet-5-5"

async def stream_text(prompt: str):
    async with client.messages.stream(
        model=MODEL,
        max_tokens=1024,
        messages=[{"role": "user", "content": prompt}],
    ) as stream:  # leaving the block closes the response
        async for text in stream.text_stream:
            yield text

@app.get("/answer")
async def answer(prompt: str = "Hello!"):
    return StreamingResponse(stream_text(prompt), media_type="text/plain")
# endregion llm_streaming
