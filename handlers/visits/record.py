""""I handed in my documents" and "My application": the office and the day on the talon (§14), the §7.1
due day, and the citizen's correction or deletion of the record.

The office is found as in the complaint form (a typed name, or the region list); the day is typed or
Today/Yesterday, checked by bot.visits.due (a future day or one over a year ago is refused; a day off
is asked to be confirmed). Nothing typed is lost: a refused answer keeps the step where it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import get_i18n

from bot import clock
from bot.formatting import parse_day, pick
from bot.offices.directory import Directory
from bot.storage.database import Database
from bot.telegram.filters import any_press_of, is_plain_text
from bot.telegram.screen import chat_of, replace_or_send
from bot.visits.asks import next_look_on
from bot.visits.due import AcceptanceProblem, check_accepted_on, plan_visit
from handlers.callbacks import MenuCallback
from handlers.menu import send_menu
from handlers.offices.render import office_label
from handlers.questionnaire import stale_text
from handlers.visits import keyboards as kb
from handlers.visits import render

KEY = "visit_form"
SEARCH_LIMIT = 8


class VisitForm(StatesGroup):
    office = State()
    day = State()


async def _form(state: FSMContext) -> dict[str, Any] | None:
    form = (await state.get_data()).get(KEY)
    return form if isinstance(form, dict) else None


async def _end_form(state: FSMContext) -> None:
    await state.set_state(None)
    await state.update_data({KEY: None})


async def on_menu(callback: CallbackQuery, db: Database) -> None:
    """"My application": the record, or how to make one."""
    visit = await db.visits.of_user(callback.from_user.id)
    if visit is None:
        await replace_or_send(callback, render.empty_text(), kb.empty_keyboard())
    else:
        await replace_or_send(callback, render.card_text(visit), kb.card_keyboard())


# The record's buttons, one handler each; a press that no longer fits the step is out of date.

async def _start_form(state: FSMContext) -> None:
    await state.set_state(VisitForm.office)
    await state.update_data({KEY: {}})


async def on_new(callback: CallbackQuery, state: FSMContext) -> None:
    await _start_form(state)
    await replace_or_send(callback, render.office_prompt(), kb.offices_keyboard([]))


async def on_new_below(callback: CallbackQuery, state: FSMContext) -> None:
    """Under a screen worth keeping (the pre-check's result): the form starts in a new message."""
    await _start_form(state)
    await callback.bot.send_message(chat_of(callback), render.office_prompt(),
                                    reply_markup=kb.offices_keyboard([]))


async def on_regions(callback: CallbackQuery, state: FSMContext, directory: Directory,
                     callback_answer: CallbackAnswer) -> None:
    if await state.get_state() != VisitForm.office.state:
        callback_answer.text = stale_text()
        return
    departments = [(d.id, pick(d.region)) for d in directory.departments()]
    await replace_or_send(callback, render.region_prompt(), kb.regions_keyboard(departments))


async def _day_form(state: FSMContext) -> dict[str, Any] | None:
    """The form while its day is asked, else None (the press is out of date)."""
    return await _form(state) if await state.get_state() == VisitForm.day.state else None


async def _pick_day(callback: CallbackQuery, state: FSMContext, db: Database, directory: Directory,
                    callback_answer: CallbackAnswer, days_ago: int) -> None:
    if not (form := await _day_form(state)):
        callback_answer.text = stale_text()
        return
    await _take_day(callback.message, callback.from_user.id, state, db, directory, form,
                    clock.today() - timedelta(days=days_ago), edit=callback)


async def on_today(callback: CallbackQuery, state: FSMContext, db: Database, directory: Directory,
                   callback_answer: CallbackAnswer) -> None:
    await _pick_day(callback, state, db, directory, callback_answer, days_ago=0)


async def on_yesterday(callback: CallbackQuery, state: FSMContext, db: Database, directory: Directory,
                       callback_answer: CallbackAnswer) -> None:
    await _pick_day(callback, state, db, directory, callback_answer, days_ago=1)


async def on_confirm(callback: CallbackQuery, state: FSMContext, db: Database, directory: Directory,
                     callback_answer: CallbackAnswer) -> None:
    if not (form := await _day_form(state)) or not form.get("day_off"):
        callback_answer.text = stale_text()
        return
    await _save(callback.message, callback.from_user.id, state, db, directory, form,
                date.fromisoformat(form["day_off"]), edit=callback)


async def on_retype(callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer) -> None:
    if not (form := await _day_form(state)):
        callback_answer.text = stale_text()
        return
    form.pop("day_off", None)
    await state.update_data({KEY: form})
    await replace_or_send(callback, render.day_prompt(form["office_id"]), kb.day_keyboard())


async def on_delete(callback: CallbackQuery) -> None:
    await replace_or_send(callback, render.delete_question(), kb.delete_keyboard())


async def on_delete_yes(callback: CallbackQuery, db: Database) -> None:
    await db.visits.delete(callback.from_user.id, at=clock.now())
    await replace_or_send(callback, render.deleted_text(), kb.empty_keyboard())


async def on_unknown(callback_answer: CallbackAnswer) -> None:
    callback_answer.text = stale_text()


async def on_region(callback: CallbackQuery, callback_data: kb.VisitRegion, state: FSMContext,
                    directory: Directory, callback_answer: CallbackAnswer) -> None:
    department = directory.get(callback_data.d)
    here = await state.get_state() == VisitForm.office.state
    if not here or department is None or not department.is_department:
        callback_answer.text = stale_text()
        return
    offices = [department, *directory.subordinates(department.id)]
    await replace_or_send(callback, render.office_prompt(),
                          kb.offices_keyboard([(o.id, office_label(o)) for o in offices]))


async def on_office(callback: CallbackQuery, callback_data: kb.VisitOffice, state: FSMContext,
                    directory: Directory, callback_answer: CallbackAnswer) -> None:
    form = await _form(state)
    if await state.get_state() != VisitForm.office.state or form is None \
            or directory.get(callback_data.o) is None:
        callback_answer.text = stale_text()
        return
    form["office_id"] = callback_data.o
    await state.update_data({KEY: form})
    await state.set_state(VisitForm.day)
    await replace_or_send(callback, render.day_prompt(callback_data.o), kb.day_keyboard())


async def on_office_text(message: Message, directory: Directory) -> None:
    query = " ".join((message.text or "").split())[:100]
    found = [office for office, _score in directory.search(query, limit=SEARCH_LIMIT)] if query else []
    await message.answer(render.search_result_text(query, len(found)),
                         reply_markup=kb.offices_keyboard([(o.id, office_label(o)) for o in found]))


async def on_day_text(message: Message, state: FSMContext, db: Database, directory: Directory) -> None:
    form = await _form(state)
    if not form or "office_id" not in form:
        await _end_form(state)
        await send_menu(message)
        return
    try:
        typed = parse_day(message.text or "")
    except ValueError:  # not a date, or none on the calendar (NoSuchDay): the same answer helps
        typed = None
    if typed is None:
        await message.answer(render.day_problem(None), reply_markup=kb.day_keyboard())
        return
    await _take_day(message, message.from_user.id, state, db, directory, form, typed)


async def _take_day(message: Message, user_id: int, state: FSMContext, db: Database, directory: Directory,
                    form: dict, chosen: date, *, edit: CallbackQuery | None = None) -> None:
    problem = check_accepted_on(chosen, clock.today())
    if problem is None:
        await _save(message, user_id, state, db, directory, form, chosen, edit=edit)
        return
    markup = kb.day_keyboard()
    if problem is AcceptanceProblem.DAY_OFF:
        form["day_off"] = chosen.isoformat()
        await state.update_data({KEY: form})
        markup = kb.confirm_day_keyboard()
    await _say(message, edit, render.day_problem(problem, chosen), markup)


async def _save(message: Message, user_id: int, state: FSMContext, db: Database, directory: Directory,
                form: dict, accepted_on: date, *, edit: CallbackQuery | None = None) -> None:
    office = directory.get(form["office_id"])
    plan = plan_visit(accepted_on)
    today = clock.today()
    old = await db.visits.of_user(user_id)  # a correction keeps the survey's progress (never asked twice)
    answers, sent = (old.survey_answers, old.survey_sent) if old is not None else ({}, ())
    visit = await db.visits.record(
        user_id, locale=get_i18n().current_locale, office_id=office.id,
        department_id=office.department or office.id, accepted_on=accepted_on,
        due_on=plan.due_on, remind_on=plan.remind_on, reminded=plan.remind_on < today,
        next_ask_on=next_look_on(plan, answers, sent, after=today - timedelta(days=1)), at=clock.now())
    await _end_form(state)
    await _say(message, edit, render.card_text(visit), kb.card_keyboard())


async def _say(message: Message, edit: CallbackQuery | None, text: str, markup) -> None:
    if edit is not None:
        await replace_or_send(edit, text, markup)
    else:
        await message.answer(text, reply_markup=markup)


def make_router() -> Router:
    router = Router(name="visits")
    router.callback_query.register(on_menu, MenuCallback.filter(F.item == "visit"))
    step, go = kb.VisitStep, kb.VisitGo.filter
    router.callback_query.register(on_new, go(F.a == step.new))
    router.callback_query.register(on_new_below, go(F.a == step.new_below))
    router.callback_query.register(on_regions, go(F.a == step.regions))
    router.callback_query.register(on_today, go(F.a == step.today))
    router.callback_query.register(on_yesterday, go(F.a == step.yesterday))
    router.callback_query.register(on_confirm, go(F.a == step.confirm))
    router.callback_query.register(on_retype, go(F.a == step.retype))
    router.callback_query.register(on_delete, go(F.a == step.delete))
    router.callback_query.register(on_delete_yes, go(F.a == step.delete_yes))
    router.callback_query.register(on_unknown, any_press_of(kb.VisitGo))
    router.callback_query.register(on_region, kb.VisitRegion.filter())
    router.callback_query.register(on_office, kb.VisitOffice.filter())
    router.message.register(on_office_text, StateFilter(VisitForm.office), is_plain_text)
    router.message.register(on_day_text, StateFilter(VisitForm.day), is_plain_text)
    return router

