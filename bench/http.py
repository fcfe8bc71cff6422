"""Simulated citizens doing the whole pre-check over real long polling, at an offered rate.

The fake Bot API is served over HTTP on 127.0.0.1 (bot.testing.FakeBotApiServer); the bot is the
production Dispatcher and an aiohttp session pointed at it, run by `Dispatcher.start_polling`. A
generator offers updates at a fixed rate: each tick, one citizen who has the bot's answer to their
previous update sends their next one (bot.testing.citizen); a citizen whose pre-check reached its result is
replaced by a new one, who starts with /start. Latency is from the update being queued for getUpdates
to the Dispatcher having finished with it (every reply already sent). Generator, server and bot share
one process and one event loop, so the latency includes the fake server's own work.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import random
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import TelegramObject, Update

from bot.app import build_bot, build_dispatcher
from bot.database import Database
from bot.testing import FakeBotApiServer, FakeTelegram
from bot.testing.citizen import Citizen
from bot.testing.harness import TEST_TOKEN, harness_settings


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


async def run(workdir: Path, *, duration_s: float, offered_per_s: float, citizens: int) -> dict[str, Any]:
    settings = harness_settings(workdir / "http.sqlite3")
    db = await Database.open(settings.database_path)
    fake = FakeTelegram(token=TEST_TOKEN)
    rng = random.Random(100)
    ids = itertools.count(300_000)
    ready = collections.deque(Citizen(fake, next(ids), rng) for _ in range(citizens))
    in_flight: dict[int, tuple[float, Citizen]] = {}
    latencies: list[float] = []
    completed = {"dialogues": 0}
    all_done = asyncio.Event()

    async def record(
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        update: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(update, data)
        finally:
            assert isinstance(update, Update)
            sent_at, citizen = in_flight.pop(update.update_id)
            latencies.append(time.perf_counter() - sent_at)
            if citizen.finished:
                completed["dialogues"] += 1
                citizen = Citizen(fake, next(ids), rng)
            ready.append(citizen)
            if not in_flight:
                all_done.set()

    async with FakeBotApiServer(fake) as server:
        session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
        bot = build_bot(settings, session=session)
        dp = build_dispatcher(settings, db)
        dp.update.outer_middleware(record)
        polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=10))
        await asyncio.sleep(0.3)  # getMe and the first long poll
        offered = missed = 0
        interval = 1.0 / offered_per_s
        started = next_tick = time.perf_counter()
        while next_tick - started < duration_s:
            if ready:
                citizen = ready.popleft()
                update = citizen.first_update() if not citizen.started else citizen.next_update()
                all_done.clear()
                in_flight[update["update_id"]] = (time.perf_counter(), citizen)
                await fake.enqueue(update)
                offered += 1
            else:
                missed += 1
            next_tick += interval
            await asyncio.sleep(max(0.0, next_tick - time.perf_counter()))
        if in_flight:
            await asyncio.wait_for(all_done.wait(), timeout=30)
        elapsed = time.perf_counter() - started
        await dp.stop_polling()
        await polling
    await db.close()
    return {
        "http_p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "http_p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
        "http_updates_per_s": round(len(latencies) / elapsed, 1),
        "http_offered_per_s": offered_per_s,
        "http_updates": len(latencies),
        "http_ticks_without_ready_citizen": missed,
        "http_prechecks_completed": completed["dialogues"],
    }
