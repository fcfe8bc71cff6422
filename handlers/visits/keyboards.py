"""Callback data and keyboards of the visit record: typed factories, each payload far under 64 bytes."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.menu import back_to_menu_button


class VisitGo(CallbackData, prefix="vg"):
    """A step of the record: new, regions, today, yesterday, confirm, retype, delete, delete_yes."""

    a: str


class VisitOffice(CallbackData, prefix="vo"):
    o: str


class VisitRegion(CallbackData, prefix="vr"):
    d: str


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def handed_in_button(below: bool = False) -> InlineKeyboardButton:
    return _button(_("📥 I handed in my documents"), VisitGo(a="new_below" if below else "new"))


def empty_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[handed_in_button()], [back_to_menu_button()]])


def card_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [_button(_("✏️ Correct"), VisitGo(a="new")), _button(_("🗑 Delete"), VisitGo(a="delete"))],
        [back_to_menu_button()],
    ])


def offices_keyboard(offices: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    rows = [[_button(label, VisitOffice(o=office_id))] for office_id, label in offices]
    rows.append([_button(_("🗺 Choose the region"), VisitGo(a="regions"))])
    rows.append([back_to_menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def regions_keyboard(departments: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    rows = [[_button(label, VisitRegion(d=dept_id))] for dept_id, label in departments]
    rows.append([back_to_menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def day_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [_button(_("Today"), VisitGo(a="today")), _button(_("Yesterday"), VisitGo(a="yesterday"))],
        [back_to_menu_button()],
    ])


def confirm_day_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [_button(_("Yes, that day"), VisitGo(a="confirm")), _button(_("Type another"), VisitGo(a="retype"))],
    ])


def delete_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [_button(_("🗑 Yes, delete"), VisitGo(a="delete_yes"))],
        [back_to_menu_button()],
    ])
