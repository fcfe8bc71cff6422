"""Dialogue state in the database (aiogram `BaseStorage`), so a restart does not lose anyone's place.

State names and data are stored as JSON through bot.storage.dialogues (never pickle: the rows stay
readable and loading them can run no code). Data must therefore be JSON-serialisable: strings,
numbers, booleans, lists and dicts; dates go in as ISO strings.

Every update reads the state and most read the data, so on SQLite (one process owns the bot's rows)
the latest conversations are also kept in a bounded memory, written through: the database stays the
truth, the memory only spares a read of what this process itself wrote or read last. Replicas
sharing PostgreSQL keep no such memory: another may have moved the dialogue on. With the memory, the
writes made while an update is handled go to the database with its handled mark, in one trip at its
end (bot.storage.update_writes).

Keys name the bot (`fsm:<bot id>:<chat>:<user>:<destiny>`), so a second bot token on the same
database never shares a dialogue with the first. Rows written before keys named the bot are moved
under the bot that first touches the storage (`Dialogues.name_bot`), once per process.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey

from bot.storage.database import Database
from bot.storage.dialogues import Later
from bot.storage.update_writes import collecting


def dialogue_key_builder() -> DefaultKeyBuilder:
    """How a dialogue row is named: by bot, chat, user and destiny (tests build keys with it too)."""
    return DefaultKeyBuilder(with_bot_id=True, with_destiny=True)


class DatabaseStorage(BaseStorage):
    """FSM storage on the project's database; `close()` leaves the database open (its owner closes it).

    `memory`: how many recent dialogues to keep in this process (0: none); by default 10 000 when one
    process owns the database (SQLite), none on PostgreSQL.
    """

    def __init__(self, db: Database, key_builder: KeyBuilder | None = None, *, memory: int | None = None
                 ) -> None:
        self.db = db
        self.rows = db.dialogues
        self.key_builder = key_builder or dialogue_key_builder()
        self._moves_legacy_rows = key_builder is None  # the SQL of name_bot knows this layout only
        self.memory = (10_000 if db.single_process else 0) if memory is None else memory
        # key -> [state, data as JSON text]: text, so every reader gets its own copy of the data
        self._recent: OrderedDict[str, list[str | None]] = OrderedDict()
        self._named_bots: set[int] = set()
        self._naming = asyncio.Lock()

    async def _key(self, key: StorageKey) -> str:
        if self._moves_legacy_rows and key.bot_id not in self._named_bots:
            async with self._naming:
                if key.bot_id not in self._named_bots:
                    if await self.rows.name_bot(key.bot_id):
                        self._recent.clear()  # rows moved under new keys: read them afresh
                    self._named_bots.add(key.bot_id)
        return self.key_builder.build(key)

    async def _row(self, key: str) -> list[str | None]:
        row = self._recent.get(key)
        if row is None:
            state, data = await self.rows.get(key)
            row = [state, json.dumps(data, ensure_ascii=False)]
            if self.memory:
                self._recent[key] = row
                if len(self._recent) > self.memory:
                    self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(key)
        return row

    async def forget_part(self, part: str, idle_before: datetime) -> int:
        """Drop one part of the data of every dialogue idle since `idle_before` (the retention sweep's
        abandoned complaint drafts), here and in the memory; returns how many dialogues lost it."""
        cleared = await self.rows.forget_part(part, idle_before)
        for key in cleared:
            self._recent.pop(key, None)
        return len(cleared)

    def _later(self, name: str) -> Later | None:
        """Where a write of dialogue `name` goes when the update being handled collects its writes
        (bot.storage.update_writes; with a memory only, which answers the reads until then)."""
        writes = collecting() if self.memory else None
        if writes is None:
            return None
        return partial(writes.add, forget=partial(self._recent.pop, name, None))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        name = await self._key(key)
        await self.rows.set_state(name, value, later=self._later(name))
        if self.memory:
            (await self._row(name))[0] = value

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._row(await self._key(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            raise DataNotDictLikeError(f"Data must be a dict or dict-like object, got {type(data).__name__}")
        name = await self._key(key)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        await self.rows.set_data(name, text, later=self._later(name))
        if self.memory:
            (await self._row(name))[1] = text

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return json.loads((await self._row(await self._key(key)))[1] or "{}")

    async def close(self) -> None:
        """Nothing to release: the Database belongs to whoever opened it."""
