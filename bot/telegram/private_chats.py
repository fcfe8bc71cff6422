"""The bot serves one person at a time, in a private chat; groups and channels get no dialogue.

A dialogue in a group would show one person's answers (age, family, documents) to everyone there.
So messages, edits and button presses from any other chat stop here, before every router: a command
gets one line pointing to the private chat, a press is answered (no spinning), the rest is ignored.
Channel posts have no handler at all, so they are never delivered to a router in the first place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _


class PrivateChatsOnly(BaseMiddleware):
    """Outer middleware for message, edited_message and callback_query."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message):
            if event.chat.type == "private":
                return await handler(event, data)
            if event.text and event.text.startswith("/") and event.edit_date is None:
                await event.reply(_("I work only in a private chat: open a chat with me and send /start."))
            return None
        if isinstance(event, CallbackQuery):
            message = event.message
            if message is None or message.chat.type == "private":
                return await handler(event, data)
            await event.answer()
            return None
        return await handler(event, data)
