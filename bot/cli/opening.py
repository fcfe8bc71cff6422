"""Run one piece of database work for a command: the database DATABASE_URL names, migrated on open."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.cli import UsageError
from bot.config import ConfigError, load_settings
from bot.storage.database import Database

T = TypeVar("T")


def with_database(work: Callable[[Database], Awaitable[T]]) -> T:
    """Open (and upgrade) the configured database, run `work`, close; config errors are usage errors."""
    try:
        target = load_settings().database
    except ConfigError as exc:
        raise UsageError(str(exc)) from None

    async def main() -> T:
        db = await Database.open(target)
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(main())
