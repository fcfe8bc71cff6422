"""Telling the citizen, in their own language, each time staff move their complaint or answer it.

The message goes to the chat of the citizen who filed it in the bot (a complaint from the command line
has nobody to tell here). The citizen's language is the one the complaint was filed in. A citizen who
blocked the bot is not an error for the staff member: the failure is logged by complaint id only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot import talon
from bot.formatting import day
from handlers import complaints_keyboards as kb
from handlers.complaints_render import bold, status_label

log = logging.getLogger(__name__)


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


async def notify_citizen(bot: Bot, i18n: I18n, row: Mapping[str, Any], action: str, *,
                         official: str | None = None, note: str | None = None) -> bool:
    """Send the notice; False when there is nobody to tell or Telegram refused it."""
    if row["citizen_user_id"] is None:
        return False
    locale = row["locale"] or i18n.default_locale
    with i18n.use_locale(locale):
        text = notice_text(row, action, official, note)
        keyboard = kb.markup([[kb.button(_("🔎 Open the complaint"), kb.MyComplaint(t=row["talon"]))]])
    try:
        await bot.send_message(row["citizen_user_id"], text, reply_markup=keyboard)
    except TelegramAPIError as error:
        log.warning("could not notify the citizen of complaint %s: %s", row["id"], type(error).__name__)
        return False
    return True
