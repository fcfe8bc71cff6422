"""Dialogues in Redis (aiogram's RedisStorage), for several replicas: any of them carries on a dialogue.

Keys are those of the database storage (`dialogue_key_builder`: bot, chat, user, destiny) with
":state" and ":data"; data is JSON (never pickle), and neither has a TTL: a citizen may come back days
later. Every write also records when the dialogue was last touched, in one sorted set, in the same
MULTI: that is what the purge of abandoned complaint drafts (`forget_part`, as on the database) reads,
instead of scanning every key.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import DefaultKeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.storage.fsm import dialogue_key_builder

log = logging.getLogger("bot.storage.redis_dialogues")

# Drop one part of a dialogue's data if, and only if, nobody touched it since it was read:
# KEYS touched set, data key; ARGV dialogue, its score as read, data as read, new data ("" drops the key,
# "-" leaves the data as it is). The dialogue leaves the set either way: the next write adds it again.
# Scores compare as numbers: ZRANGEBYSCORE and a script's ZSCORE print the same double differently.
_FORGET = """
if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1])) ~= tonumber(ARGV[2]) then return 0 end
if ARGV[4] ~= '-' then
  if redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
  if ARGV[4] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[4]) end
end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""


class RedisDialogues(RedisStorage):
    """`close()` leaves the client open: it belongs to whoever opened it (bot.storage.redis_client)."""

    def __init__(self, redis: Redis, key_builder: DefaultKeyBuilder | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(redis, key_builder or dialogue_key_builder())
        self.clock = clock
        self.touched = f"{self.key_builder.prefix}{self.key_builder.separator}touched"
        self._forget = redis.register_script(_FORGET)

    def _dialogue(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    def _part(self, dialogue: str, part: str) -> str:
        return f"{dialogue}{self.key_builder.separator}{part}"

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        dialogue = self._dialogue(key)
        async with self.redis.pipeline(transaction=True) as pipe:
            if value is None:
                pipe.delete(self._part(dialogue, "state"))
            else:
                pipe.set(self._part(dialogue, "state"), value)
            pipe.zadd(self.touched, {dialogue: self.clock()})
            await pipe.execute()

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            raise DataNotDictLikeError(f"Data must be a dict or dict-like object, got {type(data).__name__}")
        dialogue = self._dialogue(key)
        async with self.redis.pipeline(transaction=True) as pipe:
            if data:
                pipe.set(self._part(dialogue, "data"), self.json_dumps(data))
            else:
                pipe.delete(self._part(dialogue, "data"))
            pipe.zadd(self.touched, {dialogue: self.clock()})
            await pipe.execute()

    async def forget_part(self, part: str, idle_before: datetime) -> int:
        """Drop `part` of the data (an abandoned complaint draft: names, addresses) of every dialogue
        untouched since `idle_before`; returns how many were cleared. A dialogue that moves on meanwhile,
        on any replica, keeps what it has. Run by every replica at start: a Redis that is down then is
        logged (and /healthz says so) rather than keeping the replica from starting."""
        try:
            idle = await self.redis.zrangebyscore(self.touched, "-inf", f"({idle_before.timestamp()}",
                                                  withscores=True, score_cast_func=bytes)
            cleared = 0
            for dialogue, score in idle:
                data_key = self._part(dialogue.decode(), "data")
                raw = await self.redis.get(data_key)
                data = json.loads(raw) if raw is not None else {}
                if data.get(part) is None:
                    await self._forget(keys=[self.touched, data_key], args=[dialogue, score, "", "-"])
                    continue
                del data[part]
                kept = self.json_dumps(data) if data else ""
                keys = [self.touched, data_key]
                cleared += await self._forget(keys=keys, args=[dialogue, score, raw, kept])
        except RedisError as error:
            log.warning("abandoned drafts not purged: Redis failed: %s", type(error).__name__)
            return 0
        return cleared

    async def close(self) -> None:
        """Nothing to release: the client belongs to whoever opened it."""
