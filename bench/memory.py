"""Resident memory of the bot with 10,000 stored conversations, measured in a child process.

`python -m bench.memory CONVERSATIONS FED WORKDIR` prints one JSON line. The child builds the real
Dispatcher, stores CONVERSATIONS pre-check conversations (the dialogue state and data a real step
leaves, one per user, through the FSM storage), then feeds FED of those users a
real next step through the Dispatcher, so every per-user structure in memory (throttle buckets, caches)
is exercised. The parent only reads the numbers, so its own memory is not counted.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Update

from bot.app import build_bot, build_dispatcher
from bot.storage.database import Database
from bot.testing import FakeSession, FakeTelegram
from bot.testing.citizen import Citizen
from bot.testing.harness import TEST_TOKEN, harness_settings


def forget_telegram_side(fake: FakeTelegram, user_id: int) -> None:
    """Drop what the fake Telegram keeps of a chat (every call, message and press): that memory is
    Telegram's, not the bot's, and over 10,000 users it would be most of the figure."""
    fake.calls.clear()
    fake.callback_queries.clear()
    fake._chats.pop(user_id, None)  # noqa: SLF001 - the fake has no public way to forget a chat


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


async def _child(conversations: int, fed: int, workdir: Path) -> dict[str, Any]:
    settings = harness_settings(workdir / "memory.sqlite3")
    db = await Database.open(settings.database)
    try:
        return await _measure(db, settings, conversations, fed)
    finally:
        await db.close()


async def _measure(db: Database, settings: Any, conversations: int, fed: int) -> dict[str, Any]:
    fake = FakeTelegram(token=TEST_TOKEN)
    bot = build_bot(settings, session=FakeSession(fake))
    dp = build_dispatcher(settings, db)
    baseline = _status_mb("VmRSS")

    async def feed(update: dict[str, Any]) -> None:
        await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))

    # One real conversation gives the state and data every stored conversation gets.
    rng = random.Random(3)
    model = Citizen(fake, 1, rng)
    await feed(model.first_update())
    for _ in range(4):
        await feed(model.next_update())
    key = StorageKey(bot_id=bot.id, chat_id=1, user_id=1)
    state, data = await dp.storage.get_state(key), await dp.storage.get_data(key)
    user_ids = range(100_000, 100_000 + conversations)

    async def store(user_id: int) -> None:
        user_key = StorageKey(bot_id=bot.id, chat_id=user_id, user_id=user_id)
        await dp.storage.set_state(user_key, state)
        await dp.storage.set_data(user_key, data)

    for first in range(0, conversations, 500):  # 500 at a time: the database thread never waits for us
        await asyncio.gather(*(store(user_id) for user_id in user_ids[first:first + 500]))
    for user_id in user_ids[:fed]:  # the menu message they press is from before a restart: long gone
        await feed(Citizen(fake, user_id, rng).user.press_data("m:precheck", message_id=1))
        forget_telegram_side(fake, user_id)
    gc.collect()
    result = {
        "rss_mb_10k_conversations": round(_status_mb("VmRSS"), 1),
        "rss_peak_mb": round(_status_mb("VmHWM"), 1),
        "rss_mb_before_conversations": round(baseline, 1),
        "conversations_stored": conversations,
        "conversations_fed_through_dispatcher": fed,
    }
    await bot.session.close()
    return result


def measure(conversations: int, fed: int, workdir: Path) -> dict[str, Any]:
    """Run the child and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(conversations), str(fed), str(workdir)],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    count, fed_count, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    print(json.dumps(asyncio.run(_child(count, fed_count, folder))))
