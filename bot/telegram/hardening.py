"""One call wires the hardening into a Dispatcher (bot.app.build_dispatcher makes it first):

- `DuplicateUpdates` (.dedupe) outermost on updates (inside aiogram's per-user lock): a redelivered
  update has no second effect (with `redis`, whichever replica it reaches: marks and buckets in Redis);
- `ThrottleMiddleware` (bot.telegram.throttle) before every other middleware of messages and presses, the
  locale's and the private-chat one's too: floods get one polite answer and nothing else;
- `Outbox.of(db)` (bot.telegram.outbox), also as workflow data `outbox`: notices that must arrive;
- on startup: `RetryMiddleware` (bot.telegram.retry) on the bot's session and the outbox worker, which first
  sends what a previous process left unsent;
- on shutdown (SIGTERM or SIGINT stop the polling; aiogram emits shutdown before closing the session):
  wait for the updates in flight to finish, up to SHUTDOWN_GRACE seconds, then stop the worker;
- the bot token is redacted from every log record (bot.telegram.redaction).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.storage.database import Database
from bot.telegram import redaction, retry
from bot.telegram.dedupe import DuplicateUpdates
from bot.telegram.outbox import Outbox, OutboxWorker
from bot.telegram.throttle import LocaleOf, ThrottleMiddleware

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("bot.telegram.hardening")

# Seconds a stopping bot waits for updates in flight (under systemd's and Docker's stop timeouts).
SHUTDOWN_GRACE = 8.0


def install_hardening(dp: Dispatcher, db: Database, settings: Settings, *, i18n: I18n,
                      locale_of: LocaleOf, redis: Redis | None = None) -> None:
    """`i18n` and `locale_of` let the throttle word its notice before the locale middleware has run."""
    token = settings.bot_token.get_secret_value().strip() if settings.bot_token is not None else None
    if token is not None:
        redaction.install(token)
    marks = buckets = None
    if redis is not None:  # only replicas with REDIS_URL load the client library
        from bot.storage.redis_buckets import RedisBuckets
        from bot.storage.redis_updates import RedisUpdateMarks

        marks = RedisUpdateMarks(redis, bot_id=int(token.split(":")[0]) if token else 0)
        buckets = RedisBuckets(redis)
    dedupe = DuplicateUpdates(db, marks=marks)
    dp.update.outer_middleware(dedupe)
    throttle = ThrottleMiddleware(i18n, locale_of, shared=buckets)
    for observer in (dp.message, dp.edited_message, dp.callback_query):
        observer.outer_middleware(throttle)
    outbox = Outbox.of(db)
    dp["outbox"], dp["throttle"], dp["dedupe"] = outbox, throttle, dedupe
    workers: list[OutboxWorker] = []

    async def on_startup(bot: Bot) -> None:
        retry.install(bot)
        worker = OutboxWorker(outbox, bot)
        worker.start()
        workers.append(worker)

    async def on_shutdown() -> None:
        if not await dedupe.wait_idle(SHUTDOWN_GRACE):
            log.warning("stopping with %d updates still in flight", len(dedupe.in_flight))
        while workers:
            await workers.pop().stop()

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
