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
    return await callback.bot.send_message(chat_of(callback), text, reply_markup=keyboard)


def chat_of(callback: CallbackQuery) -> int:
    """The chat of a press: the pressed message's, else (a message Telegram no longer returns) the user's
    private chat, the only kind the bot serves."""
    return callback.message.chat.id if callback.message is not None else callback.from_user.id
