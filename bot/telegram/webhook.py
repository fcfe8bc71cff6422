"""Webhook mode: one aiohttp listener per replica for Telegram's POSTs, /healthz and /metrics.

Telegram POSTs each update to WEBHOOK_URL; a load balancer may hand it to any replica. aiogram's
SimpleRequestHandler feeds it to the Dispatcher with `handle_in_background=False`: the answer goes
back only once the handlers are done, so an update a dying replica did not finish gets no 2xx and
Telegram delivers it again (bot.telegram.dedupe makes a finished one have no second effect). A request without
the matching X-Telegram-Bot-Api-Secret-Token gets 401 and is not fed.

Start-up and shutdown are the Dispatcher's own (the hardening's outbox worker and purge, the warm-up),
emitted by the app as `start_polling` would. On stop the listener first stops accepting, then the
Dispatcher waits for the updates in flight, and only then is the bot's session closed. A replica never
calls setWebhook: `python -m bot webhook set` does, once (bot.cli.webhook).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.config import Settings, WebhookConfig
from bot.storage.database import Database
from bot.telegram.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger("bot.telegram.webhook")

# Seconds a health probe may take before the dependency counts as down (load balancers probe often).
PROBE_TIMEOUT = 2.0
NOT_CONFIGURED = "not configured"


class Health:
    """The answers of /healthz: each dependency "ok", "down" or "not configured". `redis` is the very
    client the Dispatcher uses (its workflow data "redis"), None without REDIS_URL."""

    def __init__(self, db: Database, redis: Any) -> None:
        self.db = db
        self.redis = redis

    async def check(self) -> dict[str, str]:
        return {"database": await self._probe(self.db.ping),
                "redis": await self._probe(self.redis.ping) if self.redis is not None else NOT_CONFIGURED}

    @staticmethod
    async def _probe(ping: Any) -> str:
        try:
            await asyncio.wait_for(ping(), PROBE_TIMEOUT)
        except Exception as error:  # any failure means "do not route to me", whatever it is
            log.warning("health probe failed: %s", type(error).__name__)
            return "down"
        return "ok"


def build_app(dp: Dispatcher, bot: Bot, db: Database, settings: Settings,
              config: WebhookConfig) -> web.Application:
    """The aiohttp app: the webhook at the path of WEBHOOK_URL, GET /healthz, GET /metrics."""
    app = web.Application()
    metrics = Metrics(dp, db)
    metrics.instrument(dp)
    health = Health(db, dp.workflow_data.get("redis"))
    setup_application(app, dp, bot=bot)  # first: its shutdown waits for updates in flight ...
    SimpleRequestHandler(dp, bot, handle_in_background=False,
                         secret_token=config.secret).register(app, path=config.path)  # ... then closes

    async def healthz(request: web.Request) -> web.Response:
        status = await health.check()
        healthy = all(value in ("ok", NOT_CONFIGURED) for value in status.values())
        return web.Response(status=200 if healthy else 503, text=json.dumps(status),
                            content_type="application/json")

    async def scrape(request: web.Request) -> web.Response:
        return web.Response(body=await metrics.render(), headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", scrape)
    return app


class WebhookServer:
    """`async with WebhookServer(app, host, port) as server:` listens (port 0: a free one, `server.port`)."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def __aenter__(self) -> WebhookServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        await self._runner.setup()  # emits the Dispatcher's startup
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await self._runner.cleanup()
            raise
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Stop accepting, let the Dispatcher finish what is in flight, close the bot's session."""
        await self._runner.cleanup()
