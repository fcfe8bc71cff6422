"""Telling people about a complaint in their own language: the citizen of each move staff make, and
the office's staff (and, for §22 complaints, only its department's supervisors) of a new complaint.

The citizen's message goes to the chat of whoever filed it in the bot (a complaint from the command
line has nobody to tell here), in the language it was filed in. Every notice goes through the outbox
(bot.outbox): stored first, retried until Telegram takes it, once per change. A recipient who blocked
the bot is not an error for the sender: the outbox logs the row id only, never names or texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

from aiogram import Bot
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot import complaints as domain
from bot import talon
from bot.database import Database
from bot.formatting import day
from bot.outbox import Outbox
from handlers import complaints_keyboards as kb
from handlers.complaints_render import bold, category_label, office_title, status_label


def notice_text(row: Mapping[str, Any], action: str, official: str | None, note: str | None) -> str:
    number = talon.format_talon(row["talon"])
    if action == "taken":
        head = escape(_("Your complaint {talon} was taken for consideration.").format(talon=number))
        if official:
            head += "\n" + escape(_("Official in charge: {official}").format(official=official))
        return head
    if action == "answered":
        return "\n\n".join([bold(_("The answer to your complaint {talon}:").format(talon=number)),
                            f"<i>{escape(row['answer_text'] or '')}</i>"])
    if action == "forwarded":
        return "\n\n".join([escape(_("Your complaint {talon} was forwarded.").format(talon=number)),
                            f"<i>{escape(note or '')}</i>"])
    if action == "extended":
        return escape(_(
            "Considering your complaint {talon} needs information from other bodies: the answer is now due "
            "by {date}."
        ).format(talon=number, date=day(date.fromisoformat(row["due_date"]))))
    return escape(_("Your complaint {talon} is now: {status}.").format(
        talon=number, status=status_label(row["status"])))


async def notify_citizen(bot: Bot, i18n: I18n, db: Database, row: Mapping[str, Any], action: str, *,
                         official: str | None = None, note: str | None = None) -> bool:
    """Send the notice through the outbox (stored first, retried until it arrives, once per change);
    False when there is nobody to tell or it is not delivered yet."""
    if row["citizen_user_id"] is None:
        return False
    locale = row["locale"] or i18n.default_locale
    with i18n.use_locale(locale):
        text = notice_text(row, action, official, note)
        keyboard = kb.markup([[kb.button(_("🔎 Open the complaint"), kb.MyComplaint(t=row["talon"]))]])
    key = f"complaint:{row['id']}:{action}:{row['updated_at']}"
    return await Outbox.of(db).send(bot, row["citizen_user_id"], text, key=key, reply_markup=keyboard)


def new_complaint_text(row: Mapping[str, Any], office: Any) -> str:
    return "\n".join([
        bold(_("New complaint {talon}").format(talon=talon.format_talon(row["talon"]))),
        escape(office_title(office)),
        escape(category_label(row["category"])),
        escape(_("Answer due by {date}").format(date=day(date.fromisoformat(row["due_date"])))),
    ])


async def notify_staff(bot: Bot, i18n: I18n, db: Database, row: Mapping[str, Any], office: Any) -> int:
    """Tell each official whose grants reach this complaint that it arrived; returns how many were told."""
    told = 0
    grants: dict[int, list[domain.Grant]] = {}
    for user_id, role, scope in await db.staff_covering(row["office_id"], row["department_id"]):
        grants.setdefault(user_id, []).append(domain.Grant(role, scope))
    for user_id, theirs in grants.items():
        if not domain.may_view(theirs, row["office_id"], row["department_id"], row["category"]):
            continue
        with i18n.use_locale(await db.get_locale(user_id) or i18n.default_locale):
            text = new_complaint_text(row, office)
            open_it = kb.button(_("🔎 Open the complaint"), kb.StaffAct(t=row["talon"], a="open"))
            keyboard = kb.markup([[open_it]])
        key = f"complaint:{row['id']}:new:{user_id}"
        told += await Outbox.of(db).send(bot, user_id, text, key=key, reply_markup=keyboard)
    return told
