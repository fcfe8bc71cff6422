"""Updates per second through `dp.feed_update` with the in-process fake backend: two floors and our step.

The step is ours: the Dispatcher of bot.app with every middleware, i18n, the SQLite dialogue storage and
the pre-check's rendering, fed what simulated citizens send (bot.testing.citizen): button presses
(each carries the message with its keyboard), typed ages, /start. For every timed update the step run
also records the Bot API calls it caused (the fake Telegram's log: methods, texts, keyboards).

The floor is a bare aiogram Dispatcher on MemoryStorage, fed the very same updates in the same order,
whose one handler does one FSM step (a state filter, set_state, update_data) and then makes, per
update, THE SAME Bot API calls our step made for it (prepared before the clock starts; an edit goes to
a message of the same chat, made untimed beforehand). So the ratio is only what we add: routing,
middlewares, state, rendering, storage. The old floor, answering "ok" to a message and a bare answer
to a press, is still measured (`floor_ok`) for comparison with earlier runs. Only
`Update.model_validate` + `feed_update` are timed, for all three, so the driver's choosing is not
counted.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router, methods
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Message, Update

from bot.app import build_bot, build_dispatcher
from bot.storage.database import Database
from bot.telegram.warmup import warm_up
from bot.testing import FakeSession, FakeTelegram, FakeUser
from bot.testing.citizen import Citizen
from bot.testing.harness import TEST_TOKEN, harness_settings

# Updates per simulated user in the step benchmark: few enough that no one is throttled as a flood.
UPDATES_PER_CITIZEN = 6


class Floor(StatesGroup):
    step = State()


@dataclass
class Stream:
    """The timed updates of a step run, in order, and the Bot API calls (method, params) each caused."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: dict[int, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    failed_calls: int = 0


def floor_ok_dispatcher() -> Dispatcher:
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


def replay_dispatcher(script: dict[int, list[TelegramMethod[Any]]]) -> Dispatcher:
    """One handler for messages and presses: an FSM step, then the calls `script` holds for the update."""
    router = Router()

    async def replay(event: Message | CallbackQuery, state: FSMContext, event_update: Update,
                     bot: Bot) -> None:
        await state.set_state(Floor.step)
        await state.update_data(last=event.text if isinstance(event, Message) else event.data)
        for method in script.pop(event_update.update_id, ()):
            if isinstance(method, methods.AnswerCallbackQuery):
                method.callback_query_id = event.id  # the press's id on this fake Telegram
            await bot(method)

    router.message.register(replay, StateFilter(None, Floor.step))
    router.callback_query.register(replay, StateFilter(None, Floor.step))
    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def floor_ok_updates_per_s(stream: Stream) -> float:
    """The old floor: the bare Dispatcher fed the step's updates, answering "ok" / a bare answer."""
    fake = FakeTelegram(token=TEST_TOKEN)
    bot = Bot(TEST_TOKEN, session=FakeSession(fake))
    dp = floor_ok_dispatcher()
    await _warm_up(dp, bot, fake)
    spent = 0.0
    for update in stream.updates:
        spent += await _timed_feed(dp, bot, _replayable(fake, update))
    await bot.session.close()
    return len(stream.updates) / spent


async def floor_updates_per_s(stream: Stream) -> tuple[float, int]:
    """The fair floor: per update, the same Bot API calls our step made; (updates/s, failed calls).

    A failed call would make the floor cheaper than the step, so they are counted (expected 0)."""
    fake = FakeTelegram(token=TEST_TOKEN)
    bot = Bot(TEST_TOKEN, session=FakeSession(fake))
    script: dict[int, list[TelegramMethod[Any]]] = {}
    dp = replay_dispatcher(script)
    await _warm_up(dp, bot, fake)
    calls_before = len(fake.calls)
    spent = 0.0
    for update in stream.updates:
        replayable = _replayable(fake, update)
        script[update["update_id"]] = [await _prepared(fake, method, params)
                                       for method, params in stream.calls.get(update["update_id"], [])]
        spent += await _timed_feed(dp, bot, replayable)
    await bot.session.close()
    failed = sum(1 for call in fake.calls[calls_before:] if call.error is not None)
    return len(stream.updates) / spent, failed


async def _warm_up(dp: Dispatcher, bot: Bot, fake: FakeTelegram) -> None:
    warm = FakeUser(fake, 9_999, language_code="kk")
    for _ in range(50):  # imports, caches, first-call costs
        await _timed_feed(dp, bot, warm.text("warm"))


# A message to edit in place of the step's: its text and button differ from whatever the edit sets.
_PLACEHOLDER = {"text": "·", "reply_markup": {"inline_keyboard": [[{"text": "·", "callback_data": "·"}]]}}


async def _prepared(fake: FakeTelegram, method: str, params: dict[str, Any]) -> TelegramMethod[Any]:
    """The recorded call as an aiogram method; an edit or a deletion gets a message of its own first."""
    params = dict(params)
    if "message_id" in params and method != "sendMessage":
        sent = await fake.call("sendMessage", {"chat_id": params["chat_id"], **_PLACEHOLDER})
        params["message_id"] = sent["message_id"]
    return getattr(methods, method[0].upper() + method[1:]).model_validate(params)


def _replayable(fake: FakeTelegram, update: dict[str, Any]) -> dict[str, Any]:
    """The update as this fake Telegram can take it: its chat known, a press under a new query id."""
    query = update.get("callback_query")
    if query is None:
        fake.ensure_chat(update["message"]["chat"])
        return update
    fake.ensure_chat(query["message"]["chat"])
    query_id = fake.next_query_id()
    fake.callback_queries[query_id] = {"answered": False, "answer": None, "data": query.get("data")}
    return {**update, "callback_query": {**query, "id": query_id}}


async def step_updates_per_s(updates: int, workdir: Path, stream: Stream | None = None) -> float:
    """Our pre-check: each citizen has the menu, then presses/types through the pre-check; every
    timed update and the calls it caused are appended to `stream` (for the floors to replay)."""
    settings = harness_settings(workdir / "step.sqlite3")
    db = await Database.open(settings.database)
    fake = FakeTelegram(token=TEST_TOKEN)
    bot = build_bot(settings, session=FakeSession(fake))
    dp = build_dispatcher(settings, db)
    warm_up()  # what the Dispatcher's startup does before polling or the webhook serve the first update
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
            stream.updates.append(copy.deepcopy(update))
        calls_before = len(fake.calls)
        spent += await _timed_feed(dp, bot, update)
        if stream is not None:
            made = fake.calls[calls_before:]
            stream.failed_calls += sum(1 for call in made if call.error is not None)
            stream.calls[update["update_id"]] = [(c.method, c.params) for c in made if c.error is None]
    await bot.session.close()
    await db.close()
    return updates / spent
