"""`python -m bot db upgrade`: apply pending schema migrations to the database DATABASE_URL names."""

from __future__ import annotations

import asyncio

from bot.cli import UsageError, emit
from bot.config import ConfigError, load_settings, redacted
from bot.storage.database import Database


def register(sub) -> None:
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply pending migrations")
    up.set_defaults(func=_upgrade)


def _upgrade(args) -> int:
    try:
        target = load_settings().database
    except ConfigError as exc:
        raise UsageError(str(exc)) from None

    async def run() -> tuple[int, int]:
        db = await Database.open(target, upgrade=False)
        try:
            return await db.upgrade()
        finally:
            await db.close()

    before, after = asyncio.run(run())
    emit({"database": redacted(str(target)), "from_version": before, "to_version": after})
    return 0
