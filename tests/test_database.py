"""The storage layer on each backend: migrations from empty, idempotent upgrade, the dialogue-state
round trip, and what a database that cannot be used says."""

import json
import subprocess
import sys

import pytest

from bot.storage import schema
from bot.storage.database import Database
from bot.storage.engine import StorageError, to_numbered
from bot.storage.schema import SCHEMA_VERSION


async def test_upgrade_from_empty_reaches_latest(db_url):
    db = await Database.open(db_url, upgrade=False)
    try:
        assert await db.schema_version() == 0
        assert await db.upgrade() == (0, SCHEMA_VERSION)
        assert await db.upgrade() == (SCHEMA_VERSION, SCHEMA_VERSION)
        assert await db.schema_version() == SCHEMA_VERSION
    finally:
        await db.close()


async def test_sqlite_is_in_wal_mode_with_foreign_keys(tmp_path):
    db = await Database.open(tmp_path / "a" / "bot.sqlite3")
    try:
        assert await db.engine.fetch_val("PRAGMA journal_mode") == "wal"
        assert await db.engine.fetch_val("PRAGMA foreign_keys") == 1
    finally:
        await db.close()


def test_both_dialects_have_the_same_migrations():
    sqlite, postgresql = schema.migrations("sqlite"), schema.migrations("postgresql")
    assert len(sqlite) == len(postgresql) == SCHEMA_VERSION >= 6
    for one, other in zip(sqlite, postgresql, strict=True):
        assert [s.split("(")[0].split()[:3] for s in one] == [s.split("(")[0].split()[:3] for s in other]


def test_placeholders_are_numbered_for_postgresql():
    assert to_numbered("SELECT ? WHERE a = ? AND b IN (?, ?)") == "SELECT $1 WHERE a = $2 AND b IN ($3, $4)"


async def test_fsm_state_survives_reopen(db_url):
    db = await Database.open(db_url)
    await db.dialogues.set_state("k", "Precheck:age")
    await db.dialogues.set_data("k", {"answers": {"age": 17, "note": "қазақша"}})
    await db.dialogues.set_locale(7, "kk")
    await db.close()
    db = await Database.open(db_url)
    try:
        assert await db.dialogues.get("k") == ("Precheck:age", {"answers": {"age": 17, "note": "қазақша"}})
        assert await db.dialogues.get("missing") == (None, {})
        assert await db.dialogues.get_locale(7) == "kk"
        assert await db.dialogues.get_locale(8) is None
    finally:
        await db.close()


async def test_a_language_changed_by_another_replica_is_seen_on_postgresql(db_url):
    one, other = await Database.open(db_url), await Database.open(db_url)
    try:
        await one.dialogues.set_locale(7, "kk")
        assert await other.dialogues.get_locale(7) == "kk"
        await one.dialogues.set_locale(7, "ru")
        # SQLite: one process owns the file and remembers; PostgreSQL: every replica asks
        assert await other.dialogues.get_locale(7) == ("kk" if other.single_process else "ru")
    finally:
        await one.close()
        await other.close()


async def test_an_unreachable_postgresql_is_a_storage_error():
    with pytest.raises(StorageError, match=r"cannot be reached") as caught:
        await Database.open("postgresql://bot:secret@127.0.0.1:1/bot")
    assert "secret" not in str(caught.value)


def test_the_cli_says_one_line_and_exits_2_when_postgresql_cannot_be_reached(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgresql://bot:secret@127.0.0.1:1/bot"}
    done = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "secret" not in done.stderr
    assert "cannot be reached" in done.stderr


async def test_the_cli_upgrades_either_backend(db_url, tmp_path):
    url = f"sqlite:///{db_url}" if not str(db_url).startswith("postgresql") else str(db_url)
    done = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url}, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["to_version"] == SCHEMA_VERSION
