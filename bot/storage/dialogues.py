"""The dialogue aggregate: each conversation's FSM row (state and JSON data) and each user's language.

A user's language is asked on every update: with `remember` (one process owns the database, i.e.
SQLite) it is answered from memory once read; several processes on one PostgreSQL must each ask the
database, since another may have changed it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bot.storage.engine import PostgresEngine, SqliteEngine
from bot.storage.timestamps import utc_text

# Takes a write (SQL, parameters) to run with the rest of an update's (bot.storage.update_writes).
Later = Callable[[str, Sequence[Any]], None]

# How many users' language choices are kept in memory before the memory starts afresh.
LOCALE_MEMORY = 100_000
_SET_STATE = ("INSERT INTO fsm_state (key, state) VALUES (?, ?) "
              "ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at")
_SET_DATA = ("INSERT INTO fsm_state (key, data) VALUES (?, ?) "
             "ON CONFLICT(key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at")
# Rows written before keys named the bot: "fsm:chat:user:destiny" (three colons).
_LEGACY = "key >= 'fsm:' AND key < 'fsm;' AND length(key) - length(replace(key, ':', '')) = 3"


class Dialogues:
    def __init__(self, engine: SqliteEngine | PostgresEngine, *, remember: bool) -> None:
        self.engine = engine
        self.remember = remember
        self._locales: dict[int, str | None] = {}

    async def get(self, key: str) -> tuple[str | None, dict[str, Any]]:
        row = await self.engine.fetch_one("SELECT state, data FROM fsm_state WHERE key = ?", (key,))
        if row is None:
            return None, {}
        return row["state"], json.loads(row["data"])

    async def set_state(self, key: str, state: str | None, *, later: Later | None = None) -> None:
        """Write the state now, or with the update's other writes (`later`, bot.storage.update_writes)."""
        await self._write(_SET_STATE, (key, state), later)

    async def set_data(self, key: str, data: dict[str, Any] | str, *, later: Later | None = None) -> None:
        """Write the data (a dict, or its JSON text) now, or with the update's other writes (`later`)."""
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        await self._write(_SET_DATA, (key, text), later)

    async def _write(self, sql: str, params: tuple[Any, ...], later: Later | None) -> None:
        if later is not None:
            later(sql, params)
        else:
            await self.engine.execute(sql, params)

    async def name_bot(self, bot_id: int) -> int:
        """Move the rows keyed before keys named the bot ("fsm:chat:user:destiny") under this bot's id
        ("fsm:bot:chat:user:destiny"), so people mid-dialogue keep their place after the upgrade; a row
        already kept under the new key wins. Returns how many rows moved."""
        async with self.engine.transaction() as tx:
            moved = await tx.execute(
                "INSERT INTO fsm_state (key, state, data, updated_at) "
                "SELECT 'fsm:' || CAST(? AS TEXT) || substr(key, 4), state, data, updated_at "
                f"FROM fsm_state WHERE {_LEGACY} ON CONFLICT(key) DO NOTHING",
                (str(bot_id),),
            )
            await tx.execute(f"DELETE FROM fsm_state WHERE {_LEGACY}")
        return moved

    async def forget_part(self, part: str, idle_before: datetime) -> list[str]:
        """Drop one part of the dialogue data (e.g. an abandoned complaint draft, which holds names and
        addresses) from every dialogue untouched since `idle_before`; returns the keys of those cleared
        (the FSM storage, bot.storage.fsm, forgets its copy of them).

        Row by row in Python, each write conditional on the row being still untouched, so a dialogue
        that moves on meanwhile (in this process or another) keeps what it has."""
        rows = await self.engine.fetch_all(
            "SELECT key, data, updated_at FROM fsm_state WHERE updated_at < ?", (utc_text(idle_before),)
        )
        cleared = []
        for row in rows:
            data = json.loads(row["data"])
            if data.get(part) is None:
                continue
            del data[part]
            if await self.engine.execute(
                "UPDATE fsm_state SET data = ? WHERE key = ? AND updated_at = ? AND data = ?",
                (json.dumps(data, ensure_ascii=False, separators=(",", ":")), row["key"], row["updated_at"],
                 row["data"]),
            ):
                cleared.append(row["key"])
        return cleared

    async def get_locale(self, user_id: int) -> str | None:
        """Asked on every update: answered from memory once read when `remember` (only set_locale
        changes it)."""
        if self.remember and user_id in self._locales:
            return self._locales[user_id]
        locale = await self.engine.fetch_val("SELECT locale FROM user_pref WHERE user_id = ?", (user_id,))
        if self.remember:
            if len(self._locales) >= LOCALE_MEMORY:
                self._locales.clear()
            self._locales[user_id] = locale
        return locale

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self.engine.execute(
            "INSERT INTO user_pref (user_id, locale) VALUES (?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET locale = excluded.locale",
            (user_id, locale),
        )
        if self.remember:
            self._locales[user_id] = locale
