"""`python -m bot run`: the bot with long polling; `--or-terminal` falls back to the terminal mode.

`make run` calls `run --or-terminal`, so a newcomer without a token still gets the whole dialogue
(bot.terminal). A missing or malformed token, a bad setting or a token Telegram refuses is one line
on stderr and exit 2; the token itself is never printed.
"""

from __future__ import annotations

import asyncio
import logging

from bot.cli import UsageError
from bot.config import ConfigError, Settings, load_settings


def register(sub) -> None:
    run = sub.add_parser("run", help="run the bot with long polling")
    run.add_argument("--or-terminal", action="store_true",
                     help="without BOT_TOKEN, open the terminal mode instead of failing")
    run.set_defaults(func=_run)


def _run(args) -> int:
    try:
        settings = load_settings()
        settings.database_path  # noqa: B018 - a malformed DATABASE_URL is reported before starting
        _setup_logging(settings.log_level)
        if args.or_terminal and settings.bot_token is None:
            from bot import terminal

            return terminal.run(settings)
        settings.require_token()
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    from aiogram.exceptions import TelegramUnauthorizedError  # aiogram loads in seconds: only when running

    try:
        asyncio.run(_poll(settings))
    except TelegramUnauthorizedError:
        raise UsageError("BOT_TOKEN was refused by Telegram: check it with @BotFather") from None
    return 0


def _setup_logging(level: str) -> None:
    name = level.strip().upper()
    if not isinstance(logging.getLevelName(name), int):
        raise ConfigError(f"LOG_LEVEL: unknown level {level!r} (use DEBUG, INFO, WARNING or ERROR)")
    logging.basicConfig(level=name, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


async def _poll(settings: Settings) -> None:
    from bot.app import build_bot, build_dispatcher, set_commands
    from bot.database import Database

    db = await Database.open(settings.database_path)
    try:
        dp = build_dispatcher(settings, db)
        bot = build_bot(settings)
        try:
            await set_commands(bot, dp["i18n"])
            await dp.start_polling(bot, handle_signals=True)
        finally:
            await bot.session.close()
    finally:
        await db.close()
