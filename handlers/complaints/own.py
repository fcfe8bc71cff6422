"""Following one's own complaints: My complaints, a complaint's screen as its citizen sees it (status,
history, who handles it, the answer) and the buttons under the talon, which send new messages and never
edit the talon itself. The talon's picture is a nice-to-have whose failure is logged and loses nothing.

Only the citizen who filed a complaint in the bot sees it here; anyone else is told the same as for a
number that does not exist.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.callback_answer import CallbackAnswer

from bot import clock
from bot.complaints import talon
from bot.complaints.record import Complaint
from bot.complaints.talon_image import render_png
from bot.offices.directory import Directory, load_directory
from bot.storage.database import Database
from bot.telegram import long_text
from bot.telegram.screen import chat_of, replace_or_send
from handlers.complaints import keyboards as kb
from handlers.complaints import progress, talon_render
from handlers.complaints.staff_state import drop_pending
from handlers.deep_links import talon_link
from handlers.menu import menu_keyboard, menu_text

log = logging.getLogger(__name__)


def mine_keyboard(rows: list[Complaint]) -> InlineKeyboardMarkup:
    return kb.mine_keyboard((r.talon, progress.mine_button(r)) for r in rows)


async def show_mine(callback: CallbackQuery, db: Database) -> None:
    rows = await db.complaints.of_citizen(callback.from_user.id)
    await replace_or_send(callback, progress.mine_text(rows, clock.today()), mine_keyboard(rows))


async def send_talon_image(bot: Bot, chat_id: int, row: Complaint, office: Any) -> bool:
    """The talon as a picture, after its text: a nice-to-have. If Telegram refuses it (after the
    retries of bot.telegram.retry), that is logged and the citizen keeps the text; False then."""
    png = render_png(talon_render.talon_card(row, office, await talon_link(bot, row.talon)))
    try:
        await bot.send_photo(chat_id, BufferedInputFile(png, filename=f"talon-{row.talon}.png"),
                             caption=talon.format_talon(row.talon))
    except TelegramAPIError as error:
        log.warning("talon picture of complaint %s not sent: %s", row.id, type(error).__name__)
        return False
    return True


async def official_name(db: Database, row: Complaint) -> str | None:
    """The assignee's name: from the staff list, or, once their grant is withdrawn, as recorded in
    the complaint's history when they took it (§25: the citizen keeps knowing who handled it)."""
    if row.assignee_user_id is None:
        return None
    member = await db.staff.member(row.assignee_user_id)
    if member and member.display_name:
        return member.display_name
    return await db.complaints.assignee_name(row.id, row.assignee_user_id)


async def own_complaint(db: Database, compact: str, user_id: int) -> Complaint | None:
    """The complaint, only if this user filed it in the bot (anyone else gets None, as if absent)."""
    row = await db.complaints.by_talon(compact) if talon.is_valid(compact) else None
    return row if row is not None and row.citizen_user_id == user_id else None


async def citizen_screen(db: Database, row: Complaint) -> list[str]:
    """The citizen's view of their complaint, as one message or more (a long answer may need two)."""
    office = load_directory().get(row.office_id)
    events = await db.complaints.events(row.id)
    return long_text.split(progress.citizen_view(row, office, await official_name(db, row), events,
                                               clock.today()))


async def on_my_complaint(callback: CallbackQuery, callback_data: kb.MyComplaint, state: FSMContext,
                          db: Database, bot: Bot, callback_answer: CallbackAnswer) -> None:
    await drop_pending(state)
    row = await own_complaint(db, callback_data.t, callback.from_user.id)
    if row is None:
        callback_answer.text = not_visible(callback_data.t)
        return
    keyboard = kb.citizen_complaint_keyboard(row.talon)
    await long_text.show(callback, bot, await citizen_screen(db, row), keyboard)


async def on_talon_picture(callback: CallbackQuery, callback_data: kb.MyComplaint, state: FSMContext,
                           db: Database, bot: Bot, directory: Directory,
                           callback_answer: CallbackAnswer) -> None:
    await drop_pending(state)
    row = await own_complaint(db, callback_data.t, callback.from_user.id)
    if row is None:
        callback_answer.text = not_visible(callback_data.t)
    elif not await send_talon_image(bot, chat_of(callback), row, directory.get(row.office_id)):
        callback_answer.text = talon_render.picture_failed_text()


def not_visible(compact: str) -> str:
    return talon_render.not_visible_text(talon.format_talon(compact) if talon.is_valid(compact) else "?")


# The buttons under a talon: each screen comes as a new message, the talon stays as it was.

async def on_talon_open(callback: CallbackQuery, callback_data: kb.TalonGo, state: FSMContext,
                        db: Database, callback_answer: CallbackAnswer) -> None:
    await drop_pending(state)
    row = await own_complaint(db, callback_data.t, callback.from_user.id)
    if row is None:
        callback_answer.text = not_visible(callback_data.t)
        return
    await long_text.send(callback.bot, chat_of(callback), await citizen_screen(db, row),
                         kb.citizen_complaint_keyboard(row.talon))


async def on_talon_mine(callback: CallbackQuery, state: FSMContext, db: Database) -> None:
    await drop_pending(state)
    rows = await db.complaints.of_citizen(callback.from_user.id)
    await callback.bot.send_message(chat_of(callback), progress.mine_text(rows, clock.today()),
                                    reply_markup=mine_keyboard(rows))


async def on_talon_menu(callback: CallbackQuery, state: FSMContext) -> None:
    await drop_pending(state)
    await state.set_state(None)
    await callback.bot.send_message(chat_of(callback), menu_text(), reply_markup=menu_keyboard())


def make_router() -> Router:
    router = Router(name="own_complaints")
    view = kb.MyComplaintView
    router.callback_query.register(on_my_complaint, kb.MyComplaint.filter(F.a == view.open))
    router.callback_query.register(on_talon_picture, kb.MyComplaint.filter(F.a == view.image))
    router.callback_query.register(on_talon_open, kb.TalonGo.filter(F.a == kb.TalonButton.open))
    router.callback_query.register(on_talon_mine, kb.TalonGo.filter(F.a == kb.TalonButton.mine))
    router.callback_query.register(on_talon_menu, kb.TalonGo.filter(F.a == kb.TalonButton.menu))
    return router
