"""Processed-update marks in Redis (bot.telegram.dedupe), shared by every replica: an update one
replica finished has no second effect when Telegram delivers it again to another.

The same methods as the database's `ProcessedUpdates`; a mark is `SET upd:<bot>:<update id> <digest>
EX 172800`: Redis forgets it after two days (Telegram keeps an undelivered update for one), so there is
nothing to prune. Not NX: a different update under a recorded id (ids restart after a week of silence)
replaces the old digest, as on the database, or its own redelivery would be handled twice.
"""

from __future__ import annotations

from datetime import datetime

from redis.asyncio import Redis

KEEP_SECONDS = 2 * 24 * 3600


class RedisUpdateMarks:
    def __init__(self, redis: Redis, bot_id: int) -> None:
        self.redis = redis
        self.prefix = f"upd:{bot_id}:"  # update ids are per bot: two bots on one Redis never collide

    async def mark_update_handled(self, update_id: int, digest: str, at: datetime) -> None:
        await self.redis.set(f"{self.prefix}{update_id}", digest, ex=KEEP_SECONDS)

    async def handled_update_digest(self, update_id: int) -> str | None:
        value = await self.redis.get(f"{self.prefix}{update_id}")
        return None if value is None else value.decode()

    async def last_handled_update(self) -> int | None:
        """Not kept: with marks shared by replicas every update is looked up (bot.telegram.dedupe)."""
        return None

    async def forget_updates(self, before: datetime) -> int:
        """Nothing to do: every mark expires on its own."""
        return 0
