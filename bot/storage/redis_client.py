"""The one Redis client of a replica (REDIS_URL): the dialogues, the per-user locks, the throttle's
buckets and the processed-update marks all go through its connection pool, so that every replica behind
the load balancer shares them. Whoever opens it closes it, after the Dispatcher stopped (like the
database): aiogram closes its FSM storage before the updates in flight have finished."""

from __future__ import annotations

from redis.asyncio import Redis

# Seconds to connect or to wait for an answer: a dead Redis must fail an update, not hang it.
TIMEOUT = 5.0


def open_redis(url: str) -> Redis:
    """A client for `redis://host:port/db` (no connection is made until the first command)."""
    return Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT,
                          health_check_interval=30)
