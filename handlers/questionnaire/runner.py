"""One runner for any questionnaire: `make_router(questionnaire)` is all a dispatcher needs.

A questionnaire is a question graph (bot.rules.graph) plus the hooks of handlers.questionnaire.hooks.
A `Dialogue` (the pre-check) is asked card by card in the user's dialogue, with Back, Start over,
progress and an end screen (handlers.questionnaire.dialogue); a `Tapped` one (the survey after a
visit) is asked in notices, one tap per question, its answers held by a record. Both use the same
buttons (handlers.questionnaire.callbacks), so a press on an old message is recognised as stale,
never applied to another question.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from handlers.questionnaire import screen
from handlers.questionnaire.callbacks import SKIP, QuestionnaireAnswer
from handlers.questionnaire.dialogue import DialogueRunner
from handlers.questionnaire.hooks import Dialogue, Tapped
from handlers.questionnaire.keyboards import tap_keyboard


def make_router(questionnaire: Dialogue | Tapped) -> Router:
    router = Router(name=f"questionnaire-{questionnaire.name}")
    if isinstance(questionnaire, Dialogue):
        DialogueRunner(questionnaire).register(router)
    else:
        router.callback_query.register(_tapped(questionnaire),
                                       QuestionnaireAnswer.filter(F.n == questionnaire.name))
    return router


def keyboard(questionnaire: Tapped, record: int, question: Any) -> InlineKeyboardMarkup:
    """The buttons of a question asked in a notice: its options, then Skip where it may be skipped."""
    return tap_keyboard(questionnaire.name, record, questionnaire.options(question),
                        questionnaire.skippable(question), question.id)


def stale_text() -> str:
    return _("This question has already been answered.")


def _tapped(questionnaire: Tapped):
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
            await screen.on_pressed(callback, None, None)
            return
        question = step.question
        markup = keyboard(questionnaire, callback_data.r, question) if question is not None else None
        await screen.on_pressed(callback, step.text, markup)

    return on_answer
