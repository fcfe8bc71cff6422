"""The citizen's complaint (§20–§25): who, which office, what about, the text, review, consent, talon.

The draft and its steps live in the FSM (handlers.complaints.form); the form's buttons are
handlers.complaints.steps. The draft id travels in the submit
button and becomes the idempotency key: a double tap or a repeated update finds the complaint the first
press filed instead of filing a second one.
Leaving the dialogue (the menu, another feature) keeps the draft, as the pre-check keeps its answers:
"File a complaint" then offers to continue it or to start anew, and Cancel asks before deleting it.

Filing is one transaction with the staff alerts it causes (bot.complaints.workflow). The talon is the
citizen's receipt: its text is shown first, then the picture is tried (handlers.complaints.own, where
following one's complaints lives, the talon's buttons included).

Nothing here logs what the citizen typed.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n

from bot import clock
from bot import complaints as domain
from bot.complaints import workflow
from bot.config import Settings
from bot.formatting import current_locale
from bot.offices.directory import Directory
from bot.storage.database import Database
from bot.telegram.filters import is_plain_text
from bot.telegram.outbox import Outbox
from bot.telegram.screen import chat_of, replace_or_send
from bot.visits.due import keep_days
from handlers.callbacks import MenuCallback
from handlers.complaints import keyboards as kb
from handlers.complaints import own, render, steps, talon_render
from handlers.complaints.form import (
    Complain,
    advance,
    answer_stale,
    is_started,
    load_draft,
    next_step,
    save_draft,
    show_screen,
    show_step,
)
from handlers.complaints.notify import ComplaintNotices
from handlers.complaints.staff_state import drop_pending
from handlers.deep_links import talon_link
from handlers.menu import send_menu
from handlers.offices.render import guesses_text, office_label
from handlers.visits import render as visit_render

TYPED = ("surname", "name", "patronymic", "entity_name", "postal_address", "outgoing_number",
         "outgoing_date", "text")
SEARCH_LIMIT = 8


# --- entry points ---------------------------------------------------------------------------------


async def intro_keyboard(db: Database, user_id: int, state: FSMContext) -> InlineKeyboardMarkup:
    mine = await db.complaints.of_citizen(user_id, limit=1)
    return kb.intro_keyboard(bool(mine), has_draft=is_started(await load_draft(state)))


async def on_menu(callback: CallbackQuery, state: FSMContext, db: Database) -> None:
    await drop_pending(state)
    await replace_or_send(callback, render.intro_text(),
                          await intro_keyboard(db, callback.from_user.id, state))


async def on_command(message: Message, state: FSMContext, db: Database) -> None:
    await drop_pending(state)
    await message.answer(render.intro_text(),
                         reply_markup=await intro_keyboard(db, message.from_user.id, state))


async def on_region(callback: CallbackQuery, callback_data: kb.ComplaintRegion, state: FSMContext,
                    directory: Directory, callback_answer: CallbackAnswer) -> None:
    draft = await load_draft(state)
    department = directory.get(callback_data.d)
    is_department = department is not None and department.is_department
    if draft is None or draft.get("step") != "office_id" or not is_department:
        await answer_stale(callback, callback_answer, state, draft)
        return
    offices = [department, *directory.subordinates(department.id)]
    await show_screen(callback, render.department_prompt(department),
                      kb.offices_keyboard([(o.id, office_label(o)) for o in offices]))


async def on_office(callback: CallbackQuery, callback_data: kb.ComplaintOffice, state: FSMContext,
                    directory: Directory, callback_answer: CallbackAnswer) -> None:
    draft = await load_draft(state)
    if draft is None or draft.get("step") != "office_id" or directory.get(callback_data.o) is None:
        await answer_stale(callback, callback_answer, state, draft)
        return
    draft["fields"]["office_id"] = callback_data.o
    await advance(callback, state, draft)


async def on_category(callback: CallbackQuery, callback_data: kb.ComplaintCategory, state: FSMContext,
                      terms: domain.Terms, callback_answer: CallbackAnswer) -> None:
    draft = await load_draft(state)
    known = terms.category(callback_data.c) is not None
    if draft is None or draft.get("step") != "category" or not known:
        await answer_stale(callback, callback_answer, state, draft)
        return
    draft["fields"]["category"] = callback_data.c
    await advance(callback, state, draft)


async def on_edit(callback: CallbackQuery, callback_data: kb.ComplaintEdit, state: FSMContext,
                  callback_answer: CallbackAnswer) -> None:
    draft = await load_draft(state)
    if draft is None or callback_data.f not in render.review_fields(draft["fields"].get("kind")):
        await answer_stale(callback, callback_answer, state, draft)
        return
    await show_step(callback, draft, callback_data.f)
    await state.set_state(Complain.active)
    await save_draft(state, draft)


# --- typed answers -------------------------------------------------------------------------------


async def on_text(message: Message, state: FSMContext, directory: Directory) -> None:
    draft = await load_draft(state)
    if draft is None:
        await state.set_state(None)
        await send_menu(message)
        return
    step = draft.get("step") or next_step(draft["fields"])
    typed = message.text or ""
    if step == "office_id":
        await _search_office(message, typed, directory)
        return
    if step not in TYPED:
        await show_step(message, draft, step, render.notice(render.use_buttons_text()))
        await save_draft(state, draft)
        return
    value, problem = domain.check_field(step, typed, clock.today())
    if problem is None and value is None and step != "patronymic":
        problem = domain.Problem(step, "required")
    if problem is not None:
        await show_step(message, draft, step, render.notice(render.problem_text(problem, value)))
        await save_draft(state, draft)
        return
    draft["fields"][step] = value
    await advance(message, state, draft)


async def _search_office(message: Message, typed: str, directory: Directory) -> None:
    """Offices by name, as the office finder finds them; near names of places are offered as a
    question ("Did you mean …?", each with its region), never as a match."""
    query = " ".join(typed.split())[:100]
    found = [office for office, _score in directory.search(query, limit=SEARCH_LIMIT)] if query else []
    text = render.search_result_text(query, len(found))
    if query and not found:
        found = [office for office, _score in directory.guesses(query, limit=SEARCH_LIMIT)]
        text = guesses_text(query, found) if found else text
    await message.answer(text, reply_markup=kb.offices_keyboard([(o.id, office_label(o)) for o in found]))


# --- filing ----------------------------------------------------------------------------------------


async def on_submit(callback: CallbackQuery, callback_data: kb.ComplaintSubmit, state: FSMContext,
                    db: Database, bot: Bot, i18n: I18n, directory: Directory, outbox: Outbox,
                    callback_answer: CallbackAnswer) -> None:
    user_id = callback.from_user.id
    key = f"bot:{user_id}:{callback_data.d}"
    draft = await load_draft(state)
    if draft is None or draft.get("draft") != callback_data.d or draft.get("step") != "consent":
        existing = await db.complaints.by_idempotency_key(key)
        if existing is not None and existing.citizen_user_id == user_id:
            callback_answer.text = render.already_filed_text()
            office = directory.get(existing.office_id)
            link = await talon_link(bot, existing.talon)
            await replace_or_send(callback, talon_render.talon_text(existing, office, again=True, link=link),
                                  kb.talon_keyboard(existing.talon))
            return
        await answer_stale(callback, callback_answer, state, draft)
        return
    fields = draft["fields"]
    clean, problems = domain.validate(domain.Draft(**{k: fields.get(k) for k in domain.TEXT_FIELDS}),
                                      lambda oid: directory.get(oid) is not None, clock.today())
    if problems:
        await show_step(callback, draft, "review", render.notice(render.problem_text(problems[0])))
        await save_draft(state, draft)
        return
    office = directory.get(clean.office_id)
    outcome = await workflow.file(
        db, clean.as_dict(), now=clock.now(), department_id=office.department or office.id,
        actor=f"citizen:{user_id}", notices=ComplaintNotices(i18n),
        default_locale=i18n.default_locale, citizen_user_id=user_id, locale=current_locale(),
        idempotency_key=key,
    )
    row = outcome.row
    await save_draft(state, None)
    await state.set_state(None)
    link = await talon_link(bot, row.talon)
    text = talon_render.talon_text(row, office, again=not outcome.applied, link=link)
    await replace_or_send(callback, text, kb.talon_keyboard(row.talon))
    await outbox.deliver_now(bot, outcome.notice_keys)
    if outcome.applied:
        await own.send_talon_image(bot, chat_of(callback), row, office)


async def on_privacy(message: Message, settings: Settings) -> None:
    days = domain.retention_days(settings.complaint_retention_days)
    await message.answer(render.privacy_text(days) + "\n\n" + visit_render.privacy_text(keep_days(days)))


def make_router() -> Router:
    router = Router(name="complaints")
    router.callback_query.register(on_menu, MenuCallback.filter(F.item == "complaints"))
    router.message.register(on_command, Command("complaints"))
    router.message.register(on_privacy, Command("privacy"))
    steps.register(router)
    router.callback_query.register(on_region, kb.ComplaintRegion.filter())
    router.callback_query.register(on_office, kb.ComplaintOffice.filter())
    router.callback_query.register(on_category, kb.ComplaintCategory.filter())
    router.callback_query.register(on_edit, kb.ComplaintEdit.filter())
    router.callback_query.register(on_submit, kb.ComplaintSubmit.filter())
    router.message.register(on_text, StateFilter(Complain.active), is_plain_text)
    return router

