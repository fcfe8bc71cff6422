"""Choosing the language: /language at any time, and the first question to a user we cannot place.

The prompt is written in both languages at once (the user may read only one). After a choice, what
the user sent before being asked is handled as if they had sent it now, else the menu is shown.

That message is handed to the routers from within the press's handling (`propagate_event`), not fed
as a new update: the press holds the user's event-isolation lock, which a new update of the same user
would wait for forever. So it passes the message middlewares (throttle, locale, private chat) and
filters as any message does, but not dedupe nor a second lock: it is part of the press's update.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, Update
from aiogram.utils.i18n import I18n
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import SUPPORTED_LOCALES
from bot.storage.database import Database
from bot.telegram.locale import N_, PENDING_UPDATE_KEY
from handlers.callbacks import LanguageCallback
from handlers.menu import send_menu

PROMPT = N_("Choose the language in which I will talk to you.")
LANGUAGE_NAMES = {"kk": N_("Kazakh"), "ru": N_("Russian")}
CHOSEN = N_("Done: I will talk to you in this language. You can change it with /language.")


def language_prompt(i18n: I18n) -> tuple[str, InlineKeyboardMarkup]:
    """The bilingual question and one button per language, each named in its own language."""
    text = "\n".join(i18n.gettext(PROMPT, locale=code) for code in SUPPORTED_LOCALES)
    builder = InlineKeyboardBuilder()
    for code in SUPPORTED_LOCALES:
        builder.button(text=i18n.gettext(LANGUAGE_NAMES[code], locale=code),
                       callback_data=LanguageCallback(code=code))
    return text, builder.adjust(1).as_markup()


async def ask_language(event: Message | CallbackQuery, i18n: I18n) -> None:
    """Show the language prompt in the chat of `event` (used by LocaleMiddleware too)."""
    text, keyboard = language_prompt(i18n)
    if isinstance(event, Message):
        await event.answer(text, reply_markup=keyboard)
    elif event.message is not None:
        await event.bot.send_message(event.message.chat.id, text, reply_markup=keyboard)


def is_language_choice(callback: CallbackQuery) -> bool:
    return bool(callback.data) and callback.data.startswith(f"{LanguageCallback.__prefix__}:")


def make_router() -> Router:
    router = Router(name="language")

    @router.message(Command("language"))
    async def language_command(message: Message, i18n: I18n) -> None:
        await ask_language(message, i18n)

    @router.callback_query(LanguageCallback.filter())
    async def choose(
        callback: CallbackQuery,
        callback_data: LanguageCallback,
        db: Database,
        i18n: I18n,
        state: FSMContext,
        dispatcher: Dispatcher,
        bot: Bot,
        **context: Any,
    ) -> None:
        code = callback_data.code if callback_data.code in SUPPORTED_LOCALES else i18n.default_locale
        await db.dialogues.set_locale(callback.from_user.id, code)
        data = await state.get_data()
        pending = data.pop(PENDING_UPDATE_KEY, None)
        if pending is not None:
            await state.set_data(data)
        with i18n.use_locale(code):
            done = i18n.gettext(CHOSEN)
            if isinstance(callback.message, Message):
                with suppress(TelegramBadRequest):  # pressed twice: already says so
                    await callback.message.edit_text(done)
            if pending is not None and not _is_language_command(pending):
                update = Update.model_validate(pending, context={"bot": bot})
                await _answer_pending(update, context | {"db": db, "i18n": i18n, "state": state,
                                                         "dispatcher": dispatcher, "bot": bot})
            elif isinstance(callback.message, Message):
                await state.set_state(None)  # the menu is a fresh start, as after /menu: typed text
                await send_menu(callback.message)  # is no longer an answer to a hidden question

    return router


# What belongs to the press's handling alone, not to the message handled within it.
_PRESS_ONLY = frozenset({"callback_data", "callback_answer", "handler", "event_router", "event_update",
                         "raw_state"})


async def _answer_pending(update: Update, context: dict[str, Any]) -> None:
    """Handle the message sent before the choice as if it came now (see the module docstring)."""
    data = {key: value for key, value in context.items() if key not in _PRESS_ONLY}
    state: FSMContext = data["state"]
    await data["dispatcher"].propagate_event(update_type=update.event_type, event=update.event,
                                             event_update=update, raw_state=await state.get_state(), **data)


def _is_language_command(update: dict) -> bool:
    text = str((update.get("message") or {}).get("text") or "")
    return text.split(maxsplit=1)[0].split("@")[0] == "/language" if text else False
