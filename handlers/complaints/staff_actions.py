"""The buttons of the staff card: take, answer, extend, close (asked first), reopen, recall, and Send /
Edit / Cancel under the preview of a typed answer or forwarding note. One handler per action, each
filtered by its `kb.Action`.

Every press is checked again against the database: the complaint is one this member may see, the
action one they may do now, and the card's revision the complaint's (else the card is shown as it is).
Every change is a use case of bot.complaints.workflow: a compare-and-set on that revision, with its
audit record and notices in the same transaction; the notices are then tried at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot import clock
from bot import complaints as domain
from bot.complaints import forwarding, talon, workflow
from bot.complaints.record import Complaint
from bot.offices.scope import load_scope
from bot.storage.database import Database
from bot.telegram import long_text
from bot.telegram.filters import is_plain_text
from bot.telegram.long_text import Prose
from bot.telegram.markup import plain
from bot.telegram.outbox import Outbox
from bot.telegram.screen import replace_or_send
from handlers.complaints import keyboards as kb
from handlers.complaints import progress, render
from handlers.complaints.notify import ComplaintNotices
from handlers.complaints.staff import Sight, grants_of, queue_view, show_card, sight
from handlers.complaints.staff_state import KEY, StaffWork, drop_pending

CHANGED = __("Someone changed this complaint a moment ago: here it is now.")
Act = kb.StaffAct
A = kb.Action


async def staff_grants(callback: CallbackQuery, db: Database,
                       callback_answer: CallbackAnswer) -> list[domain.Grant]:
    """The grants of the member who pressed; none (the press answered so) for anyone else."""
    grants = await grants_of(db, callback.from_user.id)
    if not grants:
        callback_answer.text = _("This is for the staff of the offices.")
    return grants


async def seen_complaint(callback: CallbackQuery, compact: str, db: Database, callback_answer: CallbackAnswer
                         ) -> tuple[list[domain.Grant], Complaint, Sight] | None:
    """The complaint of talon `compact` with what this member may do with it, if they see it; else None,
    the reason in the press's answer."""
    if not (grants := await staff_grants(callback, db, callback_answer)):
        return None
    row = await db.complaints.by_talon(compact) if talon.is_valid(compact) else None
    seen = await sight(db, grants, row, callback.from_user.id) if row is not None else None
    if row is None or not seen.visible:
        callback_answer.text = _("You cannot see this complaint.")
        return None
    return grants, row, seen


async def guard(callback: CallbackQuery, data: kb.StaffAct, db: Database, callback_answer: CallbackAnswer,
                action: str) -> tuple[list[domain.Grant], Complaint, Sight] | None:
    """The complaint of the press, if this member may do `action` to the revision the card showed;
    otherwise None, with the reason in the press's answer (and the card as it is now, where seen)."""
    if (found := await seen_complaint(callback, data.t, db, callback_answer)) is None:
        return None
    grants, row, seen = found
    user_id = callback.from_user.id
    if action not in seen.actions:
        callback_answer.text = _("You cannot do this now.")
    elif data.v != row.version:
        callback_answer.text = str(CHANGED)
    else:
        return grants, row, seen
    await show_card(callback, db, grants, row, user_id)
    return None


async def finish(callback: CallbackQuery, db: Database, outbox: Outbox, grants: list[domain.Grant],
                 outcome: workflow.Outcome, callback_answer: CallbackAnswer) -> None:
    """Try the notices at once and show the card as the use case left it (or as someone else did)."""
    if outcome.row is None:
        callback_answer.text = _("You cannot see this complaint.")
        return
    if outcome.applied:
        await outbox.deliver_now(callback.bot, outcome.notice_keys)
    else:
        callback_answer.text = str(CHANGED)
    await show_card(callback, db, grants, outcome.row, callback.from_user.id)


def common(callback: CallbackQuery, i18n: I18n) -> dict[str, Any]:
    return dict(user_id=callback.from_user.id, now=clock.now(), notices=ComplaintNotices(i18n),
                default_locale=i18n.default_locale)


async def on_open(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                  callback_answer: CallbackAnswer) -> None:
    await drop_pending(state)
    if (found := await seen_complaint(callback, callback_data.t, db, callback_answer)) is not None:
        grants, row, _seen = found
        await show_card(callback, db, grants, row, callback.from_user.id)


