"""The main menu: one list of items, one keyboard, one way to show it.

A feature adds its entry by appending a MenuItem to MENU_ITEMS here, and handles presses with
`MenuCallback.filter(F.item == key)` in its own router.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.i18n.lazy_proxy import LazyProxy
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.formatting import current_locale
from bot.telegram.screen import chat_of
from handlers.callbacks import MenuCallback


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: LazyProxy


MENU_ITEMS: list[MenuItem] = [
    MenuItem("precheck", __("✅ Check if I can apply")),
    MenuItem("documents", __("📄 Documents to prepare")),
    MenuItem("fee", __("💳 State fee")),
    MenuItem("offices", __("🏢 Where to apply")),
    MenuItem("visit", __("🗂 My application")),
    MenuItem("complaints", __("📝 Complaints")),
    MenuItem("about", __("ℹ️ About this bot")),
]


def menu_keyboard() -> InlineKeyboardMarkup:
    """One item per row: Kazakh labels are long and must not be cut on a phone. The same for everyone
    who reads a language, and shown on almost every screen: built once per language (aiogram's builder
    deep-copies every button it exports)."""
    return _menu_keyboard(current_locale())


@lru_cache(maxsize=8)
def _menu_keyboard(locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for item in MENU_ITEMS:
        builder.button(text=str(item.label), callback_data=MenuCallback(item=item.key))
    return builder.adjust(1).as_markup()


def back_to_menu_button() -> InlineKeyboardButton:
    """The button every screen offers to return to the menu."""
    return InlineKeyboardButton(text=_("☰ Main menu"), callback_data=MenuCallback(item="menu").pack())


def back_to_menu_keyboard() -> InlineKeyboardMarkup:
    """The keyboard of a screen that offers nothing but the way back to the menu."""
    return InlineKeyboardMarkup(inline_keyboard=[[back_to_menu_button()]])


def menu_below_button() -> InlineKeyboardButton:
    """The menu button of a screen worth keeping (the pre-check result, a checklist): the menu comes
    as a new message below it instead of replacing it."""
    return InlineKeyboardButton(text=_("☰ Main menu"), callback_data=MenuCallback(item="menu_below").pack())


def menu_text() -> str:
    return _("Main menu. What do you need?")


async def send_menu(message: Message, text: str | None = None) -> Message:
    """Send the menu as a new message (`text` replaces the default heading)."""
    return await message.answer(text or menu_text(), reply_markup=menu_keyboard())


async def show_menu(callback: CallbackQuery, text: str | None = None) -> None:
    """Turn the pressed message into the menu; send a new one if it can no longer be edited."""
    message = callback.message
    if isinstance(message, Message) and message.text is not None:
        try:
            await message.edit_text(text or menu_text(), reply_markup=menu_keyboard())
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
    if message is not None:
        await send_menu_below(callback, text)


async def send_menu_below(callback: CallbackQuery, text: str | None = None) -> None:
    """The menu as a new message in the chat of the press; the pressed message stays as it is."""
    await callback.bot.send_message(chat_of(callback), text or menu_text(), reply_markup=menu_keyboard())
