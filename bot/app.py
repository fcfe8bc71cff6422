"""Wiring: the Dispatcher, the Bot and the command menu, built fresh on every call.

Dependencies reach handlers as workflow data (`db`, `settings`, and the data files read once: `ruleset`,
`directory`, `terms`), never as module globals, so a test or a restart can build a second Dispatcher on
the same database. HANDLER_MODULES is the one list of
feature routers, in order; handlers.fallback always comes last.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import BotCommand, BotCommandScopeDefault
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from aiogram.utils.i18n import I18n

from bot.complaints.terms import load_terms
from bot.config import SUPPORTED_LOCALES, Settings
from bot.offices.directory import load_directory
from bot.rules.ruleset import load_ruleset
from bot.storage.database import Database
from bot.storage.fsm import DatabaseStorage
from bot.telegram import late_presses
from bot.telegram.hardening import install_hardening
from bot.telegram.locale import LanguageGate, LocaleMiddleware, make_i18n
from bot.telegram.lone_surrogates import LoneSurrogates
from bot.telegram.private_chats import PrivateChatsOnly
from bot.telegram.retention import RetentionSweep
from bot.telegram.warmup import warm_up
from handlers import errors, fallback, language
from handlers.command_menus import install_staff_menus, set_descriptions
from handlers.commands import BOT_COMMANDS
from handlers.complaints import form as complaint_form
from handlers.visits.schedule import VisitScheduler

if TYPE_CHECKING:
    from redis.asyncio import Redis

# Modules of `handlers` with `make_router()`, included in this order (first match wins).
HANDLER_MODULES: tuple[str, ...] = (
    "start", "language", "about", "precheck.router", "documents", "fee", "offices.router",
    "complaints.citizen", "complaints.own", "complaints.staff", "complaints.staff_actions",
    "complaints.forward", "stats", "visits.record", "visits.survey",
)

def build_dispatcher(settings: Settings, db: Database, *, redis: Redis | None = None,
                     events_isolation: BaseEventIsolation | None = None) -> Dispatcher:
    """A new Dispatcher with every router, the database's FSM storage, i18n and the error handler.

    One user's updates are handled one at a time (`events_isolation`, SimpleEventIsolation within one
    process): polling runs updates as concurrent tasks, and two of them reading and writing the same
    dialogue would keep only one of their answers. With `redis` (REDIS_URL: several replicas) the
    dialogues, that order, the throttle and the processed-update marks live in Redis instead, shared by
    every replica (bot.storage.redis_*); the caller owns the client, as it owns `db`.

    Every callback query is answered by CallbackAnswerMiddleware after its handler: handlers set
    `callback_answer.text` (a handler argument) instead of calling `callback.answer()` themselves.
    """
    i18n = make_i18n(settings.default_locale)
    if redis is None:
        storage: BaseStorage = DatabaseStorage(db)
        events_isolation = events_isolation or SimpleEventIsolation()
    else:
        from bot.storage.redis_dialogues import RedisDialogues
        from bot.storage.redis_locks import RedisLocks

        db.share()
        storage = RedisDialogues(redis)
        events_isolation = events_isolation or RedisLocks(redis)
    dp = Dispatcher(storage=storage, events_isolation=events_isolation, db=db, settings=settings, i18n=i18n,
                    ruleset=load_ruleset(), directory=load_directory(), terms=load_terms())
    if redis is not None:  # /healthz reaches it here
        dp["redis"] = redis
    locale = LocaleMiddleware(i18n, db)
    # duplicates, floods (the throttle before every other middleware), retries, outbox, graceful stop
    install_hardening(dp, db, settings, i18n=i18n, locale_of=locale.resolve, redis=redis)
    dp.update.outer_middleware(LoneSurrogates())  # text that cannot be stored is mended before it is read
    locale.setup(dp)
    gate = LanguageGate(ask=language.ask_language, is_language_choice=language.is_language_choice)
    for observer in (dp.message, dp.edited_message, dp.callback_query):
        observer.outer_middleware(gate)  # after the locale: it tells whether the language is known
    private_only = PrivateChatsOnly()
    for observer in (dp.message, dp.edited_message, dp.callback_query):
        observer.outer_middleware(private_only)
    dp.callback_query.middleware(CallbackAnswerMiddleware())
    for name in HANDLER_MODULES:
        dp.include_router(importlib.import_module(f"handlers.{name}").make_router())
    dp.include_router(fallback.make_router())
    dp.errors.register(errors.on_error)
    # reminders and survey questions, stored into the outbox when due
    dp["outbox"].passes["visits"] = VisitScheduler(db, i18n, dp["outbox"])
    # what /privacy promises to delete: at start-up, then hourly as an outbox pass
    retention = RetentionSweep(db, settings, draft_key=complaint_form.KEY, dialogue_parts=storage)
    dp.startup.register(retention.on_startup)
    dp["outbox"].passes["retention"] = retention
    dp.startup.register(warm_up)  # before polling: the first updates after a restart do not wait
    install_staff_menus(dp, db, i18n)  # staff see /queue in their "/" menu: handlers.command_menus
    return dp


def build_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    """The Bot for the configured token; with TELEGRAM_API_SERVER every request goes to that server."""
    if session is None:
        session = AiohttpSession()
        if settings.telegram_api_server:
            session.api = TelegramAPIServer.from_base(settings.telegram_api_server)
    bot = Bot(
        token=settings.require_token(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    late_presses.install(bot)  # a press answered after Telegram's deadline is not a failure
    return bot


async def set_commands(bot: Bot, i18n: I18n | None = None) -> None:
    """The command list Telegram shows under "/" and the bot's description, in Kazakh, in Russian, and
    a default (DEFAULT_LOCALE). Staff menus are set apart (handlers.command_menus), from the grants."""
    i18n = i18n or make_i18n()
    for code in (*SUPPORTED_LOCALES, None):
        locale = code or i18n.default_locale
        commands = [BotCommand(command=name, description=i18n.gettext(text, locale=locale))
                    for name, text in BOT_COMMANDS]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=code)
    await set_descriptions(bot, i18n)
