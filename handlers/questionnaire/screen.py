"""Showing a questionnaire's step: edit the pressed message in place, else send a new one.

A step longer than one message (a long result card) puts its first part in place of the edited
message and the rest in new messages, the keyboard under the last one; the card the dialogue moved
on from loses its buttons, so only one card in the chat can be answered.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def show_parts(bot: Bot, chat_id: int, parts: Sequence[str], keyboard: InlineKeyboardMarkup | None, *,
                     edit: int | None) -> int | None:
    """Show `parts` (edit message `edit` in place when given); returns the message under the keyboard."""
    parts, shown = list(parts), None
    if edit is not None:
        if await edit_text(bot, chat_id, edit, parts[0], keyboard if len(parts) == 1 else None):
            shown, parts = edit, parts[1:]
        else:
            await drop_keyboard(bot, chat_id, edit)
    for index, part in enumerate(parts):
        markup = keyboard if index == len(parts) - 1 else None
        shown = (await bot.send_message(chat_id, part, reply_markup=markup)).message_id
    return shown


async def edit_text(bot: Bot, chat_id: int, message_id: int, text: str, keyboard) -> bool:
    """Edit in place; False when the message can no longer be edited (then a new one is sent)."""
    try:
        await bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard)
    except TelegramBadRequest as error:
        return "not modified" in error.message.lower()
    return True


async def drop_keyboard(bot: Bot, chat_id: int, message_id: int | None) -> None:
    """The previous card loses its buttons once the dialogue moved on below it."""
    if message_id is None:
        return
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
    except TelegramBadRequest:
        return


def pressed(callback: CallbackQuery) -> int | None:
    return callback.message.message_id if isinstance(callback.message, Message) else None


async def on_pressed(callback: CallbackQuery, text: str | None, markup: InlineKeyboardMarkup | None) -> None:
    """The pressed message shows `text` (None: it only loses its buttons); a new message if it cannot."""
    message = callback.message
    if not isinstance(message, Message):
        return
    try:
        if text is None:
            await message.edit_reply_markup(reply_markup=None)
        else:
            await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        if text is not None and "not modified" not in error.message.lower():
            await callback.bot.send_message(message.chat.id, text, reply_markup=markup)
