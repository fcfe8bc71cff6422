"""The last line of defence: a handler failed, so tell the user in their language and log it safely.

The log names the update and the failing code, never what the user wrote: the exception's message
(which may quote user input) and the update's content stay out of it.
"""

from __future__ import annotations

import logging
import traceback
from contextlib import suppress

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from handlers.menu import menu_keyboard

log = logging.getLogger("bot.errors")


def error_text() -> str:
    return _("Something went wrong on my side. Your answers are saved; please try again or open the menu.")


async def on_error(event: ErrorEvent, bot: Bot) -> bool:
    update = event.update
    exc = event.exception
    log.error(
        "update %s (%s) failed with %s\n%s",
        update.update_id,
        update.event_type,
        type(exc).__name__,
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    chat_id = _chat_id(event)
    if chat_id is None:
        return True
    try:
        if update.callback_query is not None:
            with suppress(TelegramAPIError):  # the CallbackAnswer middleware may have answered it
                await update.callback_query.answer()
        await bot.send_message(chat_id, error_text(), reply_markup=menu_keyboard())
    except TelegramAPIError as send_error:
        log.error("could not tell chat about the failure: %s", type(send_error).__name__)
    return True


def _chat_id(event: ErrorEvent) -> int | None:
    update = event.update
    message = update.message or update.edited_message
    if message is None and update.callback_query is not None:
        message = update.callback_query.message
    if message is None or message.chat.type != "private":
        return None
    return message.chat.id
