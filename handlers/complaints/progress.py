"""How a stored complaint stands, in the chat: the status and due lines, the history (hops of a
forwarding, whether a closed one was justified), the citizen's list and screen, the close's question.

HTML through aiogram.utils.formatting: every text a person typed is a plain str child, escaped when
rendered; category, status and place names are data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from aiogram.utils.formatting import Bold, Text
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot import complaints as domain
from bot.complaints import forwarding, talon
from bot.complaints.record import AuditEntry, Complaint
from bot.formatting import day, pick
from bot.offices.directory import load_directory
from bot.telegram.long_text import Prose
from bot.telegram.markup import lines, paragraphs, plain
from handlers.complaints.render import (
    capital,
    category_label,
    follow_contacts,
    moment,
    office_contacts,
    place_title,
    status_label,
)

FINISHED_ON = {"answered": __("answered on {date}"), "closed": __("closed on {date}")}


def awaits_answer(row: Complaint) -> bool:
    """Registered or in review: only then does a due date promise something to the citizen."""
    return row.status in domain.load_terms().open_statuses


def finished_phrase(row: Complaint) -> str:
    """An answered or closed complaint: its status with the day it took it."""
    when = domain.local_time(row.updated_at).date()
    phrase = FINISHED_ON.get(row.status)
    return str(phrase).format(date=day(when)) if phrase else status_label(row.status)


def due_phrase(row: Complaint, today: date) -> str:
    if not awaits_answer(row):
        return finished_phrase(row)
    due = day(row.due_date)
    if domain.is_overdue(row.status, row.due_date, today):
        return _("answer was due by {date} — overdue").format(date=due)
    return _("answer due by {date}").format(date=due)


def due_line(row: Complaint, today: date) -> str:
    """The due date as a line of its own, marked when overdue; once the complaint no longer awaits
    an answer, the status and its date instead (a closed complaint promises nothing)."""
    if not awaits_answer(row):
        return capital(finished_phrase(row))
    due = day(row.due_date)
    if domain.is_overdue(row.status, row.due_date, today):
        return "⚠️ " + _("Answer was due by {date}: overdue").format(date=due)
    return _("Answer due by {date}").format(date=due)


def mine_text(rows: Sequence[Complaint], today: date) -> str:
    """Each complaint on two short lines: the talon and where it stands, then the office and subject."""
    if not rows:
        return plain(_("You have not filed any complaint yet."))
    shown: list[Text | str] = [Bold(_("Your complaints"))]
    for row in rows:
        mark = "⚠️ " if domain.is_overdue(row.status, row.due_date, today) else ""
        state = (f"{status_label(row.status)}, {due_phrase(row, today)}" if awaits_answer(row)
                 else capital(finished_phrase(row)))
        shown += ["", Text(mark, Bold(talon.format_talon(row.talon)), " — ", state),
                  f"{place_title(row.office_id)} · {category_label(row.category)}"]
    return lines(*shown).as_html()


def mine_button(row: Complaint) -> str:
    """"K4D-3C7-7 · Қонаев · Ұзақ кезек": which complaint a button opens, in a few words."""
    place, subject = place_short(row.office_id), category_short(row.category)
    return f"{talon.format_talon(row.talon)} · {place} · {subject}"


def place_short(place_id: str) -> str:
    body = forwarding.target(place_id)
    if body is not None:
        return pick(body.short)
    office = load_directory().get(place_id)
    return pick(office.settlement) if office is not None else place_id


def category_short(category_id: str) -> str:
    category = domain.load_terms().category(category_id)
    return pick(category.short) if category is not None else category_id


def event_text(event: AuditEntry) -> str:
    """One step of the history: the status it led to, where a forwarding went (from → to), to where it
    was recalled, a new term, or whether a closed complaint was justified."""
    detail, action = event.detail, event.action
    if action == "forwarded" and "to_office" in detail:
        return _("forwarded: {source} → {target}").format(source=place_title(detail["from_office"]),
                                                          target=place_title(detail["to_office"]))
    if action == "recalled":
        return _("forwarding recalled: back to {office}").format(office=place_title(detail["to_office"]))
    if action == "extended":
        return _("term extended to {date}").format(date=day(date.fromisoformat(detail["due_date"])))
    status = detail.get("to") or detail.get("status")
    what = status_label(status) if status else action
    if action == "closed" and detail.get("justified") is not None:
        what += " — " + (_("the complaint was justified") if detail["justified"]
                         else _("the complaint was not justified"))
    return what


def history_lines(events: Sequence[AuditEntry]) -> list[str]:
    """The history, a line a step (text, not HTML)."""
    return [f"• {moment(event.at)} — {event_text(event)}" for event in events]


def close_question_text(row: Complaint) -> str:
    """Close asks first, as Cancel does for citizens, and whether the complaint was justified."""
    return paragraphs(
        Bold(_("Close complaint {talon}?").format(talon=talon.format_talon(row.talon))),
        _("Was the complaint justified? The answer is counted in the service's indicators "
          "(justified complaints per hundred citizens served, Appendix 3)."),
    ).as_html()


def handled_by(row: Complaint, official: str | None) -> str:
    """The official last recorded as handling it; the registry when one took it but left no name
    (e.g. a grant withdrawn before names were recorded); "not assigned" only when nobody took it."""
    if official:
        who = official
    elif row.assignee_user_id is not None:
        who = _("the office's complaint registry")
    else:
        who = _("not assigned yet")
    return _("Handled by: {who}").format(who=who)


def citizen_view(row: Complaint, office: Any, official: str | None,
                 events: Sequence[AuditEntry], today: date) -> list[str | Text | Prose]:
    """The blocks of the citizen's screen (bot.telegram.long_text splits them into messages)."""
    blocks: list[str | Text | Prose] = [
        Bold(_("Complaint {talon}").format(talon=talon.format_talon(row.talon))),
        "",
        _("Office: {office}").format(office=place_title(row.office_id)),
        _("What about: {category}").format(category=category_label(row.category)),
        _("Registered: {moment}").format(moment=moment(row.registered_at)),
        _("Status: {status}").format(status=status_label(row.status)),
        due_line(row, today),
        handled_by(row, official),
    ]
    if row.answer_text:
        blocks += ["", Bold(_("Answer of {moment}:").format(moment=moment(row.answered_at))),
                   Prose(row.answer_text)]
    if office_contacts(office):
        blocks += ["", follow_contacts(office)]
    blocks += ["", Bold(_("History")), *history_lines(events)]
    return blocks
