# versions: 3.8-3.13
"""A stand-in for the part of asyncpg that lesson 08's Python uses.

asyncpg is not installed on the workbook's machines (no PyPI) and needs a
Postgres. The page's point is the race around `create_pool` and the number
of statements, not the SQL, so this counts those: every pool created, and
every statement sent. `create_pool` takes a while, as connecting does.
"""
import asyncio

pools = []


class Connection:
    def __init__(self, pool):
        self.pool = pool

    async def execute(self, sql, *args):
        await asyncio.sleep(0)
        self.pool.statements.append((" ".join(sql.split()), args))
        return "INSERT 0 %d" % (len(args[0]) if args and isinstance(
            args[0], list) else 1)


class _Acquire:
    def __init__(self, pool):
        self.pool = pool

    async def __aenter__(self):
        return Connection(self.pool)

    async def __aexit__(self, *exc_info):
        return None


class Pool:
    def __init__(self, dsn, options):
        self.dsn, self.options, self.statements = dsn, options, []

    def acquire(self):
        return _Acquire(self)


async def create_pool(dsn, **options):
    await asyncio.sleep(0.01)  # connecting
    pool = Pool(dsn, options)
    pools.append(pool)
    return pool
