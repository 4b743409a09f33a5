# versions: 3.11-3.13
"""Lesson 09's claims about a client that leaves, in plain asyncio."""
import asyncio
import socket
import time

from facts import check, fact

THREE_ELEVEN = ((3, 11), (3, 13))


@fact("cancelling the task that reads a generator waiting a second for its "
      "next token runs the generator's finally at once", on=THREE_ELEVEN)
async def cancel_reaches_generator():
    closed = asyncio.get_running_loop().create_future()

    async def tokens():
        try:
            while True:
                await asyncio.sleep(1)
                yield "token"
        finally:
            closed.set_result(time.perf_counter())

    async def respond():
        async for _ in tokens():
            pass

    task = asyncio.ensure_future(respond())
    await asyncio.sleep(0.01)  # the generator is in its one-second wait
    cancelled_at = time.perf_counter()
    task.cancel()
    finally_at = await asyncio.wait_for(closed, 5)
    # "0 ms" on the page: at the next turn of the loop, not when the second
    # it was waiting for is over (a busy machine may add a little).
    return finally_at - cancelled_at < 0.5


@fact("drain() raises ConnectionResetError when a client stopped reading "
      "and then left", on=THREE_ELEVEN)
async def drain_raises():
    loop = asyncio.get_running_loop()
    blocked, outcome = asyncio.Event(), loop.create_future()

    async def handle(reader, writer):
        try:
            for _ in range(10_000):
                writer.write(b"x" * 16384)
                if writer.transport.get_write_buffer_size() > 0:
                    blocked.set()  # the client's buffers are full
                await writer.drain()
            outcome.set_result("never failed")
        except Exception as error:
            outcome.set_result(type(error).__name__)
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))  # never reads
    try:
        await asyncio.wait_for(blocked.wait(), 5)
    finally:
        client.close()  # with unread data: the kernel resets the connection
    try:
        return await asyncio.wait_for(outcome, 5) == "ConnectionResetError"
    finally:
        server.close()
        await server.wait_closed()


check()
