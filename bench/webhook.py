"""Two replicas behind the webhook on PostgreSQL and Redis, citizens at an offered rate (`webhook_p95_ms`).

The production path: two processes of `python -m bot run --webhook` (bot.testing.replicas) on a fresh
schema of the throwaway PostgreSQL and on its Redis (BENCH_POSTGRES_URL or TEST_POSTGRES_URL,
BENCH_REDIS_URL or TEST_REDIS_URL, as tools/test_servers.sh sets them; without both the figure is
skipped with the reason). One process plays Telegram, the load balancer and the Bot API: visitors
(bot.testing.citizen.Visitor: /start, the language, pre-check presses and typed ages, place names in the
office finder) send at `offered_per_s` for `duration_s`, open loop: an update goes out on its tick
whatever is still unanswered, each POST to the next replica in turn (WebhookSender.deliver). A visitor
sends their next update only after the answer to the last and a pause to read it (THINK_S), as a
person does; when nobody is ready on a tick, a new visitor arrives with /start.

The listener answers a POST once the update is handled (handle_in_background=False), so the time from
the POST to its answer is the time to handle it, the replica's Bot API calls included. The playing
process is a fresh child of the bench's: nothing the bench did before (its heap, whose garbage
collections would stop this clock) weighs on it. The replicas' Bot API calls come back to it, and it is
also the clock, so a loaded machine slows both sides.
"""

from __future__ import annotations

import asyncio
import collections
import heapq
import itertools
import multiprocessing
import os
import random
import secrets
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bench.pg_tickets import server_url as postgres_url
from bot.storage.scratch import postgres_schema
from bot.testing import FakeTelegram, WebhookSender
from bot.testing.citizen import Visitor
from bot.testing.replicas import SECRET, Replica, replicas

THINK_S = (0.5, 2.5)  # a person reads the answer before the next step: also keeps them under the throttle
LOCALES: dict[str | None, int] = {"kk": 5, "ru": 4, None: 1}  # None: a client that sends no language
REPLICAS = 2


def redis_url() -> str | None:
    return os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL")


def _percentile_ms(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000, 1) if ordered else None


def kind(update: dict[str, Any]) -> str:
    """What the citizen did, for the mix: a command, a press by its prefix, a typed age or place name."""
    if "callback_query" in update:
        prefix = update["callback_query"]["data"].split(":", 1)[0]
        return "language press" if prefix == "lang" else "pre-check press"
    text = update["message"]["text"]
    if text.startswith("/"):
        return text.split()[0]
    return "typed age" if text.isdigit() else "place name"


async def run(workdir: Path, *, duration_s: float, offered_per_s: float, seed: int = 12) -> dict[str, Any]:
    postgres, redis = postgres_url(), redis_url()
    if postgres is None or redis is None:
        missing = " and ".join(n for n, url in (("PostgreSQL", postgres), ("Redis", redis)) if url is None)
        return {"webhook_p95_ms": None,
                "webhook_skipped": f"no {missing}: set TEST_POSTGRES_URL and TEST_REDIS_URL "
                                   f"or run through tools/test_servers.sh"}
    folder = workdir / "webhook"
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        return await asyncio.get_running_loop().run_in_executor(
            child, _measure_in_child, folder, postgres, redis, duration_s, offered_per_s, seed)


def _measure_in_child(folder: Path, postgres: str, redis: str, duration_s: float, offered_per_s: float,
                      seed: int) -> dict[str, Any]:
    return asyncio.run(_measure(folder, postgres, redis, duration_s, offered_per_s, seed))


async def _measure(folder: Path, postgres: str, redis: str, duration_s: float, offered_per_s: float,
                   seed: int) -> dict[str, Any]:
    fake = FakeTelegram(token=f"{secrets.randbelow(10**9) + 10**9}:bench-webhook")
    async with postgres_schema(postgres) as database, \
            replicas(folder, fake, database, redis, REPLICAS, LOG_FORMAT="json") as started, \
            WebhookSender(fake, [r.webhook for r in started], SECRET) as sender:
        results = await _offer(fake, sender, duration_s, offered_per_s, random.Random(seed))
        counters = [await _counters(replica) for replica in started]
    results["webhook_failed_posts"] = sum(1 for d in sender.deliveries if d.status != 200)
    results["webhook_unanswered_presses"] = len(fake.unanswered_callback_queries())
    results["webhook_handled_by_replica"] = [c["handled"] for c in counters]
    results["webhook_handler_errors"] = sum(c["errors"] for c in counters)
    results["webhook_throttled"] = sum(c["throttled"] for c in counters)
    return results


async def _offer(fake: FakeTelegram, sender: WebhookSender, duration_s: float, offered_per_s: float,
                 rng: random.Random) -> dict[str, Any]:
    ids = itertools.count(500_000)
    order = itertools.count()
    ready: list[tuple[float, int, Visitor]] = []  # a heap: who may send next, by when they may
    latencies: list[float] = []
    lags: list[float] = []
    mix: collections.Counter[str] = collections.Counter()
    tasks: set[asyncio.Task[None]] = set()
    visitors = 0

    async def send(visitor: Visitor, update: dict[str, Any]) -> None:
        posted = time.perf_counter()
        await sender.deliver(update)
        answered = time.perf_counter()
        latencies.append(answered - posted)
        if not visitor.finished:
            heapq.heappush(ready, (answered + rng.uniform(*THINK_S), next(order), visitor))

    started = time.perf_counter()
    for n in range(round(duration_s * offered_per_s)):  # the schedule: one update every 1/rate seconds
        tick = started + n / offered_per_s
        await asyncio.sleep(max(0.0, tick - time.perf_counter()))
        now = time.perf_counter()
        lags.append(now - tick)
        if ready and ready[0][0] <= now:
            visitor = heapq.heappop(ready)[2]
            update = visitor.next_update()
        else:
            locale = rng.choices(list(LOCALES), weights=list(LOCALES.values()))[0]
            visitor = Visitor(fake, next(ids), rng, locale)
            update = visitor.first_update()
            visitors += 1
        mix[kind(update)] += 1
        task = asyncio.create_task(send(visitor, update))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
    elapsed = time.perf_counter() - started
    return {
        "webhook_p95_ms": _percentile_ms(latencies, 0.95),
        "webhook_p50_ms": _percentile_ms(latencies, 0.50),
        "webhook_p99_ms": _percentile_ms(latencies, 0.99),
        "webhook_max_ms": _percentile_ms(latencies, 1.0),
        "webhook_offered_per_s": offered_per_s,
        "webhook_updates": len(latencies),
        "webhook_updates_per_s": round(len(latencies) / elapsed, 1),
        "webhook_send_lag_p95_ms": _percentile_ms(lags, 0.95),
        "webhook_seconds": round(elapsed, 1),
        "webhook_visitors": visitors,
        "webhook_mix": dict(mix.most_common()),
    }


async def _counters(replica: Replica) -> dict[str, float]:
    """The replica's own counts from GET /metrics: updates handled, handler errors, throttled."""
    async with aiohttp.ClientSession() as http, http.get(replica.url + "/metrics") as response:
        text = await response.text()
    found = {"handled": 0.0, "errors": 0.0, "throttled": 0.0}
    names = {"bot_updates_handled_total": "handled", "bot_handler_errors_total": "errors",
             "bot_updates_throttled_total": "throttled"}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name in names:
                found[names[sample.name]] += sample.value
    return {key: int(value) for key, value in found.items()}
