"""Updates per second through `dp.feed_update` with the in-process fake backend: floor and our step.

The step is ours: the Dispatcher of bot.app with every middleware, i18n, the SQLite dialogue storage and
the pre-check's rendering, fed what simulated citizens send (bot.testing.citizen): button presses
(each carries the message with its keyboard), typed ages, /start. The floor is a bare aiogram
Dispatcher doing one FSM step per update (a state filter, set_state, update_data, one answer: a
message gets "ok", a press is answered) on aiogram's MemoryStorage, fed the very same updates in the
same order, so the ratio is what our step adds to aiogram's own cost for that traffic. Only
`Update.model_validate` + `feed_update` are timed, for both, so the driver's choosing is not counted.
"""

from __future__ import annotations

import copy
import random
import time
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, Update

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

    @router.callback_query(StateFilter(None, Floor.step))
    async def press(callback: CallbackQuery, state: FSMContext) -> None:
        await state.set_state(Floor.step)
        await state.update_data(last=callback.data)
        await callback.answer()

    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def _timed_feed(dp: Dispatcher, bot: Bot, update: dict[str, Any]) -> float:
    start = time.perf_counter()
    await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))
    return time.perf_counter() - start


async def floor_updates_per_s(stream: list[dict[str, Any]]) -> float:
    """The bare Dispatcher fed `stream` (the updates of a step run); each press gets a fresh query id
    on this fake Telegram, so its answer is valid here as it was there."""
    fake = FakeTelegram(token=TEST_TOKEN)
    bot = Bot(TEST_TOKEN, session=FakeSession(fake))
    dp = floor_dispatcher()
    warm = FakeUser(fake, 9_999, language_code="kk")
    for _ in range(50):  # warm-up: imports, caches, first-call costs
        await _timed_feed(dp, bot, warm.text("warm"))
    spent = 0.0
    for update in stream:
        spent += await _timed_feed(dp, bot, _replayable(fake, update))
    await bot.session.close()
    return len(stream) / spent


def _replayable(fake: FakeTelegram, update: dict[str, Any]) -> dict[str, Any]:
    """The update as this fake Telegram can take it: its chat known, a press under a new query id."""
    query = update.get("callback_query")
    if query is None:
        fake.ensure_chat(update["message"]["chat"])
        return update
    query_id = fake.next_query_id()
    fake.callback_queries[query_id] = {"answered": False, "answer": None, "data": query.get("data")}
    return {**update, "callback_query": {**query, "id": query_id}}


async def step_updates_per_s(updates: int, workdir: Path,
                             stream: list[dict[str, Any]] | None = None) -> float:
    """Our pre-check: each citizen has the menu, then presses/types through the pre-check; every
    timed update is appended to `stream` (for the floor to be fed the same)."""
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
        update = citizen.next_update()
        if stream is not None:
            stream.append(copy.deepcopy(update))
        spent += await _timed_feed(dp, bot, update)
    await bot.session.close()
    await db.close()
    return updates / spent
