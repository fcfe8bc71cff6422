"""The one module that owns SQL: connection set-up, versioned migrations, and every query.

SQLite through aiosqlite, in WAL mode with foreign keys on. Migrations are numbered scripts applied
in order inside a transaction; `PRAGMA user_version` records the schema version reached.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiosqlite

# Append only: never edit a migration that has shipped; add the next one instead.
MIGRATIONS: Sequence[str] = (
    # 1: dialogue state (aiogram FSM, JSON) and the user's chosen language.
    """
    CREATE TABLE fsm_state (
        key TEXT PRIMARY KEY,
        state TEXT,
        data TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE user_pref (
        user_id INTEGER PRIMARY KEY,
        locale TEXT NOT NULL CHECK (locale IN ('kk', 'ru'))
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


class Database:
    """One open connection; every method is a short transaction."""

    def __init__(self, conn: aiosqlite.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    async def open(cls, path: Path | str, *, upgrade: bool = True) -> Database:
        """Open (creating the file and its folder), set pragmas, and migrate unless told not to."""
        target = Path(path) if str(path) != ":memory:" else None
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=FULL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=10000")
        db = cls(conn, target)
        if upgrade:
            await db.upgrade()
        return db

    async def close(self) -> None:
        await self.conn.close()

    async def schema_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0])

    async def upgrade(self, target: int = SCHEMA_VERSION) -> tuple[int, int]:
        """Apply the migrations after the current version up to `target`; returns (from, to)."""
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            start = await self.schema_version()
            for version in range(start + 1, target + 1):
                for statement in _split_sql(MIGRATIONS[version - 1]):
                    await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version={version}")
            await self.conn.execute("COMMIT")
        except BaseException:
            await self.conn.execute("ROLLBACK")
            raise
        return start, max(start, target)

    # --- dialogue state (used by bot.fsm_storage) ---------------------------------------------

    async def fsm_get(self, key: str) -> tuple[str | None, dict[str, Any]]:
        async with self.conn.execute("SELECT state, data FROM fsm_state WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return None, {}
        return row["state"], json.loads(row["data"])

    async def fsm_set_state(self, key: str, state: str | None) -> None:
        await self.conn.execute(
            "INSERT INTO fsm_state (key, state) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (key, state),
        )

    async def fsm_set_data(self, key: str, data: dict[str, Any]) -> None:
        await self.conn.execute(
            "INSERT INTO fsm_state (key, data) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (key, json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
        )

    # --- user preferences ----------------------------------------------------------------------

    async def get_locale(self, user_id: int) -> str | None:
        async with self.conn.execute("SELECT locale FROM user_pref WHERE user_id = ?", (user_id,)) as cur:
            row = await cur.fetchone()
        return row["locale"] if row else None

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self.conn.execute(
            "INSERT INTO user_pref (user_id, locale) VALUES (?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET locale = excluded.locale",
            (user_id, locale),
        )


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (ours contain no semicolons inside literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]
