"""The words of the notices a complaint's changes cause, in the recipient's language: the citizen's
notice of each move staff make, and the alert to the office's staff (for §22 complaints, only its
department's supervisors) of a new complaint.

bot.complaints.workflow decides who is told, in which language, and stores each notice in the same
transaction as the change (through the outbox, bot.telegram.outbox: retried until Telegram takes it, once per
change); this module only renders them, as outbox payloads. Nothing here logs names or texts.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.formatting import Bold, Italic
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.complaints import talon
from bot.complaints.record import Complaint
from bot.formatting import day
from bot.telegram.markup import lines, paragraphs, plain
from handlers.complaints import keyboards as kb
from handlers.complaints.render import category_label, place_title, status_label


def notice_text(row: Complaint, action: str, official: str | None, note: str | None) -> str:
    number = talon.format_talon(row.talon)
    if action == "taken":
        head = [_("Your complaint {talon} was taken for consideration.").format(talon=number)]
        if official:
            head.append(_("Official in charge: {official}").format(official=official))
        return lines(*head).as_html()
    if action == "answered":
        return paragraphs(Bold(_("The answer to your complaint {talon}:").format(talon=number)),
                          Italic(row.answer_text or "")).as_html()
    if action == "forwarded":
        return paragraphs(_("Your complaint {talon} was forwarded to: {office}.").format(
            talon=number, office=place_title(row.office_id)), Italic(note or "")).as_html()
    if action == "recalled":
        return plain(_("The forwarding of your complaint {talon} was recalled: it is again with {office}.")
                     .format(talon=number, office=place_title(row.office_id)))
    if action == "extended":
        return plain(_(
            "Considering your complaint {talon} needs information from other bodies: the answer is now due "
            "by {date}."
        ).format(talon=number, date=day(row.due_date)))
    return plain(_("Your complaint {talon} is now: {status}.").format(
        talon=number, status=status_label(row.status)))


def new_complaint_text(row: Complaint) -> str:
    """A new complaint, or one forwarded (or returned by a recall) to the reader's place."""
    number = talon.format_talon(row.talon)
    heading = (_("Complaint {talon} was forwarded to you") if row.status == "forwarded"
               else _("Complaint {talon} came back to you: its forwarding was recalled") if row.version
               else _("New complaint {talon}"))
    return lines(
        Bold(heading.format(talon=number)),
        place_title(row.office_id),
        category_label(row.category),
        _("Answer due by {date}").format(date=day(row.due_date)),
    ).as_html()


def _payload(text: str, keyboard: InlineKeyboardMarkup) -> dict[str, Any]:
    return {"text": text, "reply_markup": keyboard.model_dump(mode="json", exclude_none=True)}


class ComplaintNotices:
    """bot.complaints.workflow's `Notices`, through this bot's catalogs."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n

    def staff_alert(self, row: Complaint, locale: str) -> dict[str, Any]:
        with self.i18n.context(), self.i18n.use_locale(locale):
            open_it = kb.button(_("🔎 Open the complaint"),
                                kb.StaffAct(t=row.talon, action=kb.Action.open))
            return _payload(new_complaint_text(row), kb.markup([[open_it]]))

    def citizen_notice(self, row: Complaint, action: str, locale: str, *, official: str | None,
                       note: str | None) -> dict[str, Any]:
        with self.i18n.context(), self.i18n.use_locale(locale):
            open_it = kb.button(_("🔎 Open the complaint"), kb.MyComplaint(t=row.talon))
            return _payload(notice_text(row, action, official, note), kb.markup([[open_it]]))
