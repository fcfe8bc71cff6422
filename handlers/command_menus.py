"""What Telegram shows before and around the chat: the bot's description, and the "/" menu per person.

Everyone gets the citizens' menu (BOT_COMMANDS) in their language. A staff member's own chat gets
STAFF_COMMANDS (with /queue and /stats), in the language they chose in the bot, through BotCommandScopeChat.

Grants change from the command line (`python -m bot staff add/remove`), which has no bot to call
Telegram with. So the menus follow the audit log, where every grant and revocation is recorded: at
start every member ever granted is set (or reset, once revoked), and while the bot runs an update
looks, at most every `interval` seconds, for audit records added since; the member who changed the
language gets the menu in the new one at their next update. A failed call is tried again at the next
look, as nothing is marked done until Telegram took it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, TelegramObject, User
from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES
from bot.storage.database import Database
from handlers.commands import DESCRIPTION, SHORT_DESCRIPTION, STAFF_COMMANDS

log = logging.getLogger(__name__)
CHECK_INTERVAL = 30.0  # seconds between looks at the audit log while updates come in


def commands(i18n: I18n, locale: str, listed: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    return [BotCommand(command=name, description=i18n.gettext(text, locale=locale)) for name, text in listed]


async def set_descriptions(bot: Bot, i18n: I18n) -> None:
    """The bot's description and short description in Kazakh, in Russian, and a default."""
    for code in (*SUPPORTED_LOCALES, None):
        locale = code or i18n.default_locale
        await bot.set_my_description(i18n.gettext(DESCRIPTION, locale=locale), language_code=code)
        await bot.set_my_short_description(i18n.gettext(SHORT_DESCRIPTION, locale=locale), language_code=code)


class StaffMenus(BaseMiddleware):
    """Keeps each staff member's "/" menu in step with their grants and language (see the module)."""

    def __init__(self, db: Database, i18n: I18n, interval: float = CHECK_INTERVAL) -> None:
        self.db = db
        self.i18n = i18n
        self.interval = interval
        self.shown: dict[int, str | None] = {}  # user id → locale of the staff menu set, None: none
        self.audit_seen = 0
        self.checked_at = float("-inf")
        self.failed: set[int] = set()  # tried again at the next look

    async def sync_all(self, bot: Bot) -> None:
        """At start: every member ever granted gets the menu their grants call for now."""
        self.audit_seen, users = await self.db.staff.changes(0)
        self.checked_at = time.monotonic()
        for user_id in users:
            await self.sync(bot, user_id)

    async def sync(self, bot: Bot, user_id: int) -> None:
        """Set or reset one member's menu when it differs from what was last set."""
        wanted = None
        if await self.db.staff.grants(user_id):
            wanted = await self.db.dialogues.get_locale(user_id) or self.i18n.default_locale
        if user_id in self.shown and self.shown[user_id] == wanted:
            return
        scope = BotCommandScopeChat(chat_id=user_id)
        try:
            if wanted is None:
                await bot.delete_my_commands(scope=scope)
            else:
                await bot.set_my_commands(commands(self.i18n, wanted, STAFF_COMMANDS), scope=scope)
        except TelegramAPIError as error:  # e.g. a member who never opened the bot: their chat is unknown
            log.warning("staff menu of user %s not set: %s", user_id, type(error).__name__)
            self.failed.add(user_id)
            return
        self.failed.discard(user_id)
        self.shown[user_id] = wanted

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        result = await handler(event, data)  # the user's answer first; the menu can wait a moment
        bot, user = data.get("bot"), data.get("event_from_user")
        if bot is not None:
            await self._refresh(bot, user)
        return result

    async def _refresh(self, bot: Bot, user: User | None) -> None:
        if time.monotonic() - self.checked_at >= self.interval:
            self.checked_at = time.monotonic()
            self.audit_seen, changed = await self.db.staff.changes(self.audit_seen)
            for user_id in dict.fromkeys([*changed, *self.failed]):
                self.shown.pop(user_id, None)
                await self.sync(bot, user_id)
        shown = self.shown.get(user.id) if user is not None else None
        wanted = await self.db.dialogues.get_locale(user.id) if shown is not None else None
        if shown is not None and (wanted or self.i18n.default_locale) != shown:
            await self.sync(bot, user.id)  # the language was changed; get_locale is answered from memory

    async def on_startup(self, bot: Bot) -> None:
        await self.sync_all(bot)


def install_staff_menus(dp, db: Database, i18n: I18n) -> StaffMenus:
    """Staff menus follow grants from start on (workflow data "staff_menus", for a test to reach it)."""
    menus = StaffMenus(db, i18n)
    dp.update.outer_middleware(menus)
    dp.startup.register(menus.on_startup)
    dp["staff_menus"] = menus
    return menus
