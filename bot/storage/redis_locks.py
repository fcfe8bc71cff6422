"""One user's updates one at a time across every replica (aiogram's event isolation, in Redis).

A lock per dialogue key (`<dialogue>:lock`), held while the update is handled. It expires after
LOCK_SECONDS, so a replica killed mid-update (SIGKILL, a lost machine) blocks that user for at most
that long; while the holder lives it renews the lock every third of that, so a slow update (Telegram
asking us to retry later) is never overtaken by the user's next one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager, suppress

from aiogram.fsm.storage.base import BaseEventIsolation, KeyBuilder, StorageKey
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from bot.storage.fsm import dialogue_key_builder

log = logging.getLogger("bot.storage.redis_locks")

LOCK_SECONDS = 10.0


class RedisLocks(BaseEventIsolation):
    def __init__(self, redis: Redis, key_builder: KeyBuilder | None = None, *,
                 timeout: float = LOCK_SECONDS) -> None:
        self.redis = redis
        self.key_builder = key_builder or dialogue_key_builder()
        self.timeout = timeout

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock = Lock(self.redis, self.key_builder.build(key, "lock"), timeout=self.timeout, sleep=0.02)
        await lock.acquire()
        renewal = asyncio.create_task(self._renew(lock))
        try:
            yield None
        finally:
            renewal.cancel()
            with suppress(asyncio.CancelledError):
                await renewal
            with suppress(LockError):  # expired after all (Redis was unreachable): nothing to release
                await lock.release()

    async def _renew(self, lock: Lock) -> None:
        while True:
            await asyncio.sleep(self.timeout / 3)
            try:
                await lock.reacquire()
            except (LockError, RedisError) as error:
                log.warning("a user's lock could not be renewed: %s", type(error).__name__)
                return

    async def close(self) -> None:
        """Nothing to release: the client belongs to whoever opened it."""
