"""Callback data and keyboards of the office finder: region → department/district → office, paged.

Telegram shows long keyboards badly and caps callback_data at 64 bytes, so a page holds at most
PAGE_SIZE offices plus a prev/next row, and every payload carries short ASCII ids and numbers only.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

PAGE_SIZE = 8


class NavAction(StrEnum):
    """Section-level moves of the finder; each has its own handler (handlers.offices.router)."""

    home = "home"  # the region list
    near = "near"  # share a location
    find = "find"  # how to search by name


class OfficesNav(CallbackData, prefix="on"):
    action: NavAction


class RegionsPage(CallbackData, prefix="orp"):
    page: int


class DepartmentPage(CallbackData, prefix="odp"):
    """The offices of one department (a region or a city of republican significance)."""

    d: str
    page: int


class OfficeOpen(CallbackData, prefix="oo"):
    """Open an office card; `back` is the department page to return to ("" when opened from a search)."""

    o: str
    back: str = ""


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def clamp_page(page: int, total: int) -> int:
    return min(max(page, 0), page_count(total) - 1)


def page_slice(items: Sequence, page: int) -> Sequence:
    page = clamp_page(page, len(items))
    return items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]


def pager_row(page: int, total: int, make) -> list[InlineKeyboardButton]:
    """◀ ▶, arrows only where there is somewhere to go; `make(page)` packs the target. The page
    number is in the message text (render.page_line): a button that does nothing would puzzle."""
    pages = page_count(total)
    if pages == 1:
        return []
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=make(page - 1)))
    if page < pages - 1:
        row.append(InlineKeyboardButton(text="▶", callback_data=make(page + 1)))
    return row


def section_row() -> list[InlineKeyboardButton]:
    near, find = OfficesNav(action=NavAction.near).pack(), OfficesNav(action=NavAction.find).pack()
    return [
        InlineKeyboardButton(text=_("📍 Nearest to me"), callback_data=near),
        InlineKeyboardButton(text=_("🔎 Search by name"), callback_data=find),
    ]


def _listing(buttons: Sequence[tuple[str, CallbackData]], *rows: list[InlineKeyboardButton]
             ) -> InlineKeyboardMarkup:
    """One button a line (office names are long), then the given rows, those that are not empty."""
    builder = InlineKeyboardBuilder()
    for text, data in buttons:
        builder.button(text=text, callback_data=data)
    builder.adjust(1)
    for row in rows:
        if row:
            builder.row(*row)
    return builder.as_markup()


def regions_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(text=_("◀ Regions"), callback_data=RegionsPage(page=0).pack())


def regions_keyboard(labels: Sequence[tuple[str, str]], page: int, menu_row) -> InlineKeyboardMarkup:
    """`labels` are (department id, region name) in the Appendix's order."""
    page = clamp_page(page, len(labels))
    buttons = [(label, DepartmentPage(d=dept_id, page=0)) for dept_id, label in page_slice(labels, page)]
    pager = pager_row(page, len(labels), lambda p: RegionsPage(page=p).pack())
    return _listing(buttons, pager, section_row(), menu_row)


def offices_keyboard(
    dept_id: str, labels: Sequence[tuple[str, str]], page: int, menu_row
) -> InlineKeyboardMarkup:
    """The offices of one department, the department's own office first."""
    page = clamp_page(page, len(labels))
    back = f"{dept_id}.{page}"
    buttons = [(label, OfficeOpen(o=office_id, back=back)) for office_id, label in page_slice(labels, page)]
    pager = pager_row(page, len(labels), lambda p: DepartmentPage(d=dept_id, page=p).pack())
    return _listing(buttons, pager, [regions_button()], menu_row)


def found_keyboard(labels: Sequence[tuple[str, str]], menu_row) -> InlineKeyboardMarkup:
    buttons = [(label, OfficeOpen(o=office_id)) for office_id, label in labels]
    return _listing(buttons, section_row(), [regions_button()], menu_row)


def card_keyboard(back: str, menu_row) -> InlineKeyboardMarkup:
    """Back to the department page the card was opened from, else to the regions."""
    dept_id, _sep, page = back.rpartition(".")
    if dept_id and page.isdigit():
        button = InlineKeyboardButton(text=_("◀ Back to the list"),
                                      callback_data=DepartmentPage(d=dept_id, page=int(page)).pack())
    else:
        button = regions_button()
    return _listing([], [button], menu_row)


def location_keyboard() -> ReplyKeyboardMarkup:
    """The reply keyboard that asks the phone for its location (private chats only)."""
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=_("📍 Send my location"), request_location=True)],
            [KeyboardButton(text=close_label())],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def close_label() -> str:
    return _("✖ Close")
