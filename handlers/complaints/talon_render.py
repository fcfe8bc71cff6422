"""The talon in the chat (§25, Appendix 4): its text, the picture's texts, and what /ticket says when a
number is not one. HTML through aiogram.utils.formatting: everything typed by a person is a plain str
child, escaped when rendered.
"""

from __future__ import annotations

from typing import Any

from aiogram.utils.formatting import Bold, Text
from aiogram.utils.i18n import gettext as _

from bot import complaints as domain
from bot.complaints import talon
from bot.complaints.record import Complaint
from bot.complaints.talon_image import TalonCard
from bot.formatting import day, pick
from bot.telegram.markup import lines, plain
from handlers.complaints.render import capital, follow_contacts, moment, office_contacts, office_title


def accepted_by(row: Complaint) -> str:
    """Who accepted the complaint at filing (Appendix 4): the official who registered a posted one, or
    the bot's registry. A record: whoever takes the complaint later does not change it."""
    if row.accepted_by:
        return row.accepted_by
    return _("the bot's complaint registry (registered automatically)")


def answer_where(row: Complaint) -> str:
    """§25: the answer comes in the bot and in writing to the complaint's postal address."""
    if row.kind == "legal_entity":
        return _("Here in the bot, and in writing to the organisation's postal address given in the "
                 "complaint")
    return _("Here in the bot, and in writing to the postal address given in the complaint")


def talon_text(row: Complaint, office: Any, *, again: bool = False, link: str | None = None) -> str:
    """The talon as a message; `link` (a t.me deep link) opens this complaint in the bot."""
    compact = row.talon
    due = day(row.due_date)
    terms = domain.load_terms()
    heading = (_("This complaint was already filed. Its talon:") if again
               else _("✅ Your complaint is registered."))
    shown: list[Text | str] = [
        Bold(heading),
        "",
        Text(_("Talon No."), " ", Bold(talon.format_talon(compact))),
        _("Registered: {moment} (Kazakhstan time)").format(moment=moment(row.registered_at)),
        _("Received by: {office}").format(office=office_title(office)),
    ]
    if office is not None:
        shown.append(_("Address: {address}").format(address=pick(office.address)))
    shown += [
        _("Accepted by: {who}").format(who=accepted_by(row)),
        "",
        Bold(_("Answer due by {date}").format(date=due)),
        _(
            "{days} calendar days, up to {extended} when information must be requested from others. The "
            "answer comes here in the bot, and in writing to the postal address you gave."
        ).format(days=terms.answer_days, extended=terms.extended_days),
        "",
        _(
            "How to follow it: menu → Complaints → My complaints, or send /ticket {talon}. I will write to "
            "you when an official takes it and when there is an answer."
        ).format(talon=talon.format_talon(compact)),
    ]
    if link:
        shown.append(_("Link to this complaint: {link}").format(link=link))
    if office_contacts(office):
        shown.append(follow_contacts(office))
    return lines(*shown).as_html()


def talon_card(row: Complaint, office: Any, link: str = "") -> TalonCard:
    """The picture's texts (Appendix 4: who received it, who accepted it, date and time), the same
    whenever it is drawn, and the link to the complaint that its QR code holds."""
    due = day(row.due_date)
    rows = [
        (_("Received by"), office_title(office)),
        (_("Date and time of registration"), moment(row.registered_at)),
        (_("Accepted by"), capital(accepted_by(row))),
        (_("Answer due by"), due),
        (_("Where the answer comes"), answer_where(row)),
    ]
    contacts = office_contacts(office)
    if contacts:
        rows.append((_("Contacts"), contacts))
    shown = talon.format_talon(row.talon)
    return TalonCard(
        heading=_("Talon: complaint accepted"),
        number=shown,
        rows=rows,
        footer=(_("Follow it in the bot: scan the code or send /ticket {talon}") if link
                else _("Follow it in the bot: /ticket {talon}")).format(talon=shown),
        link=link,
    )


def picture_failed_text() -> str:
    return _("The talon picture could not be sent just now. Please try again later.")


def not_visible_text(shown: str) -> str:
    return plain(_("I have no complaint {talon} that you may see.").format(talon=shown))


def talon_problem_text(error: talon.TalonError, typed: str) -> str:
    """/ticket with a number that is not one: malformed, or caught by the check character."""
    if isinstance(error, talon.TalonCheckFailed):
        return plain(_(
            "The number {talon} is mistyped: its check character (the last one) does not match the others. "
            "Please compare it character by character with your talon."
        ).format(talon=talon.format_talon(talon.normalise(typed))))
    problem = error.problem if isinstance(error, talon.TalonMalformed) else None
    if problem is not None and problem.reason == "character":
        return plain(_(
            "“{char}” never appears in talon numbers (they avoid look-alikes such as 0 and O, 1 and I). "
            "Please check the number."
        ).format(char=problem.detail))
    return plain(_("A talon number has 9 symbols, like K4D-3C7-7 (the dashes may be left out). "
                   "Please check the number."))


def ticket_usage_text() -> str:
    return plain(_("Send the talon number with the command, for example: /ticket K4D-3C7-7"))
