# versions: 3.12-3.13
"""Lesson 03, Coming from Python: batched, islice, and leaving async for."""
# region generators
import asyncio
from itertools import batched, islice  # batched: Python 3.12+

def naturals():
    n = 1
    while True:
        yield n
        n += 1

print(list(islice(batched(naturals(), 3), 2)))  # [(1, 2, 3), (4, 5, 6)]

async def stream_tokens(text: str, delay: float):
    try:
        for word in text.split(" "):
            await asyncio.sleep(delay)
            yield word
    finally:
        print("closed")

async def main():
    tokens = stream_tokens("a b c d", 0.05)
    async for token in tokens:
        if token == "b":
            break
    await tokens.aclose()  # without it: closed when asyncio.run ends

asyncio.run(main())
# endregion generators
