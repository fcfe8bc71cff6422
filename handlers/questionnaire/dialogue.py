"""The runner of a questionnaire held in the user's dialogue: one question at a time, edited in place,
with Back and Start over, typed answers, and the end screen when every question that matters is answered.

The session (handlers.questionnaire.session) keeps the answers and the place in the walk; this turns
presses and typed text into session changes and shows the step. A button from an old message is
answered as out of date and the current step is shown on that message: nothing spins, nothing
crashes, nothing is applied twice. Every callback query is answered by the Dispatcher's
CallbackAnswerMiddleware: handlers only set `callback_answer.text` when there is something to say.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.telegram.filters import any_press_of, is_plain_text
from bot.telegram.markup import plain
from bot.telegram.screen import chat_of
from handlers.callbacks import MenuCallback
from handlers.questionnaire import screen
from handlers.questionnaire.callbacks import (
    KEEP,
    Move,
    QuestionnaireAnswer,
    QuestionnaireNav,
    QuestionnaireQuick,
)
from handlers.questionnaire.hooks import Card, Dialogue, Refused
from handlers.questionnaire.session import Session, load, save


class DialogueRunner:
    def __init__(self, questionnaire: Dialogue) -> None:
        self.questionnaire = questionnaire

    def build_step(self, session: Session) -> tuple[list[str], InlineKeyboardMarkup]:
        """The parts of the current step's message and the keyboard under its last part."""
        q11e, question = self.questionnaire, session.shown()
        if question is None:
            return q11e.end(session)
        earlier = session.earlier(question)
        still_open = {key: value for key, value in session.typed.items() if key != question.id}
        card = Card(q11e.name, question, len(earlier) + 1, q11e.total(still_open, session.source),
                    session.typed, bool(earlier))
        text, keyboard = q11e.card(card)
        return [text], keyboard

    async def show(self, bot: Bot, chat_id: int, session: Session, *, edit: int | None) -> None:
        """Show the current step: edit message `edit` in place when given, else send a new message."""
        parts, keyboard = self.build_step(session)
        session.message_id = await screen.show_parts(bot, chat_id, parts, keyboard, edit=edit)

    async def step(self, callback: CallbackQuery, bot: Bot, state: FSMContext, session: Session) -> None:
        """Show the current step on the pressed message (or a new one) and remember where it is."""
        pressed = screen.pressed(callback)
        if session.message_id not in (None, pressed):
            await screen.drop_keyboard(bot, chat_of(callback), session.message_id)
        await self.show(bot, chat_of(callback), session, edit=pressed)
        await save(state, session)

    async def below(self, bot: Bot, chat_id: int, state: FSMContext, session: Session) -> None:
        """Show the current step in a new message below (a command, typed text): the old card goes quiet."""
        await screen.drop_keyboard(bot, chat_id, session.message_id)
        await self.show(bot, chat_id, session, edit=None)
        await save(state, session)

    async def on_menu(self, callback: CallbackQuery, bot: Bot, state: FSMContext) -> None:
        """From the main menu: carry on where the user was (the step or the end screen), or begin."""
        await self.step(callback, bot, state, await load(self.questionnaire, state))

    async def on_command(self, message: Message, bot: Bot, state: FSMContext) -> None:
        await self.below(bot, message.chat.id, state, await load(self.questionnaire, state))

    async def on_answer(self, callback: CallbackQuery, callback_data: QuestionnaireAnswer, bot: Bot,
                        state: FSMContext, callback_answer: CallbackAnswer) -> None:
        session = await load(self.questionnaire, state)
        question = session.shown()
        options = self.questionnaire.options(question) if question is not None else []
        index = callback_data.i
        if question is not None and question.id == callback_data.q and 0 <= index < len(options):
            session.record(question, options[index][1])
        else:
            callback_answer.text = self.questionnaire.stale_text()
        await self.step(callback, bot, state, session)

    async def on_quick(self, callback: CallbackQuery, callback_data: QuestionnaireQuick, bot: Bot,
                       state: FSMContext, callback_answer: CallbackAnswer) -> None:
        """The questionnaire's own keywords for a typed question ("today" for a date)."""
        session = await load(self.questionnaire, state)
        question = session.shown()
        value = None
        if question is not None and question.id == callback_data.q:
            value = self.questionnaire.quick(question, callback_data.v)
        if value is not None:
            session.record(question, value)
        else:
            callback_answer.text = self.questionnaire.stale_text()
        await self.step(callback, bot, state, session)

    async def on_keep(self, callback: CallbackQuery, callback_data: QuestionnaireQuick, bot: Bot,
                      state: FSMContext, callback_answer: CallbackAnswer) -> None:
        """Keep the typed answer that Back reopened, and go on from it."""
        session = await load(self.questionnaire, state)
        question = session.shown()
        if question is not None and question.id == callback_data.q and question.id in session.answers:
            session.cursor = None
        else:
            callback_answer.text = self.questionnaire.stale_text()
        await self.step(callback, bot, state, session)

    async def on_back(self, callback: CallbackQuery, bot: Bot, state: FSMContext) -> None:
        session = await load(self.questionnaire, state)
        session.back()
        await self.step(callback, bot, state, session)

    async def on_restart(self, callback: CallbackQuery, bot: Bot, state: FSMContext) -> None:
        session = await load(self.questionnaire, state)
        await self.step(callback, bot, state, session.restarted())

    async def on_unknown_move(self, callback: CallbackQuery, bot: Bot, state: FSMContext,
                              callback_answer: CallbackAnswer) -> None:
        """A move of this questionnaire that none of its handlers knows: the current step, as for any
        button out of date."""
        callback_answer.text = self.questionnaire.stale_text()
        await self.step(callback, bot, state, await load(self.questionnaire, state))

    async def on_text(self, message: Message, bot: Bot, state: FSMContext) -> None:
        """Typed text is an answer to the question shown, as the questionnaire reads it; text it cannot
        take gets one line saying why, and the step stays where it is (its card is right above)."""
        session = await load(self.questionnaire, state)
        question = session.shown()
        if question is not None:
            try:
                value = self.questionnaire.read(question, message.text or "", session)
            except Refused as refused:
                await message.answer(plain(refused.text))
                if session.message_id is not None:
                    return
            else:
                session.record(question, value)
        await self.below(bot, message.chat.id, state, session)

    def register(self, router: Router) -> None:
        q11e = self.questionnaire
        if q11e.menu_item is not None:
            router.callback_query.register(self.on_menu, MenuCallback.filter(F.item == q11e.menu_item))
        if q11e.command is not None:
            router.message.register(self.on_command, Command(q11e.command))
        router.callback_query.register(self.on_answer, QuestionnaireAnswer.filter(F.n == q11e.name))
        quick = QuestionnaireQuick.filter
        router.callback_query.register(self.on_keep, quick((F.n == q11e.name) & (F.v == KEEP)))
        router.callback_query.register(self.on_quick, quick(F.n == q11e.name))
        nav = QuestionnaireNav.filter
        router.callback_query.register(self.on_back, nav((F.n == q11e.name) & (F.action == Move.back)))
        router.callback_query.register(self.on_restart, nav((F.n == q11e.name) & (F.action == Move.restart)))
        any_move = any_press_of(QuestionnaireNav, then=f"{q11e.name}:")
        router.callback_query.register(self.on_unknown_move, any_move)
        router.message.register(self.on_text, StateFilter(q11e.state), is_plain_text)
