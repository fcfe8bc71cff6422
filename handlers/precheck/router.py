"""The pre-check dialogue: one question at a time, edited in place, with Back and Start over.

The rules engine (`bot.rules.eligibility`) owns the question graph; `handlers.precheck.session` keeps the
answers and the place in the walk; this router turns presses and typed text into session changes and
shows the step. A button from an old message is answered as out of date and the current step is shown
on that message: nothing spins, nothing crashes, nothing is applied twice.

Every callback query is answered by the Dispatcher's CallbackAnswerMiddleware: handlers only set
`callback_answer.text` when there is something to say.
"""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot import clock
from bot.formatting import split_text
from bot.rules.eligibility import AnswerError, assess, parse_answer, progress
from bot.telegram.filters import is_plain_text
from bot.telegram.screen import chat_of
from handlers.callbacks import MenuCallback
from handlers.menu import menu_below_button
from handlers.offices.keyboards import OfficesNav
from handlers.precheck import render
from handlers.precheck.keyboards import PrecheckAnswer, PrecheckNav, PrecheckQuick
from handlers.precheck.session import (
    Precheck,
    Session,
    go_back,
    load,
    optional_open,
    record,
    relevant,
    save,
    shown_question,
    typed,
)
from handlers.visits.keyboards import handed_in_button


def build_step(session: Session, ruleset) -> tuple[list[str], InlineKeyboardMarkup]:
    """The parts of the current step's message and the keyboard under its last part."""
    question = shown_question(session, ruleset)
    answers = typed(session, ruleset)
    if question is None:
        assessment = assess(relevant(session, ruleset), ruleset, today=clock.today())
        parts = split_text("\n\n".join(render.result_sections(assessment, ruleset)))
        eligible = assessment.outcome == "eligible"
        find = OfficesNav(action="home").pack() if eligible else ""
        handed_in = handed_in_button(below=True) if eligible else None
        return parts, render.result_keyboard(find, menu_below_button(), handed_in)
    position = ruleset.position(question.id)
    earlier = [q for q in session.view(ruleset)[1].path if ruleset.position(q) < position]
    still_open = {key: value for key, value in answers.items() if key != question.id}
    total = progress(still_open, ruleset).total + optional_open(still_open, ruleset)
    text, keyboard = render.question_card(question, len(earlier) + 1, total, answers, bool(earlier))
    return [text], keyboard


async def show(bot: Bot, chat_id: int, session: Session, ruleset, *, edit: int | None) -> None:
    """Show the current step: edit message `edit` in place when given, else send a new message.

    A step longer than one message (a long result card) puts its first part in place of `edit` and
    the rest in new messages, the keyboard under the last one.
    """
    parts, keyboard = build_step(session, ruleset)
    shown = None
    if edit is not None:
        if await _edit(bot, chat_id, edit, parts[0], keyboard if len(parts) == 1 else None):
            shown, parts = edit, parts[1:]
        else:
            await _drop_keyboard(bot, chat_id, edit)
    for index, part in enumerate(parts):
        markup = keyboard if index == len(parts) - 1 else None
        shown = (await bot.send_message(chat_id, part, reply_markup=markup)).message_id
    session.message_id = shown


async def _edit(bot: Bot, chat_id: int, message_id: int, text: str, keyboard) -> bool:
    """Edit in place; False when the message can no longer be edited (then a new one is sent)."""
    try:
        await bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard)
    except TelegramBadRequest as error:
        return "not modified" in error.message.lower()
    return True


async def _drop_keyboard(bot: Bot, chat_id: int, message_id: int | None) -> None:
    """The previous card loses its buttons once the dialogue moved on below it."""
    if message_id is None:
        return
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
    except TelegramBadRequest:
        return


def _pressed(callback: CallbackQuery) -> int | None:
    return callback.message.message_id if isinstance(callback.message, Message) else None


async def _step(callback: CallbackQuery, bot: Bot, state: FSMContext, session: Session, ruleset) -> None:
    """Show the current step on the pressed message (or a new one) and remember where it is."""
    pressed = _pressed(callback)
    if session.message_id not in (None, pressed):
        await _drop_keyboard(bot, chat_of(callback), session.message_id)
    await show(bot, chat_of(callback), session, ruleset, edit=pressed)
    await save(state, session, ruleset)


