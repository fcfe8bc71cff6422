"""Versioned migrations: numbered .sql files per dialect (migrations/<dialect>/NNNN_name.sql), the
same numbers meaning the same change on SQLite and PostgreSQL, applied in order in one transaction.

SQLite records the version reached in `PRAGMA user_version` (so databases made before the files
upgrade unchanged); PostgreSQL in a one-row `schema_version` table, and replicas upgrade one at a
time under an advisory lock. Append only: never edit a migration that has shipped; add the next one.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.storage.engine import PostgresEngine, SqliteEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# pg_advisory_xact_lock's key for schema upgrades ("pmzh" in ASCII).
UPGRADE_LOCK = 0x706D7A68


@cache
def migrations(dialect: str) -> tuple[tuple[str, ...], ...]:
    """The statements of each migration of a dialect, in order; the numbers must run 1..n."""
    files = sorted(MIGRATIONS_DIR.joinpath(dialect).glob("*.sql"))
    numbers = [int(f.name.split("_", 1)[0]) for f in files]
    if numbers != list(range(1, len(files) + 1)):
        raise RuntimeError(f"migrations of {dialect} are not numbered 1..{len(files)}: {numbers}")
    return tuple(split_sql(f.read_text(encoding="utf-8")) for f in files)


def split_sql(script: str) -> tuple[str, ...]:
    """Statements of a migration script, its `--` comment lines dropped (ours contain no semicolons
    inside literals)."""
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    return tuple(s.strip() for s in code.split(";") if s.strip())


SCHEMA_VERSION = len(migrations("sqlite"))
if len(migrations("postgresql")) != SCHEMA_VERSION:
    raise RuntimeError("the SQLite and PostgreSQL migrations must have the same numbers")


async def schema_version(engine: SqliteEngine | PostgresEngine) -> int:
    if engine.dialect == "sqlite":
        return int(await engine.fetch_val("PRAGMA user_version"))
    if await engine.fetch_val("SELECT to_regclass('schema_version')") is None:
        return 0
    return int(await engine.fetch_val("SELECT version FROM schema_version") or 0)


async def upgrade(engine: SqliteEngine | PostgresEngine, target: int = SCHEMA_VERSION) -> tuple[int, int]:
    """Apply the migrations after the current version up to `target`; returns (from, to)."""
    scripts = migrations(engine.dialect)
    async with engine.transaction() as tx:
        if engine.dialect == "sqlite":
            start = int(await tx.fetch_val("PRAGMA user_version"))
        else:
            await tx.execute("SELECT pg_advisory_xact_lock(?)", (UPGRADE_LOCK,))
            await tx.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            start = await tx.fetch_val("SELECT version FROM schema_version")
            if start is None:
                await tx.execute("INSERT INTO schema_version (version) VALUES (0)")
                start = 0
        for version in range(start + 1, target + 1):
            for statement in scripts[version - 1]:
                await tx.execute(statement)
            if engine.dialect == "sqlite":
                await tx.execute(f"PRAGMA user_version={version}")
            else:
                await tx.execute("UPDATE schema_version SET version = ?", (version,))
    return start, max(start, target)
