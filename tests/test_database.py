"""The storage layer: migrations from empty, idempotent upgrade, and the dialogue-state round trip."""

from bot.storage.database import SCHEMA_VERSION, Database


async def test_upgrade_from_empty_reaches_latest(tmp_path):
    db = await Database.open(tmp_path / "a" / "bot.sqlite3", upgrade=False)
    try:
        assert await db.schema_version() == 0
        assert await db.upgrade() == (0, SCHEMA_VERSION)
        assert await db.upgrade() == (SCHEMA_VERSION, SCHEMA_VERSION)
        async with db.conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        async with db.conn.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())[0] == 1
    finally:
        await db.close()


async def test_fsm_state_survives_reopen(tmp_path):
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.fsm_set_state("k", "Precheck:age")
    await db.fsm_set_data("k", {"answers": {"age": 17, "note": "қазақша"}})
    await db.set_locale(7, "kk")
    await db.close()
    db = await Database.open(path)
    try:
        assert await db.fsm_get("k") == ("Precheck:age", {"answers": {"age": 17, "note": "қазақша"}})
        assert await db.fsm_get("missing") == (None, {})
        assert await db.get_locale(7) == "kk"
        assert await db.get_locale(8) is None
    finally:
        await db.close()
