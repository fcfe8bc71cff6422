"""The bot as its own process for tests/test_complaint_crash.py: real Dispatcher, long polling against
the fake Telegram the test serves over HTTP, on the test's database file.

    python tests/crash_child.py DATABASE API_URL [CRASH_AFTER]

With CRASH_AFTER (`register_complaint` or `change_complaint`) the process ends with os._exit(17) the
moment that database method has committed, before the handler can do anything else: a process
killed right after the commit. Without it, it runs until SIGTERM and stops gracefully.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sys
from pathlib import Path

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.app import build_bot, build_dispatcher
from bot.storage.complaints import Complaints
from bot.storage.database import Database
from bot.testing.harness import harness_settings

CRASHED = 17


def crash_after(method_name: str) -> None:
    """Kill the process right after the complaint repository's `method_name` commits."""
    original = getattr(Complaints, method_name)

    @functools.wraps(original)
    async def committed_then_killed(self, *args, **kwargs):
        result = await original(self, *args, **kwargs)
        os._exit(CRASHED)
        return result

    setattr(Complaints, method_name, committed_then_killed)


async def main(database: Path, api_url: str) -> None:
    settings = harness_settings(database)
    db = await Database.open(settings.database)
    try:
        dp = build_dispatcher(settings, db)
        bot = build_bot(settings, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
        await dp.start_polling(bot, handle_signals=True, polling_timeout=1)
    finally:
        await db.close()


if __name__ == "__main__":
    if len(sys.argv) > 3:
        crash_after(sys.argv[3])
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
