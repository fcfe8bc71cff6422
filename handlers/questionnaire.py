"""One runner for a questionnaire asked one tap at a time: callback data, keyboard and router factory.

A questionnaire is a question graph (bot.rules.graph) plus a `Questionnaire` object that says how
its questions read and what an answer does; a second questionnaire is a data file and one more
`make_router(questionnaire)` in the dispatcher. A button names its questionnaire, its record (whose
answers these are: a visit for the survey) and its question, so a press on an old message is
recognised as stale, never applied to another question. Option buttons carry an index (≤ 64 bytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

SKIP = -1


class QuestionnaireAnswer(CallbackData, prefix="qa"):
    """Option `i` (SKIP: skipped) of question `q` of questionnaire `n`, for record `r`."""

    n: str
    r: int
    q: str
    i: int


@dataclass(frozen=True)
class Step:
    """What the pressed message shows after an answer: a text, and the question asked in it (or None)."""

    text: str
    question: Any | None = None


class Questionnaire(Protocol):
    """The hooks of one questionnaire; `name` is short (it is in every button)."""

    name: str

    def question(self, question_id: str) -> Any | None: ...

    def options(self, question: Any) -> Sequence[tuple[str, Any]]:
        """(label, value) of each answer button, in order."""

    def skippable(self, question: Any) -> bool: ...

    def card(self, question: Any) -> str:
        """The question as HTML, in the reader's language."""

    async def answer(self, data: dict[str, Any], record: int, question: Any, value: Any) -> Step | None:
        """Record `value` (None: skipped) for the user of the press (`data["event_from_user"]`);
        the next step, or None when the question is not open any more (a second tap, an old message)."""


def keyboard(questionnaire: Questionnaire, record: int, question: Any) -> InlineKeyboardMarkup:
    """One row of answer buttons (five ratings fit), then Skip where the question may be skipped."""

    def press(index: int) -> str:
        return QuestionnaireAnswer(n=questionnaire.name, r=record, q=question.id, i=index).pack()

    rows = [[InlineKeyboardButton(text=label, callback_data=press(i))
             for i, (label, _value) in enumerate(questionnaire.options(question))]]
    if questionnaire.skippable(question):
        rows.append([InlineKeyboardButton(text=_("Skip"), callback_data=press(SKIP))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def stale_text() -> str:
    return _("This question has already been answered.")


def make_router(questionnaire: Questionnaire) -> Router:
    router = Router(name=f"questionnaire-{questionnaire.name}")

    async def on_answer(callback: CallbackQuery, callback_data: QuestionnaireAnswer,
                        callback_answer: CallbackAnswer, **data: Any) -> None:
        question = questionnaire.question(callback_data.q)
        options = questionnaire.options(question) if question is not None else []
        index = callback_data.i
        valid = question is not None and (
            0 <= index < len(options) or (index == SKIP and questionnaire.skippable(question)))
        step = None
        if valid:
            value = None if index == SKIP else options[index][1]
            step = await questionnaire.answer({**data, "event_from_user": callback.from_user},
                                              callback_data.r, question, value)
        if step is None:
            callback_answer.text = stale_text()
            await _show(callback, None, None)
            return
        markup = (keyboard(questionnaire, callback_data.r, step.question)
                  if step.question is not None else None)
        await _show(callback, step.text, markup)

    router.callback_query.register(on_answer, QuestionnaireAnswer.filter(F.n == questionnaire.name))
    return router


async def _show(callback: CallbackQuery, text: str | None, markup: InlineKeyboardMarkup | None) -> None:
    """The pressed message shows the step (text None: it only loses its buttons)."""
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