async def on_queue(callback: CallbackQuery, state: FSMContext, db: Database,
                   callback_answer: CallbackAnswer) -> None:
    await drop_pending(state)
    if grants := await staff_grants(callback, db, callback_answer):
        await replace_or_send(callback, *await queue_view(db, grants))


def applying(action: str, use_case: Callable[..., Awaitable[workflow.Outcome]], name: str = ""
             ) -> Callable[..., Awaitable[None]]:
    """The handler of a button that is its use case and nothing more (take, extend, reopen, and the two
    answers to Close)."""

    async def handler(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                      outbox: Outbox, i18n: I18n, callback_answer: CallbackAnswer) -> None:
        await drop_pending(state)
        if (checked := await guard(callback, callback_data, db, callback_answer, action)) is not None:
            grants, row, _seen = checked
            outcome = await use_case(db, row, **common(callback, i18n))
            await finish(callback, db, outbox, grants, outcome, callback_answer)

    handler.__name__ = handler.__qualname__ = name or f"on_{action}"
    return handler


on_take = applying("take", workflow.take)
on_extend = applying("extend", workflow.extend)
on_reopen = applying("reopen", workflow.reopen)
on_justified = applying("close", partial(workflow.close, justified=True), "on_justified")
on_unjustified = applying("close", partial(workflow.close, justified=False), "on_unjustified")


async def on_recall(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                    outbox: Outbox, i18n: I18n, callback_answer: CallbackAnswer) -> None:
    """The forwarding side (or an admin) takes a forwarded complaint back before its new place took it."""
    await drop_pending(state)
    if (checked := await guard(callback, callback_data, db, callback_answer, "recall")) is not None:
        grants, row, seen = checked
        outcome = await workflow.recall(db, row, seen.hop, **common(callback, i18n))
        await finish(callback, db, outbox, grants, outcome, callback_answer)


async def on_close(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                   callback_answer: CallbackAnswer) -> None:
    """Close asks first, and whether the complaint was justified (Appendix 3, indicator 4.1)."""
    await drop_pending(state)
    if (checked := await guard(callback, callback_data, db, callback_answer, "close")) is not None:
        _grants, row, _seen = checked
        await replace_or_send(callback, progress.close_question_text(row), kb.close_keyboard(row.talon,
                                                                                            row.version))


async def on_answer(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                    bot: Bot, callback_answer: CallbackAnswer) -> None:
    """The answer is typed next, then previewed: nothing is stored before Send."""
    await drop_pending(state)
    if (checked := await guard(callback, callback_data, db, callback_answer, "answer")) is not None:
        _grants, row, _seen = checked
        await start_typing(state, row, "answer")
        await bot.send_message(callback.from_user.id, typing_prompt({"a": "answer"}))


async def start_typing(state: FSMContext, row: Complaint, action: str, **more: str) -> None:
    await state.set_state(StaffWork.typing)
    await state.update_data({KEY: {"t": row.talon, "a": action, "s": row.status, "v": row.version,
                                   **more}})


def typing_prompt(work: Mapping[str, Any]) -> str:
    limit = domain.load_terms().limits["answer_max"]
    if work["a"] == "answer":
        return plain(_("Type the answer to the citizen in one message (up to {limit} characters):")
                     .format(limit=limit))
    return plain(_("Forwarding to: {office}. Type why, in one message (the citizen will read it):")
                 .format(office=render.place_title(work["to"])))


def _preview_text(work: Mapping[str, Any], text: str) -> list[str]:
    heading = (_("Your answer to the citizen — not sent yet. Check it:") if work["a"] == "answer"
               else _("Forwarding to: {office}, with this note — not sent yet. Check it:").format(
                   office=render.place_title(work["to"])))
    return long_text.split([render.bold(heading), "", Prose(text)])


def destination(row: Complaint, to: str) -> forwarding.Place | None:
    return forwarding.destination(row, to, load_scope().department_of)


async def _pending_row(db: Database, grants: list[domain.Grant], work: Mapping[str, Any],
                       user_id: int) -> Complaint | None:
    """The complaint the pending text is for, only if this member may still do that to it (and a
    forwarding still go where it was meant to) and it is still the revision they saw when they started
    typing (read again from the database)."""
    compact = work.get("t", "")
    row = await db.complaints.by_talon(compact) if talon.is_valid(compact) else None
    if row is None or not grants or row.status != work.get("s") or row.version != work.get("v"):
        return None
    if work.get("a") == "forward" and destination(row, work.get("to", "")) is None:
        return None
    return row if work.get("a") in (await sight(db, grants, row, user_id)).actions else None


