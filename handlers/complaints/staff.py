"""Staff work complaints in the bot: /ticket NUMBER, /queue, and take / answer / forward / close.

Authorisation is read from the database (staff grants) on every update and checked against the
complaint through bot.complaints.terms: a button having been shown proves nothing, callback data can be
forged. Anyone who may not see a complaint is told the same as for a number that does not exist.
`/ticket` also serves citizens: their own complaints, nobody else's. Every change is a use case of
bot.complaints.workflow: a compare-and-set on the revision the card showed (the buttons carry it), with
its audit record and the citizen's notice in the same transaction. A card too long for one message
(a long complaint with a long answer) comes in parts, its buttons under the last (bot.telegram.long_text).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot import clock
from bot import complaints as domain
from bot.complaints import talon, workflow
from bot.formatting import day, pick
from bot.offices.directory import load_directory
from bot.storage.database import Database
from bot.telegram import long_text
from bot.telegram.long_text import Prose
from bot.telegram.outbox import Outbox
from bot.telegram.screen import replace_or_send
from handlers.complaints import keyboards as kb
from handlers.complaints import render
from handlers.complaints.citizen import citizen_screen, office_of, official_name, own_complaint
from handlers.complaints.notify import ComplaintNotices
from handlers.complaints.staff_state import KEY, StaffWork, drop_pending

QUEUE_LIMIT = 30
ACTION_LABELS = {
    "take": __("🙋 Take it"),
    "answer": __("✉️ Answer the citizen"),
    "extend": __("⏳ Extend the term (information requested)"),
    "forward": __("↪️ Forward"),
    "close": __("✅ Close"),
    "reopen": __("🔁 Reopen"),
}
PENDING_ACTIONS = ("send", "edit", "drop")


async def grants_of(db: Database, user_id: int) -> list[domain.Grant]:
    return [domain.Grant(role, scope) for role, scope in await db.staff.grants(user_id)]


def _visible(grants: list[domain.Grant], row: Mapping[str, Any]) -> bool:
    return domain.may_view(grants, row["office_id"], row["department_id"], row["category"])


# --- what staff see -----------------------------------------------------------------------------


def _person(row: Mapping[str, Any]) -> str:
    if row["kind"] == "legal_entity":
        when = day(date.fromisoformat(row["outgoing_date"])) if row["outgoing_date"] else "—"
        return _("{entity}, letter No. {number} of {date}").format(
            entity=row["entity_name"], number=row["outgoing_number"], date=when)
    return " ".join(p for p in (row["surname"], row["name"], row["patronymic"]) if p)


async def staff_screen(db: Database, row: Mapping[str, Any], today: date) -> list[str]:
    """The card as one message or more (a long complaint and a long answer do not fit one)."""
    office = load_directory().get(row["office_id"])
    official = await official_name(db, dict(row))
    events = await db.complaints.events(row["id"])
    blocks: list[str | Prose] = [
        render.bold(_("Complaint {talon}").format(talon=talon.format_talon(row["talon"]))) + " — "
        + escape(render.status_label(row["status"])),
        "",
        escape(_("Office: {office}").format(office=render.office_title(office))),
        escape(_("What about: {category}").format(category=render.category_label(row["category"]))),
        escape(_("Received: {moment}, {channel}").format(moment=render.moment(row["registered_at"]),
                                                        channel=render.CHANNEL_LABELS[row["channel"]])),
        escape(render.due_line(row, today)),
        escape(_("From: {person}").format(person=_person(row))),
        escape(_("Postal address: {address}").format(address=row["postal_address"])),
        escape(render.handled_by(row, official)),
        "",
        Prose(row["text"]),
    ]
    if row["answer_text"]:
        blocks += ["", render.bold(_("Answer of {moment}:").format(moment=render.moment(row["answered_at"]))),
                   Prose(row["answer_text"])]
    blocks += ["", render.bold(_("History")), *render.history_lines(events)]
    return long_text.split(blocks)


def staff_keyboard(grants: list[domain.Grant], row: Mapping[str, Any], user_id: int):
    actions = domain.allowed_actions(grants, row, user_id)
    return kb.staff_keyboard(row["talon"], [(a, str(ACTION_LABELS[a])) for a in actions], row["version"])


async def show_card(target: Message | CallbackQuery, db: Database, grants: list[domain.Grant],
                    row: Mapping[str, Any], user_id: int) -> None:
    """The staff card of `row` in answer to a command or a press, its buttons under its last part."""
    await long_text.show(target, target.bot, await staff_screen(db, row, clock.today()),
                         staff_keyboard(grants, row, user_id))


QUEUE_LABEL_MAX = 64  # characters a queue button shows on a phone before it is cut


def _queue_label(row: Mapping[str, Any], today: date) -> str:
    """"⚠️ K4D-3C7-7 · Астана · Долгая очередь · до 10.12": the place is shortened first to fit."""
    due = date.fromisoformat(row["due_date"])
    if row["status"] == "answered":
        mark, when = "💬 ", ""
    else:
        mark = "⚠️ " if domain.is_overdue(row["status"], due, today) else ""
        when = " · " + _("due {date}").format(date=due.strftime("%d.%m"))
    category = domain.load_terms().category(row["category"])
    kind = pick(category.short) if category is not None else row["category"]
    office = load_directory().get(row["office_id"])
    place = pick(office.settlement) if office is not None else row["office_id"]
    head, tail = f"{mark}{talon.format_talon(row['talon'])} · ", f" · {kind}{when}"
    room = QUEUE_LABEL_MAX - len(head) - len(tail)
    if len(place) > room:
        place = place[:max(room - 1, 1)] + "…"
    return (head + place + tail)[:QUEUE_LABEL_MAX]


async def queue_view(db: Database, grants: list[domain.Grant]) -> tuple[str, Any]:
    """Open complaints in this member's reach, oldest first, overdue ones marked; then the answered
    ones (marked 💬), oldest first, which stay in the queue until someone closes them, so that staff
    find them without knowing their number. The counts are of all of them; the list shows at most
    QUEUE_LIMIT and says so when it shows fewer."""
    offices = [g.scope for g in grants if g.role == "office_staff"]
    departments = [g.scope for g in grants if g.role == "department_supervisor"]
    hidden = [c.id for c in domain.load_terms().categories if c.handled_by == "higher_management"]
    reach = dict(office_ids=offices, office_hidden_categories=hidden, department_ids=departments,
                 everything=any(g.role == "admin" for g in grants))
    today = clock.today()
    open_statuses = domain.load_terms().open_statuses
    count = db.complaints.count_in_reach
    open_total, overdue = await count(statuses=open_statuses, due_before=today, **reach)
    answered_total, _late = await count(statuses=("answered",), due_before=today, **reach)
    rows = await db.complaints.in_reach(statuses=open_statuses, limit=QUEUE_LIMIT, **reach)
    rows = [r for r in rows if _visible(grants, r)]
    answered: list[Mapping[str, Any]] = []
    if len(rows) < QUEUE_LIMIT:
        answered = await db.complaints.in_reach(statuses=("answered",), limit=QUEUE_LIMIT - len(rows),
                                                **reach)
        answered = [r for r in answered if _visible(grants, r)]
    if not rows and not answered:
        return escape(_("No open complaints in your offices.")), kb.queue_keyboard([])
    lines = [
        render.bold(_("Open complaints, oldest first: {count}").format(count=open_total)),
        escape(_("Overdue: {count} (marked ⚠️)").format(count=overdue)),
    ]
    if answered_total:
        lines.append(escape(_("Answered, waiting to be closed: {count} (marked 💬, after the open ones)")
                            .format(count=answered_total)))
    shown, total = len(rows) + len(answered), open_total + answered_total
    if shown < total:
        lines += ["", escape(ngettext(
            "Below is the first {shown} of {total}; find any other with /ticket NUMBER.",
            "Below are the first {shown} of {total}; find any other with /ticket NUMBER.", shown,
        ).format(shown=shown, total=total))]
    buttons = [(r["talon"], _queue_label(r, today)) for r in [*rows, *answered]]
    return "\n".join(lines), kb.queue_keyboard(buttons)


# --- commands ------------------------------------------------------------------------------------


async def on_ticket(message: Message, command: CommandObject, state: FSMContext, db: Database) -> None:
    await drop_pending(state)
    typed = (command.args or "").strip()
    if not typed:
        await message.answer(render.ticket_usage_text())
        return
    try:
        compact = talon.parse(typed)
    except talon.TalonError as error:
        await message.answer(render.talon_problem_text(error, typed))
        return
    await show_ticket(message, compact, db)


async def show_ticket(message: Message, compact: str, db: Database) -> None:
    """Complaint `compact` as its viewer may see it (staff screen, or the citizen's own); anyone else is
    told the same as for a number that does not exist. /ticket and the talon's deep link both land here."""
    user_id = message.from_user.id
    row = await db.complaints.by_talon(compact)
    grants = await grants_of(db, user_id)
    if row is not None and _visible(grants, row):
        await show_card(message, db, grants, row, user_id)
        return
    own = await own_complaint(db, compact, user_id)
    if own is not None:
        await long_text.show(message, message.bot, await citizen_screen(db, own),
                             kb.citizen_complaint_keyboard(compact))
        return
    await message.answer(render.not_visible_text(talon.format_talon(compact)))


async def on_queue(message: Message, state: FSMContext, db: Database) -> None:
    await drop_pending(state)
    grants = await grants_of(db, message.from_user.id)
    if not grants:
        await message.answer(escape(_("This command is for the staff of the offices.")))
        return
    text, keyboard = await queue_view(db, grants)
    await message.answer(text, reply_markup=keyboard)


# --- buttons -------------------------------------------------------------------------------------

CHANGED = __("Someone changed this complaint a moment ago: here it is now.")


async def on_act(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext, db: Database,
                 bot: Bot, i18n: I18n, callback_answer: CallbackAnswer) -> None:
    user_id = callback.from_user.id
    grants = await grants_of(db, user_id)
    if not grants:
        callback_answer.text = _("This is for the staff of the offices.")
        return
    if callback_data.a in PENDING_ACTIONS:
        await on_pending(callback, callback_data, state, db, bot, i18n, grants, callback_answer)
        return
    await drop_pending(state)
    if callback_data.a == "queue":
        await replace_or_send(callback, *await queue_view(db, grants))
        return
    row = await db.complaints.by_talon(callback_data.t) if talon.is_valid(callback_data.t) else None
    if row is None or not _visible(grants, row):
        callback_answer.text = _("You cannot see this complaint.")
        return
    action = callback_data.a
    if action == "open":
        await show_card(callback, db, grants, row, user_id)
        return
    if action not in domain.allowed_actions(grants, row, user_id):
        callback_answer.text = _("You cannot do this now.")
        await show_card(callback, db, grants, row, user_id)
        return
    if callback_data.v != row["version"]:  # the card was older than the complaint: show it as it is
        callback_answer.text = str(CHANGED)
        await show_card(callback, db, grants, row, user_id)
        return
    if action in ("answer", "forward"):
        await state.set_state(StaffWork.typing)
        work = {"t": row["talon"], "a": action, "s": row["status"], "v": row["version"]}
        await state.update_data({KEY: work})
        await bot.send_message(callback.from_user.id, _typing_prompt(action))
        return
    await apply(callback, db, bot, i18n, grants, row, action, user_id, callback_answer)


async def apply(callback: CallbackQuery, db: Database, bot: Bot, i18n: I18n, grants: list[domain.Grant],
                seen: Mapping[str, Any], action: str, user_id: int, callback_answer: CallbackAnswer,
                text: str | None = None) -> None:
    """Do one allowed action to the revision the official saw (bot.complaints.workflow: the change and
    the citizen's notice in one transaction), try the notice at once, show the card as it is now."""
    notices = ComplaintNotices(i18n, office_of)
    outcome = await workflow.act(db, seen, action, user_id=user_id, now=clock.now(), text=text,
                                 notices=notices, default_locale=i18n.default_locale)
    if outcome.row is None:
        callback_answer.text = _("You cannot see this complaint.")
        return
    if outcome.applied:
        await Outbox.of(db).deliver_now(bot, outcome.notice_keys)
    else:
        callback_answer.text = str(CHANGED)
    await show_card(callback, db, grants, outcome.row, user_id)


def _typing_prompt(action: str) -> str:
    limit = domain.load_terms().limits["answer_max"]
    prompt = (_("Type the answer to the citizen in one message (up to {limit} characters):")
              if action == "answer"
              else _("Type where the complaint is forwarded and why (the citizen will read it):"))
    return escape(prompt.format(limit=limit))


def _preview_text(action: str, text: str) -> list[str]:
    heading = (_("Your answer to the citizen — not sent yet. Check it:") if action == "answer"
               else _("Where it is forwarded and why — not sent yet. Check it:"))
    return long_text.split([render.bold(heading), "", Prose(text)])


async def _pending_row(db: Database, grants: list[domain.Grant], work: Mapping[str, Any],
                       user_id: int) -> Mapping[str, Any] | None:
    """The complaint the pending text is for, only if this member may still do that to it and it is
    still the revision they saw when they started typing (read again from the database)."""
    compact = work.get("t", "")
    row = await db.complaints.by_talon(compact) if talon.is_valid(compact) else None
    if row is None or not grants or not _visible(grants, row) or row["status"] != work.get("s") \
            or row["version"] != work.get("v"):
        return None
    return row if work.get("a") in domain.allowed_actions(grants, row, user_id) else None


async def on_pending(callback: CallbackQuery, callback_data: kb.StaffAct, state: FSMContext,
                     db: Database, bot: Bot, i18n: I18n, grants: list[domain.Grant],
                     callback_answer: CallbackAnswer) -> None:
    """Send, Edit or Cancel under a preview: only the preview of the pending text for this very
    complaint counts; an old preview's buttons find nothing pending and say so."""
    user_id = callback.from_user.id
    work = (await state.get_data()).get(KEY) or {}
    pending = (await state.get_state() == StaffWork.preview.state and work.get("t") == callback_data.t
               and work.get("text"))
    if not pending:
        callback_answer.text = _("Nothing is waiting to be sent: open the complaint again.")
        return
    row = await _pending_row(db, grants, work, user_id)
    if callback_data.a == "edit" and row is not None:
        await state.set_state(StaffWork.typing)
        await replace_or_send(callback, _typing_prompt(work["a"]), None)
        return
    if row is None:
        await drop_pending(state)
        callback_answer.text = _("You cannot do this now.")
        fresh = await db.complaints.by_talon(callback_data.t)
        if fresh is not None and _visible(grants, fresh):
            await show_card(callback, db, grants, fresh, user_id)
        return
    if callback_data.a == "drop":
        await drop_pending(state)
        callback_answer.text = _("Cancelled: nothing was sent.")
        await show_card(callback, db, grants, row, user_id)
        return
    await apply(callback, db, bot, i18n, grants, row, work["a"], user_id, callback_answer, text=work["text"])
    await drop_pending(state)


async def on_typed(message: Message, state: FSMContext, db: Database) -> None:
    """The typed answer or note becomes a preview with Send / Edit / Cancel; nothing is stored yet.
    Typing again under a preview replaces it with a new preview."""
    work = (await state.get_data()).get(KEY) or {}
    user_id = message.from_user.id
    grants = await grants_of(db, user_id)
    row = await _pending_row(db, grants, work, user_id)
    if row is None:
        await drop_pending(state)
        await message.answer(escape(_("You cannot do this now.")))
        return
    limit = domain.load_terms().limits["answer_max"]
    value, problem = domain.check_field("text", message.text, clock.today())
    if problem is None and value is not None and len(value) > limit:
        problem = domain.Problem("text", "too_long", limit)
    if problem is not None:
        await message.answer(render.notice(render.problem_text(problem, value)))
        return
    await state.set_state(StaffWork.preview)
    await state.update_data({KEY: {**work, "text": value}})
    await long_text.show(message, message.bot, _preview_text(work["a"], value),
                         kb.preview_keyboard(row["talon"]))


async def is_plain_text(message: Message) -> bool:
    return message.text is not None and not message.text.startswith("/")


def make_router() -> Router:
    router = Router(name="staff")
    router.message.register(on_ticket, Command("ticket"))
    router.message.register(on_queue, Command("queue"))
    router.callback_query.register(on_act, kb.StaffAct.filter())
    router.message.register(on_typed, StateFilter(StaffWork.typing, StaffWork.preview), is_plain_text)
    return router
