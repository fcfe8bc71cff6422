"""Shared fixtures: `harness` drives the real Dispatcher through the fake Telegram (bot.testing).

    async def test_x(harness):
        user = harness.user("ru")            # language_code; None = the client sends none
        reply = await user.send("/start")    # Reply: .text, .last, .buttons, .sent, .edited
        reply = await user.press("Fee")      # press an inline button by its text
        await harness.restart()              # same database and chats, new Dispatcher and Bot

Handler exceptions and unanswered callback queries fail the test at the update that caused them.
"""

from __future__ import annotations

import pytest

from bot.testing.harness import BotHarness


@pytest.fixture
async def harness(tmp_path):
    bot_harness = await BotHarness(tmp_path / "bot.sqlite3").start()
    yield bot_harness
    await bot_harness.stop()
