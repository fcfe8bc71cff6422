"""Showing a screen in answer to a button: edit the pressed message, else send a new one.

Editing keeps the chat short (one message per screen); a message too old to edit, or one that is not
text (a venue, a photo), gets a new message instead, so a press never ends in an error.
"""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def replace_or_send(
    callback: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None
) -> Message | None:
    """Returns the message now showing `text` (None when it was edited in place: it is the pressed one)."""
    message = callback.message
    if isinstance(message, Message) and message.text is not None:
        try:
            await message.edit_text(text, reply_markup=keyboard)
            return None
        except TelegramBadRequest as error:
            if "not modified" in error.message.lower():
                return None
    chat_id = message.chat.id if message is not None else callback.from_user.id
    return await callback.bot.send_message(chat_id, text, reply_markup=keyboard)
