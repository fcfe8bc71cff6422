"""The documents of §11: the personal checklist of a finished pre-check, or the full list with when
each document applies and an offer to run the pre-check.

The list and its conditions are the ruleset's; this router only chooses which view to show.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.formatting import Bold, Italic, Text
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import clock
from bot.formatting import pick, split_text
from bot.rules.eligibility import assess
from bot.telegram.markup import lines
from bot.telegram.screen import chat_of, replace_or_send
from handlers.callbacks import MenuCallback
from handlers.menu import back_to_menu_button
from handlers.precheck.keyboards import NAME as PRECHECK_NAME
from handlers.precheck.render import checklist, data_text, section
from handlers.precheck.router import PRECHECK
from handlers.questionnaire import QuestionnaireNav
from handlers.questionnaire.callbacks import Move
from handlers.questionnaire.session import load

NEW_PRECHECK = QuestionnaireNav(n=PRECHECK_NAME, action=Move.restart).pack()


class DocumentsView(CallbackData, prefix="dv"):
    """Which list to show: "all" (every §11 document) or "mine" (from the finished pre-check)."""

    view: str


def full_list(ruleset, has_personal: bool = False) -> str:
    """Every §11 document with its paragraph, when it is needed (the ruleset's words), and what it is;
    it ends by offering the personal list: the one already made, or a pre-check to make it."""
    title = _("Documents for leaving for permanent residence")
    shown: list[Text | str] = [section(title, ruleset.documents_note.paragraph), ""]
    for document in ruleset.documents:
        when = _("When needed: {when}").format(when=pick(document.applies_when))
        shown.append(Text("☐ ", Bold(f"{document.paragraph} {pick(document.title)}")))
        shown.append(Text("   ", Italic(when)))
        shown.append(f"   {pick(document.description)}")
    offer = (_("Your own list, from your pre-check, is under “My list”.") if has_personal
             else _("Answer a few questions and I will make the list for your situation."))
    shown += ["", data_text(ruleset.documents_note), "", offer]
    return lines(*shown).as_html()


def personal_list(assessment, ruleset) -> str:
    shown: list[Text | str] = [section(_("Your documents, from your pre-check"),
                                       ruleset.documents_note.paragraph), ""]
    shown += checklist(assessment.documents)
    shown += ["", data_text(ruleset.documents_note)]
    return lines(*shown).as_html()


def keyboard(personal: bool, has_personal: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if personal:
        builder.button(text=_("📄 The full list (§11)"), callback_data=DocumentsView(view="all"))
    elif has_personal:
        builder.button(text=_("☑️ My list"), callback_data=DocumentsView(view="mine"))
    else:
        builder.button(text=_("✅ Make my list"), callback_data=MenuCallback(item="precheck"))
    if personal or has_personal:
        builder.button(text=_("↺ New pre-check"), callback_data=NEW_PRECHECK)
    builder.adjust(1)
    builder.row(back_to_menu_button())
    return builder.as_markup()


async def finished_assessment(state: FSMContext):
    """The assessment of a finished, eligible pre-check in this chat, else None."""
    session = await load(PRECHECK, state)
    ruleset = session.source
    if not session.answers or session.current is not None:
        return None, ruleset
    assessment = assess(session.relevant, ruleset, today=clock.today())
    return (assessment if assessment.outcome == "eligible" else None), ruleset


async def view(state: FSMContext, wanted: str | None) -> tuple[str, InlineKeyboardMarkup]:
    assessment, ruleset = await finished_assessment(state)
    personal = assessment is not None and wanted != "all"
    text = personal_list(assessment, ruleset) if personal else full_list(ruleset, assessment is not None)
    return text, keyboard(personal, assessment is not None)


async def show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    parts = split_text(text)
    if len(parts) == 1:
        await replace_or_send(callback, text, markup)
        return
    chat_id = chat_of(callback)
    for part in parts[:-1]:
        await callback.bot.send_message(chat_id, part)
    await callback.bot.send_message(chat_id, parts[-1], reply_markup=markup)


async def on_menu(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(None)
    await show(callback, *await view(state, None))


async def on_view(callback: CallbackQuery, callback_data: DocumentsView, state: FSMContext) -> None:
    await show(callback, *await view(state, callback_data.view))


async def on_command(message: Message, state: FSMContext) -> None:
    await state.set_state(None)
    text, markup = await view(state, None)
    parts = split_text(text)
    for part in parts[:-1]:
        await message.answer(part)
    await message.answer(parts[-1], reply_markup=markup)


def make_router() -> Router:
    router = Router(name="documents")
    router.callback_query.register(on_menu, MenuCallback.filter(F.item == "documents"))
    router.callback_query.register(on_view, DocumentsView.filter())
    router.message.register(on_command, Command("documents"))
    return router
