"""Callback data and keyboards of the pre-check: typed factories, never hand-split strings.

An answer button names its question, so a press on a message whose question is no longer the current
one is recognised as stale (not applied to whatever question happens to be current).
Option buttons carry the option's index, not its label, which keeps every payload far under 64 bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

CHECK = "✓ "


class PrecheckAnswer(CallbackData, prefix="pa"):
    """An answer to question `q`: option `i` of its options (bool questions: 0 yes, 1 no)."""

    q: str
    i: int


class PrecheckQuick(CallbackData, prefix="pk"):
    """A quick answer to a typed question (`v` is a short keyword such as "today")."""

    q: str
    v: str


class PrecheckNav(CallbackData, prefix="pn"):
    """Moving within the pre-check: "back" or "restart"."""

    action: str


Rows = list[list[InlineKeyboardButton]]


def option_rows(question_id: str, labels: Iterable[str], chosen: int | None) -> Rows:
    """One row per option, two short ones side by side; the earlier answer (after Back) is ticked."""
    buttons = [
        InlineKeyboardButton(
            text=(CHECK + label) if index == chosen else label,
            callback_data=PrecheckAnswer(q=question_id, i=index).pack(),
        )
        for index, label in enumerate(labels)
    ]
    if all(len(button.text) <= 14 for button in buttons) and len(buttons) <= 2:
        return [buttons]
    return [[button] for button in buttons]


def quick_row(question_id: str, quick: list[tuple[str, str]]) -> list[list[InlineKeyboardButton]]:
    if not quick:
        return []
    return [[
        InlineKeyboardButton(text=label, callback_data=PrecheckQuick(q=question_id, v=value).pack())
        for value, label in quick
    ]]


def nav_row(can_go_back: bool) -> list[InlineKeyboardButton]:
    row = []
    if can_go_back:
        row.append(InlineKeyboardButton(text=_("◀ Back"), callback_data=PrecheckNav(action="back").pack()))
    restart = PrecheckNav(action="restart").pack()
    row.append(InlineKeyboardButton(text=_("↺ Start over"), callback_data=restart))
    return row


def question_keyboard(rows: list[list[InlineKeyboardButton]], can_go_back: bool) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[*rows, nav_row(can_go_back)])
