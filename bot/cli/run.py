"""`python -m bot run`: the bot with long polling; `--or-terminal` falls back to the terminal mode;
`--webhook` serves Telegram's POSTs, /healthz and /metrics instead (bot.telegram.webhook; several replicas).

`make run` calls `run --or-terminal`, so a newcomer without a token still gets the whole dialogue
(bot.terminal). A missing or malformed token, a bad setting, a broken data file (bot.data_files) or a
token Telegram refuses is one line on stderr and exit 2; the token itself is never printed.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot import logs
from bot.cli import UsageError
from bot.config import ConfigError, Settings, WebhookConfig, load_settings


def register(sub) -> None:
    run = sub.add_parser("run", help="run the bot with long polling (default) or a webhook")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--or-terminal", action="store_true",
                      help="without BOT_TOKEN, open the terminal mode instead of failing")
    mode.add_argument("--webhook", action="store_true",
                      help="serve WEBHOOK_URL's path, /healthz and /metrics on WEBHOOK_LISTEN")
    run.set_defaults(func=_run)


def _run(args) -> int:
    from bot.data_files import DATA_FILE_ERRORS, check_data_files  # every domain: only when running

    try:
        settings = load_settings()
        settings.database  # noqa: B018 - a malformed DATABASE_URL is reported before starting
        logs.setup(settings.log_level, settings.log_format)
        check_data_files()  # a broken data file is one line and exit 2, before anything starts
        if args.or_terminal and settings.bot_token is None:
            from bot import terminal

            return terminal.run(settings)
        settings.require_token()
        webhook = settings.webhook_config() if args.webhook else None
    except (ConfigError, *DATA_FILE_ERRORS) as exc:
        raise UsageError(str(exc)) from None
    from aiogram.exceptions import TelegramUnauthorizedError  # aiogram loads in seconds: only when running

    try:
        asyncio.run(_poll(settings) if webhook is None else _serve(settings, webhook))
    except TelegramUnauthorizedError:
        raise UsageError("BOT_TOKEN was refused by Telegram: check it with @BotFather") from None
    return 0


@asynccontextmanager
async def _stores(settings: Settings) -> AsyncIterator[tuple[Any, Any]]:
    """The database and, with REDIS_URL, the Redis client; both closed after the Dispatcher stopped."""
    from bot.storage.database import Database

    db = await Database.open(settings.database)
    redis = None
    try:
        if settings.redis_url:
            from bot.storage.redis_client import open_redis

            redis = open_redis(settings.redis_url)
        yield db, redis
    finally:
        if redis is not None:
            await redis.aclose()
        await db.close()


async def _poll(settings: Settings) -> None:
    from bot.app import build_bot, build_dispatcher, set_commands

    async with _stores(settings) as (db, redis):
        dp = build_dispatcher(settings, db, redis=redis)
        bot = build_bot(settings)
        try:
            await set_commands(bot, dp["i18n"])
            await dp.start_polling(bot, handle_signals=True)
        finally:
            await bot.session.close()


async def _serve(settings: Settings, config: WebhookConfig) -> None:
    """Listen until SIGTERM or SIGINT, then stop gracefully (bot.telegram.webhook)."""
    from bot.app import build_bot, build_dispatcher, set_commands
    from bot.telegram import redaction
    from bot.telegram.webhook import WebhookServer, build_app

    redaction.install(config.secret)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with _stores(settings) as (db, redis):
        dp = build_dispatcher(settings, db, redis=redis)
        bot = build_bot(settings)
        try:
            await set_commands(bot, dp["i18n"])
            server = WebhookServer(build_app(dp, bot, db, settings, config), config.host, config.port)
            try:
                await server.start()
            except OSError as exc:  # the address is taken or not this machine's
                where = f"{config.host}:{config.port}"
                raise UsageError(f"WEBHOOK_LISTEN {where}: {exc.strerror or exc}") from None
            try:
                await stop.wait()
            finally:
                await server.stop()
        finally:
            await bot.session.close()
