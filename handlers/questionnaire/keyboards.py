"""The keyboard pieces of a question card: option buttons (the earlier answer ticked), quick answers,
and the Back / Start over row. A questionnaire's card hook arranges them with its own text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.questionnaire.callbacks import (
    SKIP,
    Move,
    QuestionnaireAnswer,
    QuestionnaireNav,
    QuestionnaireQuick,
)

CHECK = "✓ "

Rows = list[list[InlineKeyboardButton]]


# A card's buttons are made once each: every step shows a card, and packing the data and validating
# the buttons was half the time of building it. Nothing changes a button once made.
@lru_cache(maxsize=4096)
def _answer_button(text: str, name: str, question_id: str, index: int) -> InlineKeyboardButton:
    data = QuestionnaireAnswer(n=name, r=0, q=question_id, i=index).pack()
    return InlineKeyboardButton(text=text, callback_data=data)


@lru_cache(maxsize=256)
def _nav_button(text: str, name: str, move: Move) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=QuestionnaireNav(n=name, action=move).pack())


def option_rows(name: str, question_id: str, labels: Iterable[str], chosen: int | None) -> Rows:
    """One row per option, two short ones side by side; the earlier answer (after Back) is ticked."""
    buttons = [
        _answer_button((CHECK + label) if index == chosen else label, name, question_id, index)
        for index, label in enumerate(labels)
    ]
    if all(len(button.text) <= 14 for button in buttons) and len(buttons) <= 2:
        return [buttons]
    return [[button] for button in buttons]


def quick_row(name: str, question_id: str, quick: Sequence[tuple[str, str]]) -> Rows:
    """(keyword, label) buttons in one row; none when there is nothing quick to offer."""
    if not quick:
        return []
    def press(keyword: str) -> str:
        return QuestionnaireQuick(n=name, q=question_id, v=keyword).pack()

    return [[InlineKeyboardButton(text=label, callback_data=press(keyword)) for keyword, label in quick]]


def nav_row(name: str, can_go_back: bool) -> list[InlineKeyboardButton]:
    row = []
    if can_go_back:
        row.append(_nav_button(_("◀ Back"), name, Move.back))
    row.append(_nav_button(_("↺ Start over"), name, Move.restart))
    return row


def question_keyboard(name: str, rows: Rows, can_go_back: bool) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[*rows, nav_row(name, can_go_back)])


def tap_keyboard(name: str, record: int, options: Sequence[tuple[str, Any]], skippable: bool,
                 question_id: str) -> InlineKeyboardMarkup:
    """One row of answer buttons (five ratings fit), then Skip where the question may be skipped: a
    question asked in a notice, one tap each (the survey)."""

    def press(index: int) -> str:
        return QuestionnaireAnswer(n=name, r=record, q=question_id, i=index).pack()

    rows = [[InlineKeyboardButton(text=label, callback_data=press(i))
             for i, (label, _value) in enumerate(options)]]
    if skippable:
        rows.append([InlineKeyboardButton(text=_("Skip"), callback_data=press(SKIP))])
    return InlineKeyboardMarkup(inline_keyboard=rows)
