"""Replicas as in production: processes of `python -m bot run --webhook` on one database and one Redis.

Shared by the two-replica tests (tests/test_replicas.py) and the webhook benchmark (bench/webhook.py),
so both measure and check the very path an operator runs. Each replica talks to its own fake Bot API
server (any FakeBotApiServer subclass: a test holds calls to kill a replica mid-update) over one
FakeTelegram; `WebhookSender` plays Telegram and the load balancer in front of them. A database of their
own on a shared PostgreSQL server comes from bot.storage.scratch.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.testing.core import FakeTelegram
from bot.testing.server import FakeBotApiServer

SECRET = "replicas-Secret_1"
PUBLIC_URL = "https://bot.example.kz/telegram"
# Settings a replica takes from its environment: the caller's own values of these never leak into it.
REPLICA_SETTINGS = ("BOT_TOKEN", "DATABASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN",
                    "LOG_LEVEL", "LOG_FORMAT", "REDIS_URL", "TELEGRAM_API_SERVER")


@dataclass
class Replica:
    process: asyncio.subprocess.Process
    url: str
    api: FakeBotApiServer
    log: Path

    @property
    def webhook(self) -> str:
        return self.url + "/telegram"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replica_env(database_url: str, redis_url: str, token: str, **env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in REPLICA_SETTINGS}
    return base | {"BOT_TOKEN": token, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
                   "WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_SECRET": SECRET, "LOG_LEVEL": "WARNING"} | env


@asynccontextmanager
async def replicas(workdir: Path, fake: FakeTelegram, database_url: str, redis_url: str, count: int = 2, *,
                   api: Callable[[FakeTelegram], FakeBotApiServer] = FakeBotApiServer,
                   **env: str) -> AsyncIterator[list[Replica]]:
    """The schema migrated once (`python -m bot db upgrade`), then `count` replicas, each healthy; on exit
    each gets SIGTERM and is waited for. Each replica's stderr is `workdir/replicaN.log`."""
    settings = replica_env(database_url, redis_url, fake.token, **env)
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot", "db", "upgrade"],
                                   env=settings, cwd=workdir, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"db upgrade failed: {done.stderr}")
    started: list[Replica] = []
    try:
        for n in range(count):
            server = await api(fake).__aenter__()
            port = free_port()
            log = workdir / f"replica{n}.log"
            with log.open("wb") as stderr:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", "--webhook", cwd=workdir, stderr=stderr,
                    env=settings | {"WEBHOOK_LISTEN": f"127.0.0.1:{port}", "TELEGRAM_API_SERVER": server.url})
            started.append(Replica(process, f"http://127.0.0.1:{port}", server, log))
        for replica in started:
            await wait_healthy(replica)
        yield started
    finally:
        for replica in started:
            if replica.process.returncode is None:
                replica.process.send_signal(signal.SIGTERM)
        for replica in started:
            await asyncio.wait_for(replica.process.wait(), 60)
            await replica.api.__aexit__(None, None, None)


async def wait_healthy(replica: Replica) -> None:
    """Until /healthz says the database and Redis are ok; a replica that exits or never gets there fails."""
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            if replica.process.returncode is not None:
                raise RuntimeError(f"replica {replica.url} exited: {replica.log.read_text()}")
            try:
                async with http.get(replica.url + "/healthz") as response:
                    if response.status == 200:
                        status = json.loads(await response.text())
                        if status != {"database": "ok", "redis": "ok"}:
                            raise RuntimeError(f"replica {replica.url} is healthy without Redis: {status}")
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"replica {replica.url} never became healthy: {replica.log.read_text()}")

