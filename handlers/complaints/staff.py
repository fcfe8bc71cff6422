"""Staff find complaints in the bot: /ticket NUMBER, /queue, and the complaint's card with its buttons.

Authorisation is read from the database (staff grants) on every update and checked against the
complaint through bot.complaints.terms: a button having been shown proves nothing, callback data can be
forged. Anyone who may not see a complaint is told the same as for a number that does not exist; the
side that forwarded a complaint still sees it (to recall it) until its new place takes it.
`/ticket` also serves citizens: their own complaints, nobody else's. The buttons' handlers live in
handlers.complaints.staff_actions and handlers.complaints.forward. A card too long for one message
(a long complaint with a long answer) comes in parts, its buttons under the last (bot.telegram.long_text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.formatting import Bold, Text
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.i18n import ngettext

from bot import clock
from bot import complaints as domain
from bot.complaints import talon
from bot.complaints.record import AuditEntry, Complaint
from bot.complaints.sight import Sight, sight_of
from bot.formatting import day
from bot.storage.database import Database
from bot.telegram import long_text
from bot.telegram.long_text import Prose
from bot.telegram.markup import lines, plain
from handlers.complaints import keyboards as kb
from handlers.complaints import progress, render, talon_render
from handlers.complaints.own import citizen_screen, official_name, own_complaint
from handlers.complaints.staff_state import drop_pending

QUEUE_LIMIT = 30
ACTION_LABELS = {
    "take": __("🙋 Take it"),
    "answer": __("✉️ Answer the citizen"),
    "extend": __("⏳ Extend the term (information requested)"),
    "forward": __("↪️ Forward"),
    "recall": __("↩️ Recall the forwarding"),
    "close": __("✅ Close"),
    "reopen": __("🔁 Reopen"),
}


async def grants_of(db: Database, user_id: int) -> list[domain.Grant]:
    return [domain.Grant(role, scope) for role, scope in await db.staff.grants(user_id)]


async def sight(db: Database, grants: list[domain.Grant], row: Complaint, user_id: int) -> Sight:
    """What this member may do with `row` (bot.complaints.sight), from its stored history."""
    return sight_of(grants, row, user_id, await db.complaints.events(row.id))


# --- what staff see -----------------------------------------------------------------------------


def _person(row: Complaint) -> str:
    if row.kind == "legal_entity":
        when = day(date.fromisoformat(row.outgoing_date)) if row.outgoing_date else "—"
        return _("{entity}, letter No. {number} of {date}").format(
            entity=row.entity_name, number=row.outgoing_number, date=when)
    return " ".join(p for p in (row.surname, row.name, row.patronymic) if p)


async def staff_screen(db: Database, row: Complaint, today: date,
                       events: Sequence[AuditEntry]) -> list[str]:
    """The card as one message or more (a long complaint and a long answer do not fit one)."""
    official = await official_name(db, row)
    blocks: list[str | Text | Prose] = [
        Text(Bold(_("Complaint {talon}").format(talon=talon.format_talon(row.talon))), " — ",
             render.status_label(row.status)),
        "",
        _("Office: {office}").format(office=render.place_title(row.office_id)),
        _("What about: {category}").format(category=render.category_label(row.category)),
        _("Received: {moment}, {channel}").format(moment=render.moment(row.registered_at),
                                                 channel=render.CHANNEL_LABELS[row.channel]),
        progress.due_line(row, today),
        _("From: {person}").format(person=_person(row)),
        _("Postal address: {address}").format(address=row.postal_address),
        progress.handled_by(row, official),
        "",
        Prose(row.text),
    ]
    if row.answer_text:
        blocks += ["", Bold(_("Answer of {moment}:").format(moment=render.moment(row.answered_at))),
                   Prose(row.answer_text)]
    blocks += ["", Bold(_("History")), *progress.history_lines(events)]
    return long_text.split(blocks)


async def show_card(target: Message | CallbackQuery, db: Database, grants: list[domain.Grant],
                    row: Complaint, user_id: int) -> None:
    """The staff card of `row` in answer to a command or a press, its buttons under its last part."""
    seen = await sight(db, grants, row, user_id)
    keyboard = kb.staff_keyboard(row.talon, [(a, str(ACTION_LABELS[a])) for a in seen.actions],
                                 row.version)
    screen = await staff_screen(db, row, clock.today(), seen.events)
    await long_text.show(target, target.bot, screen, keyboard)


QUEUE_LABEL_MAX = 64  # characters a queue button shows on a phone before it is cut


def _queue_label(row: Complaint, today: date) -> str:
    """"⚠️ K4D-3C7-7 · Астана · Долгая очередь · до 10.12": the place is shortened first to fit."""
    due = row.due_date
    if row.status == "answered":
        mark, when = "💬 ", ""
    else:
        mark = "⚠️ " if domain.is_overdue(row.status, due, today) else ""
        when = " · " + _("due {date}").format(date=due.strftime("%d.%m"))
    kind, place = progress.category_short(row.category), progress.place_short(row.office_id)
    head, tail = f"{mark}{talon.format_talon(row.talon)} · ", f" · {kind}{when}"
    room = QUEUE_LABEL_MAX - len(head) - len(tail)
    if len(place) > room:
        place = place[:max(room - 1, 1)] + "…"
    return (head + place + tail)[:QUEUE_LABEL_MAX]


async def queue_view(db: Database, grants: list[domain.Grant]) -> tuple[str, Any]:
    """Open complaints in this member's reach, oldest first, overdue ones marked; then the answered
    ones (marked 💬), oldest first, which stay in the queue until someone closes them, so that staff
    find them without knowing their number. The counts are of all of them; the list shows at most
    QUEUE_LIMIT and says so when it shows fewer."""
    reach = domain.reach_of(grants)
    today = clock.today()
    open_statuses = domain.load_terms().open_statuses
    count = db.complaints.count_in_reach
    open_total, overdue = await count(statuses=open_statuses, due_before=today, reach=reach)
    answered_total, _late = await count(statuses=("answered",), due_before=today, reach=reach)
    rows = await db.complaints.in_reach(statuses=open_statuses, reach=reach, limit=QUEUE_LIMIT)
    answered: list[Complaint] = []
    if len(rows) < QUEUE_LIMIT:
        answered = await db.complaints.in_reach(statuses=("answered",), reach=reach,
                                                limit=QUEUE_LIMIT - len(rows))
    if not rows and not answered:
        return plain(_("No open complaints in your offices.")), kb.queue_keyboard([])
    heads: list[Text | str] = [
        Bold(_("Open complaints, oldest first: {count}").format(count=open_total)),
        _("Overdue: {count} (marked ⚠️)").format(count=overdue),
    ]
    if answered_total:
        heads.append(_("Answered, waiting to be closed: {count} (marked 💬, after the open ones)")
                     .format(count=answered_total))
    shown, total = len(rows) + len(answered), open_total + answered_total
    if shown < total:
        heads += ["", ngettext(
            "Below is the first {shown} of {total}; find any other with /ticket NUMBER.",
            "Below are the first {shown} of {total}; find any other with /ticket NUMBER.", shown,
        ).format(shown=shown, total=total)]
    buttons = [(r.talon, _queue_label(r, today)) for r in [*rows, *answered]]
    return lines(*heads).as_html(), kb.queue_keyboard(buttons)


# --- commands ------------------------------------------------------------------------------------


async def on_ticket(message: Message, command: CommandObject, state: FSMContext, db: Database) -> None:
    await drop_pending(state)
    typed = (command.args or "").strip()
    if not typed:
        await message.answer(talon_render.ticket_usage_text())
        return
    try:
        compact = talon.parse(typed)
    except talon.TalonError as error:
        await message.answer(talon_render.talon_problem_text(error, typed))
        return
    await show_ticket(message, compact, db)


async def show_ticket(message: Message, compact: str, db: Database) -> None:
    """Complaint `compact` as its viewer may see it (staff screen, or the citizen's own); anyone else is
    told the same as for a number that does not exist. /ticket and the talon's deep link both land here."""
    user_id = message.from_user.id
    row = await db.complaints.by_talon(compact)
    grants = await grants_of(db, user_id)
    if row is not None and grants and (await sight(db, grants, row, user_id)).visible:
        await show_card(message, db, grants, row, user_id)
        return
    own = await own_complaint(db, compact, user_id)
    if own is not None:
        await long_text.show(message, message.bot, await citizen_screen(db, own),
                             kb.citizen_complaint_keyboard(compact))
        return
    await message.answer(talon_render.not_visible_text(talon.format_talon(compact)))


async def on_queue(message: Message, state: FSMContext, db: Database) -> None:
    await drop_pending(state)
    grants = await grants_of(db, message.from_user.id)
    if not grants:
        await message.answer(plain(_("This command is for the staff of the offices.")))
        return
    text, keyboard = await queue_view(db, grants)
    await message.answer(text, reply_markup=keyboard)


def make_router() -> Router:
    router = Router(name="staff")
    router.message.register(on_ticket, Command("ticket"))
    router.message.register(on_queue, Command("queue"))
    return router
