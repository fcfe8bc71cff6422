"""Shared fixtures: `db` is an open database on each backend (SQLite, PostgreSQL); `harness` drives
the real Dispatcher through the fake Telegram (bot.testing).

    async def test_x(harness):
        user = harness.user("ru")            # language_code; None = the client sends none
        reply = await user.send("/start")    # Reply: .text, .last, .buttons, .sent, .edited
        reply = await user.press("Fee")      # press an inline button by its text
        await harness.restart()              # same database and chats, new Dispatcher and Bot

Handler exceptions and unanswered callback queries fail the test at the update that caused them.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

import pytest

from bot.storage.database import Database
from bot.storage.scratch import postgres_schema as fresh_schema
from bot.testing.harness import BotHarness


@pytest.fixture
async def harness(tmp_path):
    bot_harness = await BotHarness(tmp_path / "bot.sqlite3").start()
    yield bot_harness
    await bot_harness.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request, tmp_path):
    """Where a storage test's database lives, once per backend: an SQLite file, or a fresh schema on
    the PostgreSQL server TEST_POSTGRES_URL names (dropped afterwards); skipped when it is unset."""
    if request.param == "sqlite":
        yield tmp_path / "bot.sqlite3"
        return
    async with postgres_schema() as url:
        yield url


@asynccontextmanager
async def postgres_schema():
    """A PostgreSQL URL whose connections work in a schema of their own (search_path)."""
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        pytest.skip("TEST_POSTGRES_URL is unset: run under tools/test_servers.sh for PostgreSQL")
    async with fresh_schema(base) as url:
        yield url


@pytest.fixture
async def db(db_url):
    """An open, migrated Database on each backend."""
    database = await Database.open(db_url)
    yield database
    await database.close()
