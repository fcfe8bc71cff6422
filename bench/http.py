"""Simulated citizens doing the whole pre-check over real long polling, at an offered rate.

Two processes, as in production, where Telegram is not on the bot's machine: a child process serves
the fake Bot API over HTTP on 127.0.0.1 (bot.testing.FakeBotApiServer) and runs the citizens; this
process runs the production Dispatcher with an aiohttp session pointed at it, by
`Dispatcher.start_polling`. Each tick, one citizen who has the bot's answer to their previous update
sends their next one (bot.testing.citizen); a citizen whose pre-check reached its result is replaced
by a new one, who starts with /start. When the Dispatcher has finished with an update (every reply
already sent), the bot process says so over a pipe; the child measures the latency from the update
being queued for getUpdates to that moment, on its own clock.

The first WARMUP_S seconds are a new process meeting its first citizens (each one's first read of the
database, the first card of each kind): their latencies are reported apart (`http_cold_p95_ms`), and
`http_p95_ms` is the steady state after them.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import multiprocessing
import random
import time
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import TelegramObject, Update

from bot.app import build_bot, build_dispatcher
from bot.storage.database import Database
from bot.testing import FakeBotApiServer, FakeTelegram
from bot.testing.citizen import Citizen
from bot.testing.harness import TEST_TOKEN, harness_settings

WARMUP_S = 1.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


async def run(workdir: Path, *, duration_s: float, offered_per_s: float, citizens: int) -> dict[str, Any]:
    """Start the Telegram side in a child process, run the bot here until the child reports."""
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    child = multiprocessing.get_context("spawn").Process(
        target=_telegram_side, args=(theirs, duration_s, offered_per_s, citizens), daemon=True)
    child.start()
    loop = asyncio.get_running_loop()
    url = await loop.run_in_executor(None, ours.recv)
    settings = harness_settings(workdir / "http.sqlite3")
    db = await Database.open(settings.database)

    async def report_done(
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        update: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(update, data)
        finally:
            assert isinstance(update, Update)
            ours.send(update.update_id)  # a few bytes into a pipe: never blocks in practice

    session = AiohttpSession(api=TelegramAPIServer.from_base(url))
    bot = build_bot(settings, session=session)
    dp = build_dispatcher(settings, db)
    dp.update.outer_middleware(report_done)
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    results = await loop.run_in_executor(None, ours.recv)
    await dp.stop_polling()
    await polling
    await db.close()
    await loop.run_in_executor(None, child.join, 10)
    return results


def _telegram_side(pipe: Connection, duration_s: float, offered_per_s: float, citizens: int) -> None:
    asyncio.run(_serve_citizens(pipe, duration_s, offered_per_s, citizens))


async def _serve_citizens(pipe: Connection, duration_s: float, offered_per_s: float,
                          citizens: int) -> None:
    fake = FakeTelegram(token=TEST_TOKEN)
    rng = random.Random(100)
    ids = itertools.count(300_000)
    ready = collections.deque(Citizen(fake, next(ids), rng) for _ in range(citizens))
    in_flight: dict[int, tuple[float, Citizen]] = {}
    latencies: list[float] = []
    cold: list[float] = []
    completed = {"dialogues": 0}
    all_done = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_done() -> None:
        while pipe.poll():
            update_id = pipe.recv()
            sent_at, citizen = in_flight.pop(update_id)
            (cold if sent_at - started < WARMUP_S else latencies).append(time.perf_counter() - sent_at)
            if citizen.finished:
                completed["dialogues"] += 1
                citizen = Citizen(fake, next(ids), rng)
            ready.append(citizen)
            if not in_flight:
                all_done.set()

    async with FakeBotApiServer(fake) as server:
        pipe.send(server.url)
        loop.add_reader(pipe.fileno(), on_done)
        await fake.wait_for(lambda: fake.calls != [], timeout=30)  # the bot is polling
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
        loop.remove_reader(pipe.fileno())
        pipe.send({
            "http_p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
            "http_p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "http_cold_p95_ms": round(_percentile(cold, 0.95) * 1000, 1),
            "http_warmup_s": WARMUP_S,
            "http_updates_per_s": round((len(latencies) + len(cold)) / elapsed, 1),
            "http_offered_per_s": offered_per_s,
            "http_updates": len(latencies) + len(cold),
            "http_ticks_without_ready_citizen": missed,
            "http_prechecks_completed": completed["dialogues"],
        })
        await asyncio.sleep(1.5)  # let the bot's last long poll return before the server goes
