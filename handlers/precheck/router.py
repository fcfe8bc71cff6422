"""The pre-check on the questionnaire runner: the ruleset's question graph plus how its cards and its
result read. The runner (handlers.questionnaire) asks the questions, keeps the answers, Back, Start
over and the progress; this module words the question card (handlers.precheck.render), reads typed
ages, dates and yes/no words, and builds the result screen with its buttons (find the office, "I handed
in my documents" on an eligible result, the menu).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.callback_answer import CallbackAnswer

from bot import clock
from bot.formatting import split_text
from bot.rules.eligibility import AnswerError, assess, graph, parse_answer, progress
from bot.rules.graph import QuestionGraph
from bot.rules.ruleset import Question, Ruleset
from bot.telegram.filters import any_press_of
from handlers import questionnaire
from handlers.menu import menu_below_button
from handlers.offices.keyboards import NavAction, OfficesNav
from handlers.precheck import render
from handlers.precheck import session as stored
from handlers.precheck.keyboards import NAME, PrecheckAnswer, PrecheckNav, PrecheckQuick
from handlers.questionnaire import (
    Card,
    Dialogue,
    QuestionnaireAnswer,
    QuestionnaireQuick,
    Refused,
)
from handlers.questionnaire.callbacks import KEEP, Move
from handlers.questionnaire.dialogue import DialogueRunner
from handlers.questionnaire.session import Session
from handlers.visits.keyboards import handed_in_button


class PrecheckQuestionnaire(Dialogue):
    name = NAME
    key = stored.KEY
    command = "precheck"
    menu_item = "precheck"

    @property
    def state(self) -> State:
        return stored.Precheck.active

    def source(self, stored_state: Mapping[str, Any]) -> Ruleset:
        return stored.source(stored_state)

    def stamp(self, ruleset: Ruleset) -> dict[str, Any]:
        return stored.stamp(ruleset)

    def graph(self, ruleset: Ruleset) -> QuestionGraph[Question]:
        return graph(ruleset)

    def options(self, question: Question) -> list[tuple[str, object]]:
        return render.options(question)

    def validate(self, answers: Mapping[str, Any], ruleset: Ruleset) -> dict[str, Any]:
        return stored.validate(answers, ruleset)

    def contradicted(self, answers: Mapping[str, Any], ruleset: Ruleset) -> list[str]:
        return stored.dropped(answers, ruleset)

    def total(self, answers: Mapping[str, Any], ruleset: Ruleset) -> int:
        """The likely total, counting the optional questions (the payment date) not answered yet."""
        optional = sum(1 for q in ruleset.questions if not q.required and q.id not in answers)
        return progress(answers, ruleset).total + optional

    def quick(self, question: Question, keyword: str) -> Any | None:
        return clock.today() if keyword == "today" and question.kind == "date" else None

    def read(self, question: Question, text: str, session: Session) -> Any:
        """An age or a date as typed, or a yes/no word (the ruleset's answer_words) to a yes/no question;
        anything else gets one line pointing at the buttons."""
        ruleset = session.source
        if question.kind in render.TYPED_KINDS:
            try:
                return parse_answer(question, text, ruleset, session.answers)
            except AnswerError as error:
                raise Refused(render.answer_error(question, error, ruleset)) from None
        try:
            value = parse_answer(question, text, ruleset) if question.kind == "bool" else None
        except AnswerError:
            value = None
        if value is None:
            raise Refused(render.buttons_please(question))
        return value

    def card(self, card: Card) -> tuple[str, InlineKeyboardMarkup]:
        return render.question_card(card.question, card.number, card.total, card.answers, card.can_go_back)

    def end(self, session: Session) -> tuple[list[str], InlineKeyboardMarkup]:
        """The result card, split under Telegram's limit; an eligible one offers the office and the
        "I handed in my documents" button."""
        ruleset = session.source
        assessment = assess(session.relevant, ruleset, today=clock.today())
        parts = split_text("\n\n".join(render.result_sections(assessment, ruleset)))
        eligible = assessment.outcome == "eligible"
        find = OfficesNav(action=NavAction.home).pack() if eligible else ""
        handed_in = handed_in_button(below=True) if eligible else None
        return parts, render.result_keyboard(find, menu_below_button(), handed_in)


PRECHECK = PrecheckQuestionnaire()


def make_router() -> Router:
    router = questionnaire.make_router(PRECHECK)
    runner = DialogueRunner(PRECHECK)

    async def on_old_answer(callback: CallbackQuery, callback_data: PrecheckAnswer, bot: Bot,
                            state: FSMContext, callback_answer: CallbackAnswer) -> None:
        answer = QuestionnaireAnswer(n=NAME, r=0, q=callback_data.q, i=callback_data.i)
        await runner.on_answer(callback, answer, bot, state, callback_answer)

    async def on_old_quick(callback: CallbackQuery, callback_data: PrecheckQuick, bot: Bot,
                           state: FSMContext, callback_answer: CallbackAnswer) -> None:
        quick = QuestionnaireQuick(n=NAME, q=callback_data.q, v=callback_data.v)
        await runner.on_quick(callback, quick, bot, state, callback_answer)

    async def on_old_keep(callback: CallbackQuery, callback_data: PrecheckQuick, bot: Bot,
                          state: FSMContext, callback_answer: CallbackAnswer) -> None:
        keep = QuestionnaireQuick(n=NAME, q=callback_data.q, v=callback_data.v)
        await runner.on_keep(callback, keep, bot, state, callback_answer)

    # buttons in chats from before the runner: read as the runner's own
    router.callback_query.register(on_old_answer, PrecheckAnswer.filter())
    router.callback_query.register(on_old_keep, PrecheckQuick.filter(F.v == KEEP))
    router.callback_query.register(on_old_quick, PrecheckQuick.filter())
    router.callback_query.register(runner.on_back, PrecheckNav.filter(F.action == Move.back))
    router.callback_query.register(runner.on_restart, PrecheckNav.filter(F.action == Move.restart))
    router.callback_query.register(runner.on_unknown_move, any_press_of(PrecheckNav))
    return router
