"""Updates per second through `dp.feed_update` with the in-process fake backend: floor and our step.

The floor is a bare aiogram Dispatcher doing one FSM step per update (a state filter, set_state,
update_data, one answer) on aiogram's MemoryStorage. The step is ours: the Dispatcher of bot.app with
every middleware, i18n, the SQLite dialogue storage and the pre-check's rendering, fed what simulated
citizens would send (bot.testing.citizen). Only `Update.model_validate` + `feed_update` are timed, for both,
so the driver's choosing is not counted.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message, Update

from bot.app import build_bot, build_dispatcher
from bot.database import Database
from bot.testing import FakeSession, FakeTelegram, FakeUser
from bot.testing.citizen import Citizen
from bot.testing.harness import TEST_TOKEN, harness_settings

# Updates per simulated user in the step benchmark: few enough that no one is throttled as a flood.
UPDATES_PER_CITIZEN = 6


class Floor(StatesGroup):
    step = State()


def floor_dispatcher() -> Dispatcher:
    router = Router()

    @router.message(StateFilter(None, Floor.step))
    async def step(message: Message, state: FSMContext) -> None:
        await state.set_state(Floor.step)
        await state.update_data(last=message.text)
        await message.answer("ok")

    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def _timed_feed(dp: Dispatcher, bot: Bot, update: dict[str, Any]) -> float:
    start = time.perf_counter()
    await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))
    return time.perf_counter() - start


async def floor_updates_per_s(updates: int) -> float:
    fake = FakeTelegram(token=TEST_TOKEN)
    bot = Bot(TEST_TOKEN, session=FakeSession(fake))
    dp = floor_dispatcher()
    count = max(1, updates // UPDATES_PER_CITIZEN)
    users = [FakeUser(fake, 10_000 + i, language_code="kk") for i in range(count)]
    for user in users[:50]:  # warm-up: imports, caches, first-call costs
        await _timed_feed(dp, bot, user.text("warm"))
    spent = 0.0
    for n in range(updates):
        spent += await _timed_feed(dp, bot, users[n % len(users)].text(f"answer {n}"))
    await bot.session.close()
    return updates / spent


async def step_updates_per_s(updates: int, workdir: Path) -> float:
    """Our pre-check: each citizen has the menu, then presses/types through the pre-check."""
    settings = harness_settings(workdir / "step.sqlite3")
    db = await Database.open(settings.database_path)
    fake = FakeTelegram(token=TEST_TOKEN)
    bot = build_bot(settings, session=FakeSession(fake))
    dp = build_dispatcher(settings, db)
    rng = random.Random(199)
    citizens = [Citizen(fake, 20_000 + i, rng, locale="kk" if i % 2 else "ru")
                for i in range(max(1, updates // UPDATES_PER_CITIZEN))]
    for citizen in citizens:  # not timed: every citizen has the menu in front of them
        await _timed_feed(dp, bot, citizen.first_update())
    spent = 0.0
    for n in range(updates):
        citizen = citizens[n % len(citizens)]
        spent += await _timed_feed(dp, bot, citizen.next_update())
    await bot.session.close()
    await db.close()
    return updates / spent
