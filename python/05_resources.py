# versions: 3.8-3.13
"""Lesson 05, Coming from Python: AsyncExitStack, last in first out.

The page shows the region. `handle`, `log` and `serve_a_while` are this
file's, and it marks the moment each resource is let go, so the output
shows the order in which the stack closes them.
"""
import asyncio
import os
import tempfile


async def handle(reader, writer):
    writer.write(await reader.readline())
    await writer.drain()
    writer.close()


async def log(message):
    print(message)


async def serve_a_while(port, tmp):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello\n")
    print("the server echoed", (await reader.readline()).decode().strip())
    writer.close()
    await writer.wait_closed()
    print("the temporary directory exists:", os.path.isdir(tmp))


def marked(cls, method, note):
    original = getattr(cls, method)

    def wrapper(self, *args, **kwargs):
        print(note)
        return original(self, *args, **kwargs)

    setattr(cls, method, wrapper)


marked(tempfile.TemporaryDirectory, "cleanup", "tmp removed")
marked(asyncio.base_events.Server, "close", "server closed")

# region resources
import asyncio
import contextlib
import tempfile

async def main():
    async with contextlib.AsyncExitStack() as stack:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        await stack.enter_async_context(server)        # closed on the way out
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="demo-"))
        stack.push_async_callback(log, "all closed")   # runs first: last in
        port = server.sockets[0].getsockname()[1]
        await serve_a_while(port, tmp)
    # left the block: log, tmp removed, server closed, in that order

asyncio.run(main())
# endregion resources
