"""/start, /menu and /help, and the "main menu" button: the ways back to the beginning.

They also leave any dialogue in progress: the menu is a fresh start. The one exception is /start
from a talon's link (`t-<talon>`), which opens that complaint like /ticket.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.storage.database import Database
from handlers.callbacks import MenuCallback
from handlers.commands import BOT_COMMANDS
from handlers.complaints.staff import show_ticket
from handlers.complaints.staff_state import drop_pending
from handlers.deep_links import talon_in_payload
from handlers.menu import send_menu, send_menu_below, show_menu


def welcome_text() -> str:
    return _(
        "Hello! I help you prepare to apply for documents for leaving Kazakhstan for permanent residence.\n\n"
        "I check your situation against the service standard, list the documents, compute the state fee "
        "and find the office where you apply. This is a pre-check, not a decision: the decision is made "
        "by the migration service."
    )


def help_text() -> str:
    commands = "\n".join(f"/{name} — {_(description)}" for name, description in BOT_COMMANDS)
    return "\n\n".join([
        _("How to use me: press a button of the menu, or send a command:"),
        commands,
        _("In a dialogue, Back returns to the previous question and Start over clears your answers."),
    ])


def make_router() -> Router:
    router = Router(name="start")

    @router.message(CommandStart(deep_link=True, magic=F.args.func(talon_in_payload)))
    async def start_on_talon(message: Message, command: CommandObject, state: FSMContext,
                             db: Database) -> None:
        """The talon's link: that complaint, as /ticket shows it (a dialogue in progress is kept)."""
        await drop_pending(state)
        await show_ticket(message, talon_in_payload(command.args), db)

    @router.message(CommandStart())
    async def start(message: Message, state: FSMContext) -> None:
        """/start, with an unknown payload too (an old or mistyped link): just the beginning."""
        await state.set_state(None)
        await send_menu(message, welcome_text())

    @router.message(Command("menu"))
    async def menu(message: Message, state: FSMContext) -> None:
        await state.set_state(None)
        await send_menu(message)

    @router.message(Command("help"))
    async def help_(message: Message) -> None:
        await send_menu(message, help_text())

    @router.callback_query(MenuCallback.filter(F.item == "menu"))
    async def menu_button(callback: CallbackQuery, state: FSMContext) -> None:
        await state.set_state(None)
        await show_menu(callback)

    @router.callback_query(MenuCallback.filter(F.item == "menu_below"))
    async def menu_below(callback: CallbackQuery, state: FSMContext) -> None:
        await state.set_state(None)
        await send_menu_below(callback)

    return router
