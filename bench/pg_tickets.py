"""Talon lookup among a million complaints on PostgreSQL (`pg_ticket_lookup_ms`, target ≤ 5 ms p99).

The server is the throwaway one of tools/test_servers.sh (`make bench-quick` starts it): the URL comes
from BENCH_POSTGRES_URL or TEST_POSTGRES_URL, and without one the figure is skipped with the reason.
The rows are the same as the SQLite run's (bench.tickets); they are loaded with PostgreSQL's COPY, the
bulk path an operator restoring an export would take, then looked up through the bot's own repository.
"""

from __future__ import annotations

import os
import time
from typing import Any

from bench.tickets import batches, timed_lookups
from bot.storage import bulk
from bot.storage.database import Database


def server_url() -> str | None:
    return os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")


async def _fill(url: str, size: int) -> float:
    """Load `size` complaints unless the database already holds them; seconds spent."""
    started = time.perf_counter()
    if not await bulk.copy_into_postgres(url, size, batches(size)):
        return 0.0
    return time.perf_counter() - started


async def run(*, size: int, lookups: int) -> dict[str, Any]:
    url = server_url()
    if url is None:
        return {"pg_ticket_lookup_ms": None,
                "pg_skipped": "no PostgreSQL: set BENCH_POSTGRES_URL or run through tools/test_servers.sh"}
    db = await Database.open(url)  # migrates the empty database first
    try:
        built_s = await _fill(url, size)
        p99, p50 = await timed_lookups(db, size, lookups)
    finally:
        await db.close()
    return {
        "pg_ticket_db_complaints": size,
        "pg_ticket_db_build_s": round(built_s, 1),
        "pg_ticket_lookup_ms": round(p99, 3),
        "pg_ticket_lookup_ms_p50": round(p50, 3),
    }
