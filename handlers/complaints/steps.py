"""The buttons of the citizen's complaint form (ComplaintStep), one handler each.

A button of a finished or different step, or one pressed without a draft, is answered as out of date
and the current step is shown again (handlers.complaints.form `answer_stale`): nothing typed is lost.
"""

from __future__ import annotations

import secrets
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot import clock
from bot import complaints as domain
from bot.config import Settings
from bot.formatting import pick
from bot.offices.directory import Directory
from bot.storage.database import Database
from bot.telegram.filters import any_press_of
from bot.telegram.screen import replace_or_send
from handlers.complaints import keyboards as kb
from handlers.complaints import own, render
from handlers.complaints.form import (
    Complain,
    advance,
    answer_stale,
    is_started,
    load_draft,
    next_step,
    problems_of,
    save_draft,
    show_screen,
    show_step,
)
from handlers.complaints.staff_state import drop_pending
from handlers.menu import send_menu

PERSON = {
    "individual": ("surname", "name", "patronymic"),
    "legal_entity": ("entity_name", "outgoing_number", "outgoing_date"),
}


async def start_draft(event: Message | CallbackQuery, state: FSMContext) -> None:
    draft = {"draft": secrets.token_urlsafe(6), "fields": {"channel": "bot"}, "step": "kind"}
    await advance(event, state, draft)


async def resume(event: Message | CallbackQuery, state: FSMContext, draft: dict[str, Any]) -> None:
    """Show the step the draft was left at (a field reopened from the review stays reopened)."""
    await show_step(event, draft, draft.get("step") or next_step(draft["fields"]))
    await state.set_state(Complain.active)
    await save_draft(state, draft)


# --- the buttons, one handler each ----------------------------------------------------------------

async def on_new(callback: CallbackQuery, state: FSMContext) -> None:
    await drop_pending(state)
    if is_started(await load_draft(state)):
        await show_screen(callback, render.draft_kept_text(), kb.draft_kept_keyboard())
    else:
        await start_draft(callback, state)


async def on_fresh(callback: CallbackQuery, state: FSMContext) -> None:
    await drop_pending(state)
    await start_draft(callback, state)


async def on_mine(callback: CallbackQuery, state: FSMContext, db: Database) -> None:
    await drop_pending(state)
    await own.show_mine(callback, db)


async def _pressed(callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer,
                   at_step: str | None = None) -> dict[str, Any] | None:
    """The draft a button of the dialogue works on (at `at_step`, when given); None when there is
    none, or it is at another step: then the press has been answered as out of date."""
    await drop_pending(state)
    draft = await load_draft(state)
    if draft is None or (at_step is not None and draft.get("step") != at_step):
        await answer_stale(callback, callback_answer, state, draft)
        return None
    return draft


async def on_resume(callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer) -> None:
    if (draft := await _pressed(callback, state, callback_answer)) is not None:
        await resume(callback, state, draft)


async def on_cancel(callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer) -> None:
    if await _pressed(callback, state, callback_answer) is not None:
        await show_screen(callback, render.cancel_question_text(), kb.cancel_keyboard())


async def on_cancel_confirmed(callback: CallbackQuery, state: FSMContext,
                              callback_answer: CallbackAnswer) -> None:
    if await _pressed(callback, state, callback_answer) is None:
        return
    await save_draft(state, None)
    await state.set_state(None)
    await replace_or_send(callback, render.cancelled_text(), None)
    if callback.message is not None:
        await send_menu(callback.message)


async def on_kind(callback: CallbackQuery, callback_data: kb.ComplaintGo, state: FSMContext,
                  callback_answer: CallbackAnswer) -> None:
    if (draft := await _pressed(callback, state, callback_answer, at_step="kind")) is None:
        return
    fields, kind = draft["fields"], callback_data.a.removeprefix("kind_")
    if fields.get("kind") != kind:  # the other kind's particulars do not carry over
        for field in (*PERSON["individual"], *PERSON["legal_entity"]):
            fields.pop(field, None)
        fields["kind"] = kind
    await advance(callback, state, draft)


async def on_no_patronymic(callback: CallbackQuery, state: FSMContext,
                           callback_answer: CallbackAnswer) -> None:
    if (draft := await _pressed(callback, state, callback_answer, at_step="patronymic")) is not None:
        draft["fields"]["patronymic"] = None
        await advance(callback, state, draft)


async def on_today(callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer) -> None:
    if (draft := await _pressed(callback, state, callback_answer, at_step="outgoing_date")) is not None:
        draft["fields"]["outgoing_date"] = clock.today().isoformat()
        await advance(callback, state, draft)


async def on_regions(callback: CallbackQuery, state: FSMContext, directory: Directory,
                     callback_answer: CallbackAnswer) -> None:
    if await _pressed(callback, state, callback_answer, at_step="office_id") is not None:
        departments = [(d.id, pick(d.region)) for d in directory.departments()]
        await show_screen(callback, render.regions_prompt(), kb.regions_keyboard(departments))


async def on_office_search(callback: CallbackQuery, state: FSMContext,
                           callback_answer: CallbackAnswer) -> None:
    if (draft := await _pressed(callback, state, callback_answer, at_step="office_id")) is not None:
        await show_step(callback, draft, "office_id")


async def on_review(callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer) -> None:
    if (draft := await _pressed(callback, state, callback_answer)) is None:
        return
    if next_step(draft["fields"]) != "review":  # something is still missing
        await answer_stale(callback, callback_answer, state, draft)
        return
    await show_step(callback, draft, "review")
    await save_draft(state, draft)


async def on_consent(callback: CallbackQuery, state: FSMContext, settings: Settings, directory: Directory,
                     callback_answer: CallbackAnswer) -> None:
    if (draft := await _pressed(callback, state, callback_answer, at_step="review")) is None:
        return
    fields = draft["fields"]
    problems = problems_of(fields, directory)
    if problems:
        field = problems[0].field if problems[0].field in render.FIELD_LABELS else "review"
        await show_step(callback, draft, field, render.notice(render.problem_text(problems[0])))
        await save_draft(state, draft)
        return
    days = domain.retention_days(settings.complaint_retention_days)
    await show_screen(callback, render.consent_text(days, fields.get("kind")),
                      kb.consent_keyboard(draft["draft"]))
    draft["step"] = "consent"
    await save_draft(state, draft)


async def on_unknown(callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer) -> None:
    await drop_pending(state)
    await answer_stale(callback, callback_answer, state, await load_draft(state))


def register(router: Router) -> None:
    step, go = kb.ComplaintStep, kb.ComplaintGo.filter
    for handler, steps in ((on_new, {step.new}), (on_fresh, {step.fresh}), (on_mine, {step.mine}),
                           (on_resume, {step.resume}), (on_cancel, {step.cancel}),
                           (on_cancel_confirmed, {step.cancel_confirmed}),
                           (on_kind, {step.kind_individual, step.kind_legal_entity}),
                           (on_no_patronymic, {step.no_patronymic}), (on_today, {step.today}),
                           (on_regions, {step.regions}), (on_office_search, {step.office_search}),
                           (on_review, {step.review}), (on_consent, {step.consent})):
        router.callback_query.register(handler, go(F.a.in_(steps)))
    router.callback_query.register(on_unknown, any_press_of(kb.ComplaintGo))