Pending = tuple[list[domain.Grant], dict[str, Any], Complaint]


async def _pending(callback: CallbackQuery, data: kb.StaffAct, state: FSMContext, db: Database,
                   callback_answer: CallbackAnswer) -> Pending | None:
    """The pending text under this very preview, and its complaint if it may still be sent: an old
    preview's buttons find nothing pending and say so."""
    user_id = callback.from_user.id
    if not (grants := await staff_grants(callback, db, callback_answer)):
        return None
    work = (await state.get_data()).get(KEY) or {}
    previewed = await state.get_state() == StaffWork.preview.state
    if not (previewed and work.get("t") == data.t and work.get("text")):
        callback_answer.text = _("Nothing is waiting to be sent: open the complaint again.")
        return None
    row = await _pending_row(db, grants, work, user_id)
    if row is None:
        await drop_pending(state)
        callback_answer.text = _("You cannot do this now.")
        fresh = await db.complaints.by_talon(data.t)
        if fresh is not None and (await sight(db, grants, fresh, user_id)).visible:
            await show_card(callback, db, grants, fresh, user_id)
        return None
    return grants, work, row


async def on_send(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                  outbox: Outbox, i18n: I18n, callback_answer: CallbackAnswer) -> None:
    if (pending := await _pending(callback, callback_data, state, db, callback_answer)) is None:
        return
    grants, work, row = pending
    if work["a"] == "answer":
        outcome = await workflow.answer(db, row, work["text"], **common(callback, i18n))
    else:
        outcome = await workflow.forward(db, row, destination(row, work["to"]), work["text"],
                                         **common(callback, i18n))
    await drop_pending(state)
    await finish(callback, db, outbox, grants, outcome, callback_answer)


async def on_edit(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                  callback_answer: CallbackAnswer) -> None:
    if (pending := await _pending(callback, callback_data, state, db, callback_answer)) is not None:
        await state.set_state(StaffWork.typing)
        await replace_or_send(callback, typing_prompt(pending[1]), None)


async def on_drop(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                  callback_answer: CallbackAnswer) -> None:
    if (pending := await _pending(callback, callback_data, state, db, callback_answer)) is not None:
        grants, _work, row = pending
        await drop_pending(state)
        callback_answer.text = _("Cancelled: nothing was sent.")
        await show_card(callback, db, grants, row, callback.from_user.id)


async def on_typed(message: Message, state: FSMContext, db: Database, terms: domain.Terms) -> None:
    """The typed answer or note becomes a preview with Send / Edit / Cancel; nothing is stored yet.
    Typing again under a preview replaces it with a new preview."""
    work = (await state.get_data()).get(KEY) or {}
    user_id = message.from_user.id
    row = await _pending_row(db, await grants_of(db, user_id), work, user_id)
    if row is None:
        await drop_pending(state)
        await message.answer(plain(_("You cannot do this now.")))
        return
    limit = terms.limits["answer_max"]
    value, problem = domain.check_field("text", message.text, clock.today())
    if problem is None and value is not None and len(value) > limit:
        problem = domain.Problem("text", "too_long", limit)
    if problem is not None:
        await message.answer(render.notice(render.problem_text(problem, value)))
        return
    await state.set_state(StaffWork.preview)
    await state.update_data({KEY: {**work, "text": value}})
    await long_text.show(message, message.bot, _preview_text(work, value), kb.preview_keyboard(row.talon))


def make_router() -> Router:
    router = Router(name="staff_actions")
    handlers = {A.open: on_open, A.queue: on_queue, A.take: on_take, A.extend: on_extend, A.reopen: on_reopen,
                A.recall: on_recall, A.close: on_close, A.justified: on_justified,
                A.unjustified: on_unjustified, A.answer: on_answer, A.send: on_send, A.edit: on_edit,
                A.drop: on_drop}
    for action, handler in handlers.items():
        router.callback_query.register(handler, Act.filter(F.action == action))
    router.message.register(on_typed, StateFilter(StaffWork.typing, StaffWork.preview), is_plain_text)
    return router
