# versions: 3.8-3.13
"""Lesson 08's opening: a pool created on first use races.

The page shows the region. It runs here against a stand-in for asyncpg
(`asyncpg_stand_in.py`) that counts the pools created.
"""
import asyncio
import sys

import asyncpg_stand_in

# The page's `import asyncpg` gets the stand-in, even where asyncpg exists.
sys.modules["asyncpg"] = asyncpg_stand_in
import asyncpg  # noqa: E402

DSN = "postgresql://localhost/follows"

# region lazy_pool
_pool = None

async def get_pool():
    global _pool
    if _pool is None:
        _pool = await asyncpg.create_pool(DSN)
    return _pool

async def save_follow(follower_id: int, rkey: str, subject_id: int) -> None:
    pool = await get_pool()
    async with pool.acquire() as conn:
        await conn.execute(
            """insert into follows (follower_id, rkey, subject_id)
               values ($1, $2, $3)
               on conflict (follower_id, rkey)
               do update set subject_id = excluded.subject_id""",
            follower_id, rkey, subject_id,
        )
# endregion lazy_pool


async def main():
    # Three requests arrive before the pool exists.
    await asyncio.gather(*(save_follow(n, f"rkey{n}", 42) for n in (1, 2, 3)))
    kept = sum(pool is _pool for pool in asyncpg.pools)
    print(f"3 concurrent first requests: create_pool ran "
          f"{len(asyncpg.pools)} times")
    print(f"{kept} pool is kept, {len(asyncpg.pools) - kept} are lost "
          f"and never closed")


asyncio.run(main())
