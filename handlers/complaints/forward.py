"""Forward a complaint: pick where to (another office, found by name or by region → office; the
department of its office; for §22 complaints the committee of data/complaints.toml), then type why.

The place is checked again when it is pressed and when the note is sent (bot.complaints.forwarding
`destination`): a forged button cannot send a complaint to where it may not go. The note then goes
through the same preview as an answer (handlers.complaints.staff_actions), and the move is one
use case of bot.complaints.workflow: the complaint leaves this queue for the new place's.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.complaints import forwarding, talon
from bot.complaints.record import Complaint
from bot.formatting import pick
from bot.offices.directory import Directory, load_directory
from bot.storage.database import Database
from bot.telegram.filters import is_plain_text
from bot.telegram.markup import paragraphs
from bot.telegram.screen import replace_or_send
from handlers.complaints import keyboards as kb
from handlers.complaints import render
from handlers.complaints.staff_actions import destination, guard, start_typing, typing_prompt
from handlers.complaints.staff_state import KEY, StaffWork, drop_pending
from handlers.offices.render import guesses_text, office_label

SEARCH_LIMIT = 8


def _places(row: Complaint) -> list[tuple[str, str]]:
    """The places offered at once: the department of the office, and the bodies for this category."""
    places = []
    department = load_directory().get(row.department_id or "")
    if department is not None and department.id != row.office_id:
        places.append((department.id, "🏛 " + pick(department.name)))
    bodies = [body for body in forwarding.targets_for(row.category) if body.id != row.office_id]
    places += [(body.id, f"🏛 {pick(body.name)} ({body.ref})") for body in bodies]
    return places


def choice_text(row: Complaint) -> str:
    return paragraphs(
        render.bold(_("Where to forward complaint {talon}?").format(talon=talon.format_talon(row.talon))),
        _("Type the town, the district or the office's name to find the office, or choose below."),
    ).as_html()


async def on_forward(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                     callback_answer: CallbackAnswer) -> None:
    await drop_pending(state)
    if (checked := await guard(callback, callback_data, db, callback_answer, "forward")) is None:
        return
    _grants, row, _seen = checked
    await state.set_state(StaffWork.forward_target)
    work = {"t": row.talon, "a": "forward", "s": row.status, "v": row.version}
    await state.update_data({KEY: work})
    await replace_or_send(callback, choice_text(row), kb.forward_keyboard(row.talon, row.version,
                                                                          _places(row)))


async def _checked(callback: CallbackQuery, data: kb.StaffForwardTo | kb.StaffForwardRegion, db: Database,
                   callback_answer: CallbackAnswer) -> Complaint | None:
    act = kb.StaffAct(t=data.t, action=kb.Action.forward, v=data.v)
    checked = await guard(callback, act, db, callback_answer, "forward")
    return checked[1] if checked is not None else None


async def on_region(callback: CallbackQuery, callback_data: kb.StaffForwardRegion, db: Database,
                    directory: Directory, callback_answer: CallbackAnswer) -> None:
    """The regions, or one region's department and offices."""
    if (row := await _checked(callback, callback_data, db, callback_answer)) is None:
        return
    department = directory.get(callback_data.d) if callback_data.d else None
    if department is None or not department.is_department:
        departments = [(d.id, pick(d.region)) for d in directory.departments()]
        await replace_or_send(callback, render.regions_prompt(),
                              kb.forward_regions_keyboard(row.talon, row.version, departments))
        return
    offices = [o for o in (department, *directory.subordinates(department.id)) if o.id != row.office_id]
    await replace_or_send(callback, render.department_prompt(department),
                          kb.forward_keyboard(row.talon, row.version,
                                              [(o.id, office_label(o)) for o in offices]))


async def on_place(callback: CallbackQuery, callback_data: kb.StaffForwardTo, state: FSMContext, db: Database,
                   callback_answer: CallbackAnswer) -> None:
    """The place is chosen: the note comes next (typed, then previewed)."""
    if (row := await _checked(callback, callback_data, db, callback_answer)) is None:
        return
    if destination(row, callback_data.to) is None:
        callback_answer.text = _("The complaint cannot be forwarded there.")
        return
    await start_typing(state, row, "forward", to=callback_data.to)
    await replace_or_send(callback, typing_prompt({"a": "forward", "to": callback_data.to}), None)


async def on_search(message: Message, state: FSMContext, directory: Directory) -> None:
    """A typed name finds offices as the office finder does; near names of places are offered as a
    question ("Did you mean …?"), never as a match."""
    work = (await state.get_data()).get(KEY) or {}
    query = " ".join((message.text or "").split())[:100]
    found = [o for o, _score in directory.search(query, limit=SEARCH_LIMIT)] if query else []
    text = render.search_result_text(query, len(found))
    if not found:
        found = [o for o, _score in directory.guesses(query, limit=SEARCH_LIMIT)]
        if found:
            text = guesses_text(query, found)
    places = [(o.id, office_label(o)) for o in found]
    await message.answer(text, reply_markup=kb.forward_keyboard(work.get("t", "-"), work.get("v", 0), places))


def make_router() -> Router:
    router = Router(name="staff_forward")
    router.callback_query.register(on_forward, kb.StaffAct.filter(F.action == kb.Action.forward))
    router.callback_query.register(on_region, kb.StaffForwardRegion.filter())
    router.callback_query.register(on_place, kb.StaffForwardTo.filter())
    router.message.register(on_search, StateFilter(StaffWork.forward_target), is_plain_text)
    return router