async def on_menu(callback: CallbackQuery, bot: Bot, state: FSMContext) -> None:
    """From the main menu: carry on where the user was (the step or the result), or begin."""
    session, ruleset = await load(state)
    await _step(callback, bot, state, session, ruleset)


async def on_command(message: Message, bot: Bot, state: FSMContext) -> None:
    session, ruleset = await load(state)
    await _drop_keyboard(bot, message.chat.id, session.message_id)
    await show(bot, message.chat.id, session, ruleset, edit=None)
    await save(state, session, ruleset)


def _is_shown(question, callback_question_id: str) -> bool:
    return question is not None and question.id == callback_question_id


async def on_answer(callback: CallbackQuery, callback_data: PrecheckAnswer, bot: Bot, state: FSMContext,
                    callback_answer: CallbackAnswer) -> None:
    session, ruleset = await load(state)
    question = shown_question(session, ruleset)
    values = render.option_values(question) if question is not None else []
    if _is_shown(question, callback_data.q) and 0 <= callback_data.i < len(values):
        record(session, question, values[callback_data.i], ruleset)
    else:
        callback_answer.text = render.out_of_date()
    await _step(callback, bot, state, session, ruleset)


async def on_quick(callback: CallbackQuery, callback_data: PrecheckQuick, bot: Bot, state: FSMContext,
                   callback_answer: CallbackAnswer) -> None:
    """"Today" for a date; "keep" for a typed answer reopened by Back."""
    session, ruleset = await load(state)
    question = shown_question(session, ruleset)
    if not _is_shown(question, callback_data.q):
        callback_answer.text = render.out_of_date()
    elif callback_data.v == "today" and question.kind == "date":
        record(session, question, clock.today())
    elif callback_data.v == "keep" and question.id in session.answers:
        session.cursor = None
    else:
        callback_answer.text = render.out_of_date()
    await _step(callback, bot, state, session, ruleset)


async def on_nav(callback: CallbackQuery, callback_data: PrecheckNav, bot: Bot, state: FSMContext) -> None:
    session, ruleset = await load(state)
    if callback_data.action == "restart":
        session = Session({"message_id": session.message_id}, ruleset.id)
    elif callback_data.action == "back":
        go_back(session, ruleset)
    await _step(callback, bot, state, session, ruleset)


async def on_text(message: Message, bot: Bot, state: FSMContext) -> None:
    """A typed answer to an age or date question, or a yes/no word (the ruleset's answer_words) to a
    yes/no one; anything else gets one line pointing at the buttons (the question stays where it is)."""
    session, ruleset = await load(state)
    question = shown_question(session, ruleset)
    chat_id = message.chat.id
    if question is not None and question.kind in render.TYPED_KINDS:
        try:
            value = parse_answer(question, message.text or "", ruleset, session.answers)
        except AnswerError as error:
            await message.answer(escape(render.answer_error(question, error, ruleset)))
            return
        record(session, question, value, ruleset)
    elif question is not None:
        try:
            value = parse_answer(question, message.text or "", ruleset) if question.kind == "bool" else None
        except AnswerError:
            value = None
        if value is None:
            await message.answer(escape(render.buttons_please(question)))
            if session.message_id is not None:  # its card and buttons are right above: not sent again
                return
        else:
            record(session, question, value, ruleset)
    await _drop_keyboard(bot, chat_id, session.message_id)
    await show(bot, chat_id, session, ruleset, edit=None)
    await save(state, session, ruleset)


def make_router() -> Router:
    router = Router(name="precheck")
    router.callback_query.register(on_menu, MenuCallback.filter(F.item == "precheck"))
    router.message.register(on_command, Command("precheck"))
    router.callback_query.register(on_answer, PrecheckAnswer.filter())
    router.callback_query.register(on_quick, PrecheckQuick.filter())
    router.callback_query.register(on_nav, PrecheckNav.filter())
    router.message.register(on_text, StateFilter(Precheck.active), is_plain_text)
    return router
