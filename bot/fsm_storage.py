"""Dialogue state in SQLite (aiogram `BaseStorage`), so a restart does not lose anyone's place.

State names and data are stored as JSON through bot.database (never pickle: the rows stay readable
and loading them can run no code). Data must therefore be JSON-serialisable: strings, numbers,
booleans, lists and dicts; dates go in as ISO strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey

from bot.database import Database


class SqliteStorage(BaseStorage):
    """FSM storage on the project's database; `close()` leaves the database open (its owner closes it)."""

    def __init__(self, db: Database, key_builder: KeyBuilder | None = None) -> None:
        self.db = db
        self.key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self.db.fsm_set_state(self._key(key), value)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self.db.fsm_get(self._key(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            raise DataNotDictLikeError(f"Data must be a dict or dict-like object, got {type(data).__name__}")
        await self.db.fsm_set_data(self._key(key), dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, data = await self.db.fsm_get(self._key(key))
        return data

    async def close(self) -> None:
        """Nothing to release: the Database belongs to whoever opened it."""
