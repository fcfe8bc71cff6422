"""Bulk loads of complete complaint rows: the benchmark's database of a million complaints.

Faster than the repository's one-transaction `import_rows` alone, and only for a scratch database that is
rebuilt if the load dies: SQLite skips waiting for the disk while loading; PostgreSQL takes the rows
through COPY, the path an operator restoring an export would take. The rows are those of `import_rows`
(talon and sequence included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import asyncpg

from bot.storage.database import Database

Rows = Sequence[Mapping[str, Any]]


async def load_sqlite_scratch(db: Database, batches: Iterable[Rows]) -> None:
    """Load `batches` into a scratch SQLite file, then fold the WAL into it."""
    await db.engine.execute("PRAGMA synchronous=OFF")  # a scratch file: rebuilt if the run dies
    for rows in batches:
        await db.complaints.import_rows(rows)
    await db.engine.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def copy_into_postgres(url: str, size: int, batches: Iterable[Rows]) -> bool:
    """Replace the complaints of the PostgreSQL database at `url` (already migrated) by `batches`, unless
    it already holds `size` of them; True when it loaded. The talon sequence moves to `size`."""
    conn = await asyncpg.connect(url)
    try:
        have = await conn.fetchval("SELECT COUNT(*) FROM complaint")
        if have >= size:
            return False
        await conn.execute("TRUNCATE complaint CASCADE")
        for rows in batches:
            columns = list(rows[0])
            await conn.copy_records_to_table("complaint", columns=columns,
                                             records=[tuple(r[c] for c in columns) for r in rows])
        await conn.execute("UPDATE talon_sequence SET last_value = $1 WHERE name = 'complaint'", size)
        await conn.execute("VACUUM (ANALYZE) complaint")  # settle the new rows before timing lookups
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()
    return True
