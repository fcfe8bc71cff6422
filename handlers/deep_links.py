"""Links that open the bot on one thing: `https://t.me/<bot>?start=t-K4D3C77` opens complaint K4D-3C7-7.

The talon carries such a link (in its text and as a QR code on its picture), so a citizen who keeps
the talon, or an official who is shown it, gets to the complaint in one tap. The payload is only a
pointer: who may see the complaint is decided when the link is opened, as for /ticket.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.utils.deep_linking import create_start_link

from bot.complaints import talon

TALON_PREFIX = "t-"


async def talon_link(bot: Bot, compact: str) -> str:
    """The link that opens this complaint; the bot's username comes from getMe, cached by aiogram."""
    return await create_start_link(bot, TALON_PREFIX + compact)


def talon_in_payload(payload: str | None) -> str | None:
    """The compact talon a /start payload points to, or None when it points to no talon."""
    if not payload or not payload.startswith(TALON_PREFIX):
        return None
    compact = payload.removeprefix(TALON_PREFIX)
    return compact if talon.is_valid(compact) else None
