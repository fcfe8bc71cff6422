"""Callback data and keyboards of the visit record: typed factories, each payload far under 64 bytes."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.menu import back_to_menu_button


class VisitStep(StrEnum):
    """The buttons of the record; each has its own handler (handlers.visits.record)."""

    new = "new"
    new_below = "new_below"  # under a screen worth keeping (the pre-check's result): a new message
    regions = "regions"
    today = "today"
    yesterday = "yesterday"
    confirm = "confirm"  # a day off, confirmed
    retype = "retype"
    delete = "delete"
    delete_yes = "delete_yes"


class VisitGo(CallbackData, prefix="vg"):
    a: VisitStep


class VisitOffice(CallbackData, prefix="vo"):
    o: str


class VisitRegion(CallbackData, prefix="vr"):
    d: str


def handed_in_button(below: bool = False) -> InlineKeyboardButton:
    step = VisitStep.new_below if below else VisitStep.new
    return InlineKeyboardButton(text=_("📥 I handed in my documents"), callback_data=VisitGo(a=step).pack())


def _with_menu(builder: InlineKeyboardBuilder) -> InlineKeyboardMarkup:
    """The rows built so far, then the main menu on a row of its own."""
    builder.row(back_to_menu_button())
    return builder.as_markup()


def empty_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.row(handed_in_button())
    return _with_menu(builder)


def card_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✏️ Correct"), callback_data=VisitGo(a=VisitStep.new))
    builder.button(text=_("🗑 Delete"), callback_data=VisitGo(a=VisitStep.delete))
    return _with_menu(builder)


def offices_keyboard(offices: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for office_id, label in offices:
        builder.button(text=label, callback_data=VisitOffice(o=office_id))
    builder.button(text=_("🗺 Choose the region"), callback_data=VisitGo(a=VisitStep.regions))
    builder.adjust(1)
    return _with_menu(builder)


def regions_keyboard(departments: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for dept_id, label in departments:
        builder.button(text=label, callback_data=VisitRegion(d=dept_id))
    builder.adjust(1)
    return _with_menu(builder)


def day_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Today"), callback_data=VisitGo(a=VisitStep.today))
    builder.button(text=_("Yesterday"), callback_data=VisitGo(a=VisitStep.yesterday))
    return _with_menu(builder)


def confirm_day_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Yes, that day"), callback_data=VisitGo(a=VisitStep.confirm))
    builder.button(text=_("Type another"), callback_data=VisitGo(a=VisitStep.retype))
    return builder.as_markup()


def delete_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("🗑 Yes, delete"), callback_data=VisitGo(a=VisitStep.delete_yes))
    return _with_menu(builder)
