"""The throwaway servers of `make test` (tools/test_servers.sh) run and answer: CI proves it here.

Skipped, with the reason, under a plain `pytest` (TEST_POSTGRES_URL / TEST_REDIS_URL unset).
"""

from __future__ import annotations

import os

import pytest

POSTGRES = os.environ.get("TEST_POSTGRES_URL")
REDIS = os.environ.get("TEST_REDIS_URL")


@pytest.mark.skipif(not POSTGRES, reason="TEST_POSTGRES_URL unset (make test sets it)")
async def test_postgres_answers_select_1():
    import asyncpg

    conn = await asyncpg.connect(POSTGRES, timeout=10)
    try:
        assert await conn.fetchval("SELECT 1") == 1
        assert (await conn.fetchval("SHOW server_version")).startswith("15")
    finally:
        await conn.close()


@pytest.mark.skipif(not REDIS, reason="TEST_REDIS_URL unset (make test sets it)")
async def test_redis_answers_ping():
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS, socket_connect_timeout=10)
    try:
        assert await client.ping() is True
    finally:
        await client.aclose()
