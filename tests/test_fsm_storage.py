"""The FSM storage keeps state and data as readable JSON in SQLite, per chat and user."""

from __future__ import annotations

from datetime import date

import pytest
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.storage.database import Database
from bot.storage.dialogues import SqliteStorage


class Form(StatesGroup):
    age = State()


@pytest.fixture
async def storage(tmp_path):
    db = await Database.open(tmp_path / "fsm.sqlite3")
    yield SqliteStorage(db)
    await db.close()


def key(user_id: int = 1, chat_id: int = 1) -> StorageKey:
    return StorageKey(bot_id=42, chat_id=chat_id, user_id=user_id)


async def test_state_and_data_round_trip_and_stay_separate(storage):
    await storage.set_state(key(1), Form.age)
    await storage.set_data(key(1), {"age": 17, "names": ["Әлия", "Ольга"]})
    await storage.set_state(key(2), "Other:step")
    assert await storage.get_state(key(1)) == "Form:age"
    assert await storage.get_data(key(1)) == {"age": 17, "names": ["Әлия", "Ольга"]}
    assert await storage.get_data(key(2)) == {}
    assert await storage.update_data(key(2), {"x": 1}) == {"x": 1}
    assert await storage.get_state(key(2)) == "Other:step"
    await storage.set_state(key(1), None)
    assert await storage.get_state(key(1)) is None
    assert await storage.get_value(key(1), "age") == 17


async def test_rows_are_json_not_pickle(storage):
    await storage.set_data(key(3), {"answer": "иә"})
    async with storage.db.conn.execute("SELECT data FROM fsm_state") as cur:
        rows = [row[0] for row in await cur.fetchall()]
    assert rows == ['{"answer":"иә"}']


async def test_what_json_cannot_hold_is_refused(storage):
    with pytest.raises(TypeError):
        await storage.set_data(key(4), {"day": date(2026, 11, 25)})
    with pytest.raises(DataNotDictLikeError):
        await storage.set_data(key(4), [("a", 1)])  # type: ignore[arg-type]


async def test_bulk_changes_in_the_database_reach_the_cached_rows(tmp_path):
    """The storage keeps recent rows in memory; a bulk clean-up in the database must not be undone by it."""
    from datetime import UTC, datetime, timedelta

    from aiogram.fsm.storage.base import StorageKey

    from bot.storage.database import Database
    from bot.storage.dialogues import SqliteStorage

    db = await Database.open(tmp_path / "s.sqlite3")
    try:
        storage = SqliteStorage(db)
        key = StorageKey(bot_id=1, chat_id=2, user_id=2)
        await storage.set_data(key, {"draft": {"surname": "X"}, "keep": 1})
        assert (await storage.get_data(key))["draft"] == {"surname": "X"}
        assert await db.dialogues.forget_part("draft", datetime.now(UTC) + timedelta(days=1)) == 1
        assert await storage.get_data(key) == {"keep": 1}
        data = await storage.get_data(key)
        data["keep"] = 2  # a reader's copy is its own
        assert await storage.get_data(key) == {"keep": 1}
    finally:
        await db.close()
