"""The throttle's token buckets in Redis (bot.telegram.throttle), shared by every replica: a flood
spread by the load balancer over several replicas is still one flood.

One hash per user or chat (tokens, when, warned), updated by one Lua script, so two replicas counting
the same user at once never both spend the last token. It expires once it would be full again.
Should Redis fail, the update is let through: the throttle protects the bot, it must not stop it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("bot.storage.redis_buckets")

# KEYS bucket; ARGV burst, rate per second, now (seconds), TTL. Returns {allowed, first refusal}.
_TAKE = """
local burst, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'warned')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
local warned = b[3] == '1'
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed, first = 0, 0
if tokens >= 1 then
  tokens, warned, allowed = tokens - 1, false, 1
else
  if not warned then first = 1 end
  warned = true
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(now, at)),
           'warned', warned and '1' or '0')
redis.call('EXPIRE', KEYS[1], ARGV[4])
return {allowed, first}
"""


class RedisBuckets:
    """`take(key, burst, rate)`: (allowed, first refusal of this burst), as the in-memory buckets."""

    def __init__(self, redis: Redis, *, prefix: str = "throttle",
                 clock: Callable[[], float] = time.time) -> None:
        self.prefix = prefix
        self.clock = clock
        self._take = redis.register_script(_TAKE)

    async def take(self, key: str, burst: float, rate: float) -> tuple[bool, bool]:
        ttl = math.ceil(burst / rate) + 1
        try:
            allowed, first = await self._take(keys=[f"{self.prefix}:{key}"],
                                              args=[repr(burst), repr(rate), repr(self.clock()), ttl])
        except RedisError as error:
            log.warning("throttle buckets unavailable, update let through: %s", type(error).__name__)
            return True, False
        return bool(allowed), bool(first)
