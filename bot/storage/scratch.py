"""A throwaway schema on a PostgreSQL server, for the tests and the benchmark that need a real one.

Here because only bot/storage speaks to a driver: bot.testing and bench get a URL, never a connection.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg


@asynccontextmanager
async def postgres_schema(base: str) -> AsyncIterator[str]:
    """A URL on the server of `base` whose connections work in a new schema of their own (search_path),
    dropped with everything in it on exit: runs never see each other's rows."""
    schema = f"test_{uuid.uuid4().hex}"
    admin = await asyncpg.connect(base)
    try:
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        yield f"{base}{'&' if '?' in base else '?'}search_path={schema}"
    finally:
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()
