# versions: 3.10-3.13
"""Lesson 08, Coming from Python: a lock around the lazy pool, and one
statement for many rows.

The page shows the region. It runs here against a stand-in for asyncpg
(`asyncpg_stand_in.py`) that counts pools and statements. `X | None` in an
annotation needs 3.10.
"""
import asyncio
import sys

import asyncpg_stand_in

# The page's `import asyncpg` gets the stand-in, even where asyncpg exists.
sys.modules["asyncpg"] = asyncpg_stand_in
import asyncpg  # noqa: E402

DSN = "postgresql://localhost/follows"

# region pools
import asyncio
import asyncpg

_pool: asyncpg.Pool | None = None
_lock = asyncio.Lock()

async def get_pool() -> asyncpg.Pool:
    global _pool
    async with _lock:                # without it: a pool per early request
        if _pool is None:
            _pool = await asyncpg.create_pool(DSN, max_size=10)
    return _pool

async def save_follows(rows: list[tuple[int, str, int]]) -> None:
    pool = await get_pool()
    async with pool.acquire() as conn:      # the lease
        await conn.execute(
            """insert into follows (follower_id, rkey, subject_id)
               select * from unnest($1::bigint[], $2::text[], $3::bigint[])
               on conflict (follower_id, rkey)
               do update set subject_id = excluded.subject_id""",
            [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
        )
# endregion pools


async def main():
    batches = [[(n, f"rkey{n}", 42), (n, f"rkey{n}b", 43)] for n in (1, 2, 3)]
    await asyncio.gather(*(save_follows(rows) for rows in batches))
    pool = asyncpg.pools[0]
    print(f"3 concurrent first requests: create_pool ran "
          f"{len(asyncpg.pools)} time")
    rows = sum(len(args[0]) for _, args in pool.statements)
    print(f"{len(pool.statements)} statements for {rows} rows: "
          f"one per save_follows call")


asyncio.run(main())
