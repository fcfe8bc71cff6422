"""The FSM storage keeps state and data as readable JSON in the database (SQLite or PostgreSQL), per
chat and user, and holds aiogram's storage contract on each."""

from __future__ import annotations

from datetime import date

import pytest
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.storage.database import Database
from bot.storage.fsm import DatabaseStorage


class Form(StatesGroup):
    age = State()


@pytest.fixture
async def storage(db):
    storage = DatabaseStorage(db)
    yield storage
    await storage.close()


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
    rows = await storage.db.engine.fetch_all("SELECT data FROM fsm_state")
    assert [row["data"] for row in rows] == ['{"answer":"иә"}']


async def test_what_json_cannot_hold_is_refused(storage):
    with pytest.raises(TypeError):
        await storage.set_data(key(4), {"day": date(2026, 11, 25)})
    with pytest.raises(DataNotDictLikeError):
        await storage.set_data(key(4), [("a", 1)])  # type: ignore[arg-type]


async def test_a_bulk_clean_up_reaches_the_cached_rows(storage, db):
    """SQLite's storage keeps recent rows in memory; the retention sweep's clean-up goes through the
    storage, which forgets its copy of exactly the rows it changed."""
    from datetime import UTC, datetime, timedelta

    key = StorageKey(bot_id=1, chat_id=2, user_id=2)
    await storage.set_data(key, {"draft": {"surname": "X"}, "keep": 1})
    assert (await storage.get_data(key))["draft"] == {"surname": "X"}
    assert await storage.forget_part("draft", datetime.now(UTC) + timedelta(days=1)) == 1
    assert await storage.get_data(key) == {"keep": 1}
    data = await storage.get_data(key)
    data["keep"] = 2  # a reader's copy is its own
    assert await storage.get_data(key) == {"keep": 1}


async def test_replicas_on_postgresql_see_each_others_dialogues(db_url):
    """Two processes sharing PostgreSQL keep no memory of dialogues: what one writes the other reads.
    On SQLite (one process owns the file) the memory is on."""
    one, other = await Database.open(db_url), await Database.open(db_url)
    try:
        first, second = DatabaseStorage(one), DatabaseStorage(other)
        assert (first.memory > 0) == (second.memory > 0) == one.single_process
        if one.single_process:
            return
        await first.set_state(key(5), Form.age)
        assert await second.get_state(key(5)) == "Form:age"
        await second.set_state(key(5), None)
        await second.update_data(key(5), {"step": 2})
        assert await first.get_state(key(5)) is None
        assert await first.get_data(key(5)) == {"step": 2}
    finally:
        await one.close()
        await other.close()


async def test_a_dialogue_that_moved_on_keeps_its_draft(db, monkeypatch):
    """The clean-up drops a part only from rows still as it read them (another process may have
    written the dialogue between its read and its write)."""
    from datetime import UTC, datetime, timedelta

    await db.dialogues.set_data("k", {"draft": {"a": 1}})
    real_execute = db.engine.execute

    async def moved_on_first(sql, params=()):
        if sql.startswith("UPDATE fsm_state SET data"):
            await db.dialogues.set_data("k", {"draft": {"a": 2}})
        return await real_execute(sql, params)

    monkeypatch.setattr(db.engine, "execute", moved_on_first)
    assert len(await db.dialogues.forget_part("draft", datetime.now(UTC) + timedelta(days=1))) == 0
    assert await db.dialogues.get("k") == (None, {"draft": {"a": 2}})


async def test_aiogram_storage_contract(storage):
    """set/get state and data, update_data, get_value and close, as aiogram's own storages hold them."""
    k = key(9, chat_id=-100)
    assert await storage.get_state(k) is None and await storage.get_data(k) == {}
    await storage.set_state(k, "S:one")
    await storage.set_data(k, {"a": 1})
    assert await storage.update_data(k, {"b": 2}) == {"a": 1, "b": 2}
    assert await storage.get_data(k) == {"a": 1, "b": 2}
    assert await storage.get_value(k, "missing", "default") == "default"
    await storage.set_data(k, {})
    assert await storage.get_data(k) == {} and await storage.get_state(k) == "S:one"
    await storage.close()
    assert await storage.get_state(k) == "S:one"  # the database stays open: its owner closes it
