"""The last router: whatever no feature claimed gets a sensible answer, and no button ever spins.

- text in a private chat: a short hint and the menu;
- any callback query left over (an old button from before a restart, an edited-away step, forged
  data): answered by the CallbackAnswer middleware, with a new menu message;
- stickers, photos, files, voice, contacts, locations outside a dialogue: "I read text and buttons";
- an edited message: the user is asked to send it again (edits do not re-run a dialogue step).

Only private chats get here: bot.telegram.private_chats stops groups and channels before every router.
"""

from __future__ import annotations

from contextlib import suppress

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from handlers.menu import send_menu, send_menu_below


def make_router() -> Router:
    router = Router(name="fallback")

    @router.message(TextMessage())
    async def unknown_text(message: Message) -> None:
        await send_menu(message, _("I did not understand that. Choose from the menu, or send /help."))

    @router.message()
    async def other_content(message: Message) -> None:
        await send_menu(message, _("I can read only text messages and button presses. Choose from the menu:"))

    @router.edited_message()
    async def edited(message: Message) -> None:
        await message.answer(_("I do not read edited messages: please send it again as a new message."))

    @router.callback_query()
    async def unknown_button(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
        callback_answer.text = _("This button is out of date. Here is the menu.")
        message = callback.message
        if message is None:
            return
        if isinstance(message, Message):
            with suppress(TelegramBadRequest):  # too old or already without buttons
                await message.edit_reply_markup(reply_markup=None)
        await send_menu_below(callback)

    return router


class TextMessage(BaseFilter):
    """Async filter (runs in the event loop, unlike `F.text`): the message has text."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None
