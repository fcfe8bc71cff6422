"""The state fee (§8): today's amount, and the amount on a date the user types.

The fee is 1 MRP of the day of payment (bot.rules.fee reads the dated MRP table); this router only reads the
date the user typed, asks bot.rules.fee and words the answer, saying so when the table is out of date.
"""

from __future__ import annotations

from datetime import date

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.formatting import Bold, Text
from aiogram.utils.i18n import gettext as _

from bot import clock
from bot.formatting import NoSuchDay, day, money, parse_day, percent, pick
from bot.rules.fee import FeeOutOfScope, fee_on, load_mrp_table
from bot.rules.ruleset import Ruleset
from bot.telegram.filters import is_plain_text
from bot.telegram.markup import lines, plain
from bot.telegram.screen import replace_or_send
from handlers.callbacks import MenuCallback
from handlers.menu import back_to_menu_keyboard
from handlers.precheck.render import cite, no_such_date


class Fee(StatesGroup):
    """While the fee screen is open, typed text is a payment date."""

    date = State()


def quote_text(quote, *, asked: date | None) -> str:
    """The fee on one day, its MRP, its source and the table's notes, in the reader's language.

    A stale table is said out loud.
    """
    heading = _("State fee today, {date}") if asked is None else _("State fee for a payment on {date}")
    heading = heading.format(date=day(quote.date))
    shown: list[Text | str] = [
        Bold(heading),
        Bold(money(quote.fee_kzt)),
        _("{share} of the MRP in force on that day; the MRP is {mrp} (since {since}).").format(
            share=percent(quote.percent_of_mrp), mrp=money(quote.mrp_kzt), since=day(quote.valid_from)),
        _("Source: {source}").format(source=pick(quote.source)),
        *(pick(note) for note in quote.notes),
    ]
    if quote.stale:
        shown.append("⚠️ " + _(
            "The MRP table of this bot does not cover this date yet: this is the latest known value, "
            "and the real amount may be higher. Check the amount at the bank."
        ))
    return lines(*shown).as_html()


def how_paid_text(ruleset: Ruleset) -> str:
    return plain(cite(pick(ruleset.fee.text), f"{ruleset.fee.paragraph}, §11.7"))


def date_prompt() -> str:
    return plain(_(
        "To see the fee on another day, type the date of payment, for example 25.11.2026 or 2026-11-25."
    ))


def fee_screen(today: date, ruleset: Ruleset) -> str:
    quote = quote_text(fee_on(today, ruleset), asked=None)
    return "\n\n".join([quote, how_paid_text(ruleset), date_prompt()])


async def on_menu(callback: CallbackQuery, state: FSMContext, ruleset: Ruleset) -> None:
    await state.set_state(Fee.date)
    text = fee_screen(clock.today(), ruleset)
    await replace_or_send(callback, text, back_to_menu_keyboard())


async def on_command(message: Message, state: FSMContext, ruleset: Ruleset) -> None:
    await state.set_state(Fee.date)
    await message.answer(fee_screen(clock.today(), ruleset), reply_markup=back_to_menu_keyboard())


async def on_date(message: Message, ruleset: Ruleset) -> None:
    text = (message.text or "").strip()
    try:
        asked = parse_day(text)
    except NoSuchDay:
        await message.answer(plain(no_such_date()), reply_markup=back_to_menu_keyboard())
        return
    except ValueError:
        await message.answer(plain(_(
            "I could not read that date. Type it as DD.MM.YYYY (for example 25.11.2026) or YYYY-MM-DD."
        )), reply_markup=back_to_menu_keyboard())
        return
    try:
        quote = fee_on(asked, ruleset)
    except FeeOutOfScope:
        await message.answer(plain(_(
            "I know the fee only for dates from {start} on: type a later date."
        ).format(start=day(load_mrp_table().first_day))), reply_markup=back_to_menu_keyboard())
        return
    await message.answer("\n\n".join([quote_text(quote, asked=asked), date_prompt()]),
                         reply_markup=back_to_menu_keyboard())


def make_router() -> Router:
    router = Router(name="fee")
    router.callback_query.register(on_menu, MenuCallback.filter(F.item == "fee"))
    router.message.register(on_command, Command("fee"))
    router.message.register(on_date, StateFilter(Fee.date), is_plain_text)
    return router
