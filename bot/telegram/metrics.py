"""Prometheus metrics of one bot process, served at /metrics by the webhook server (bot.telegram.webhook).

Each `Metrics` has its own CollectorRegistry (tests build several apps in one process). Counted as
they happen: updates handled by type (a redelivered duplicate that bot.telegram.dedupe skipped is not
handled), handler errors, and the seconds from an update's arrival to its last reply (the dialogue
latency a citizen feels). Read at scrape time: updates throttled (the ThrottleMiddleware's own count)
and the outbox rows pending and failed (a SQL count, so every replica reports the shared table).
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from aiogram import Dispatcher
from aiogram.types import ErrorEvent, TelegramObject, Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.storage.database import Database

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds; a reply within 0.25 s feels instant, one after 2.5 s feels broken.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_outermost: contextvars.ContextVar[bool] = contextvars.ContextVar("metrics_outermost", default=True)


class _Throttled(Collector):
    def __init__(self, dp: Dispatcher) -> None:
        self.dp = dp

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily("bot_updates_throttled", "Updates refused as a flood")
        family.add_metric([], getattr(self.dp.get("throttle"), "throttled", 0))
        yield family


class Metrics:
    def __init__(self, dp: Dispatcher, db: Database) -> None:
        self.db = db
        self.registry = CollectorRegistry()
        self.updates = Counter("bot_updates_handled", "Updates handled, by type", ["type"],
                               registry=self.registry)
        self.errors = Counter("bot_handler_errors", "Updates whose handler raised", ["type"],
                              registry=self.registry)
        self.latency = Histogram("bot_update_seconds", "Seconds from an update's arrival to its last reply",
                                 buckets=LATENCY_BUCKETS, registry=self.registry)
        self.outbox = Gauge("bot_outbox_rows", "Outbox notices not sent yet (pending) or given up (failed)",
                            ["state"], registry=self.registry)
        self.registry.register(_Throttled(dp))

    def instrument(self, dp: Dispatcher) -> None:
        """Count every update fed to `dp` (registered after build_dispatcher: inside bot.telegram.dedupe)."""
        dp.update.outer_middleware(self._count_update)
        dp.errors.outer_middleware(self._count_error)

    async def _count_update(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not _outermost.get():  # an update replayed from inside a handler is part of the outer one
            return await handler(event, data)
        token = _outermost.set(False)
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            _outermost.reset(token)
            self.latency.observe(time.perf_counter() - started)
            self.updates.labels(_kind(event)).inc()

    async def _count_error(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, ErrorEvent):
            self.errors.labels(_kind(event.update)).inc()
        return await handler(event, data)

    async def render(self) -> bytes:
        """The text exposition, with the outbox counted now."""
        counts = await self.db.outbox.counts()
        for state in ("pending", "failed"):
            self.outbox.labels(state).set(counts.get(state, 0))
        return generate_latest(self.registry)


def _kind(update: TelegramObject) -> str:
    if not isinstance(update, Update):
        return "unknown"
    try:
        return update.event_type
    except LookupError:
        return "unknown"
