"""Which language each update is answered in, and the catalogs behind it (aiogram I18n + Babel).

The locale is the user's stored choice, else their Telegram language_code when it is kk or ru. A user
with neither is asked first: `LanguageGate` keeps what they sent (the update, in the dialogue
state) and shows the language prompt; after the choice, handlers.language replays it, so nothing
they typed is lost. Babel's formatting locales (kk → kk_KZ, ru → ru_KZ) come from bot.formatting.
"""

from __future__ import annotations

import gettext
import io
import struct
from collections.abc import Awaitable, Callable, Generator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, ErrorEvent, Message, TelegramObject, Update, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot import PROJECT_ROOT
from bot.config import SUPPORTED_LOCALES
from bot.formatting import BABEL_LOCALES, babel_locale
from bot.storage.database import Database

__all__ = ["BABEL_LOCALES", "LOCALES_DIR", "PENDING_UPDATE_KEY", "LanguageGate", "LocaleMiddleware", "N_",
           "babel_locale", "make_i18n", "telegram_locale"]

LOCALES_DIR = PROJECT_ROOT / "locales"
DOMAIN = "messages"
PENDING_UPDATE_KEY = "pending_update"
LOCALE_KNOWN_KEY = "locale_known"

AskLanguage = Callable[[Message | CallbackQuery, I18n], Awaitable[Any]]


def N_(message: str) -> str:
    """Mark a msgid for extraction where it is translated later into a locale named explicitly."""
    return message


class ProjectI18n(I18n):
    """aiogram's I18n, which also reads a catalog whose .mo is missing or older than its .po.

    After `make catalogs` forgets the compile step, or on a fresh clone before `make install`, the bot
    still speaks both languages instead of falling back to English msgids.
    """

    @contextmanager
    def context(self) -> Generator[I18n, None, None]:
        """Install as *the* I18n: aiogram's gettext looks up `I18n`'s context, not a subclass's."""
        token = I18n.set_current(self)
        try:
            yield self
        finally:
            I18n.reset_current(token)

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        translations: dict[str, gettext.GNUTranslations] = {}
        for folder in sorted(self.path.iterdir()):
            po_path = folder / "LC_MESSAGES" / f"{self.domain}.po"
            mo_path = po_path.with_suffix(".mo")
            fresh = mo_path.exists() and (not po_path.exists() or _mtime(mo_path) >= _mtime(po_path))
            compiled = _read_mo(mo_path) if fresh else None
            if compiled is None and po_path.exists():
                compiled = compile_po(po_path)
            if compiled is not None:
                translations[folder.name] = gettext.GNUTranslations(io.BytesIO(compiled))
        return translations


def _read_mo(path: Path) -> bytes | None:
    """The .mo bytes if they parse (a half-written file, e.g. during `make catalogs`, does not)."""
    try:
        data = path.read_bytes()
        gettext.GNUTranslations(io.BytesIO(data))
    except (OSError, struct.error, UnicodeDecodeError):
        return None
    return data


def _mtime(path: Path) -> float:
    return path.stat().st_mtime


def compile_po(po_path: Path) -> bytes:
    """The .mo bytes of a catalog (fuzzy entries left out, as pybabel compile does)."""
    with po_path.open("rb") as fp:
        catalog = read_po(fp)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def make_i18n(default_locale: str = "kk") -> I18n:
    return ProjectI18n(path=LOCALES_DIR, default_locale=default_locale, domain=DOMAIN)


def telegram_locale(user: User | None) -> str | None:
    """kk or ru from the Telegram client's language_code ("ru-RU" counts as ru); None otherwise."""
    code = ((user.language_code if user else None) or "").split("-")[0].lower()
    return code if code in SUPPORTED_LOCALES else None


class LocaleMiddleware(I18nMiddleware):
    """The locale of each update: the stored choice, else Telegram's language, else the default.

    Whether the user's language is known is left in the data (`LOCALE_KNOWN_KEY`) for `LanguageGate`.
    """

    def __init__(self, i18n: I18n, db: Database) -> None:
        super().__init__(i18n)
        self.db = db

    async def resolve(self, user: User | None) -> str | None:
        """The user's locale, or None when they must be asked."""
        if user is None:
            return self.i18n.default_locale
        stored = await self.db.dialogues.get_locale(user.id)
        return stored or telegram_locale(user)

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        locale = await self.resolve(data.get("event_from_user"))
        data[LOCALE_KNOWN_KEY] = locale is not None
        return locale or self.i18n.default_locale


class LanguageGate(BaseMiddleware):
    """Asks a user whose language is unknown before anything else, keeping what they sent.

    Runs after `LocaleMiddleware` (which tells whether the language is known). `is_language_choice(event)`
    tells the pressing of a language button apart, which must get through.
    """

    def __init__(self, ask: AskLanguage, is_language_choice: Callable[[CallbackQuery], bool]) -> None:
        self.ask = ask
        self.is_language_choice = is_language_choice

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if data.get(LOCALE_KNOWN_KEY, True) or not self._must_ask(event):
            return await handler(event, data)
        if isinstance(event, Message) and data.get("state") is not None:
            update: Update = data["event_update"]
            pending = update.model_dump(mode="json", exclude_none=True)
            await data["state"].update_data({PENDING_UPDATE_KEY: pending})
        if isinstance(event, CallbackQuery):
            await event.answer()
        return await self.ask(event, data["i18n"])

    def _must_ask(self, event: TelegramObject) -> bool:
        """Only a private chat can be asked; a press of a language button is the answer itself."""
        if isinstance(event, ErrorEvent) or not self._private(event):
            return False
        return not (isinstance(event, CallbackQuery) and self.is_language_choice(event))

    @staticmethod
    def _private(event: TelegramObject) -> bool:
        if isinstance(event, Message):
            return event.chat.type == "private"
        if isinstance(event, CallbackQuery):
            return event.message is None or event.message.chat.type == "private"
        return False
