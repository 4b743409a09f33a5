# versions: 3.8-3.13
"""Lesson 05's claims about async with and AsyncExitStack."""
import contextlib

from facts import check, fact

THREE_ELEVEN = ((3, 11), (3, 13))


class Suppresses:
    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        return True


class RaisesOnExit:
    def __init__(self, error):
        self.error = error

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        raise self.error


@fact("__aexit__ can return True to suppress the body's exception")
async def aexit_suppresses():
    async with Suppresses():
        raise ValueError("swallowed")
    return True


@fact("an error in __aexit__ replaces the body's, which becomes its "
      "__context__")
async def aexit_error_chains():
    body, cleanup = ValueError("body"), RuntimeError("cleanup")
    try:
        async with RaisesOnExit(cleanup):
            raise body
    except RuntimeError as error:
        return error is cleanup and error.__context__ is body
    return False


@fact("when two AsyncExitStack callbacks raise and the body did not, only "
      "the last error is kept (its __context__ is None: CPython issue "
      "102201)", on=THREE_ELEVEN)
async def exit_stack_loses_first():
    first, last = ValueError("first"), RuntimeError("last")

    async def fail(error):
        raise error

    try:
        async with contextlib.AsyncExitStack() as stack:
            stack.push_async_callback(fail, last)  # runs second
            stack.push_async_callback(fail, first)  # runs first
    except RuntimeError as error:
        return error is last and error.__context__ is None
    return False


@fact("nested async with blocks chain both errors", on=THREE_ELEVEN)
async def nested_chain_both():
    first, last = ValueError("first"), RuntimeError("last")
    try:
        async with RaisesOnExit(last):
            async with RaisesOnExit(first):
                pass
    except RuntimeError as error:
        return error is last and error.__context__ is first
    return False


check()
