"""/stats: the quality indicators of Appendix 3 (§18) for staff, and a chart of satisfaction by month.

Office staff see their offices, supervisors their department, admins the whole country; this year or
last (buttons). Grants are read from the database on every update and every press (a button proves
nothing); anyone without a grant is not answered here at all, so /stats and a forged press reach the
fallback like any unknown command or old button, and nothing says the command exists. A share over
too few answers is shown as such, never as a number; a value nobody has is "no data".
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

from aiogram import Router
from aiogram.filters import BaseFilter, Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.formatting import Bold, Text
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.dates import get_month_names
from babel.numbers import format_percent

from bot import clock
from bot.complaints import Grant
from bot.formatting import babel_locale, day, pick
from bot.offices.directory import load_directory
from bot.offices.scope import load_scope
from bot.storage import surveys
from bot.storage.database import Database
from bot.telegram.charts import Line, MonthlyChart, draw_monthly
from bot.telegram.markup import lines, plain
from bot.telegram.screen import replace_or_send
from bot.visits.indicators import MonthPoint, RowValue, Scope, load_indicators

BUTTON_MAX = 60  # characters of an office's name on a button


class StatsView(CallbackData, prefix="stats"):
    """Which table: k "all" (the country), "d" (a department) or "o" (an office), its id, the year."""

    k: str
    i: str = ""
    y: int


class StaffOnly(BaseFilter):
    """Passes a member with any grant, handing the views their grants allow to the handler."""

    async def __call__(self, event: Message | CallbackQuery, db: Database) -> bool | dict[str, Any]:
        grants = [Grant(role, scope) for role, scope in await db.staff.grants(event.from_user.id)]
        views = views_of(grants)
        return {"views": views} if views else False


def views_of(grants: list[Grant]) -> list[tuple[str, str]]:
    """(kind, id) of every table a member may see, widest first."""
    views = [("all", "")] if any(g.role == "admin" for g in grants) else []
    views += [("d", g.scope) for g in grants if g.role == "department_supervisor"]
    views += [("o", g.scope) for g in grants if g.role == "office_staff"]
    return list(dict.fromkeys(views))


def _scope(kind: str, ident: str, year: int, today: date) -> Scope:
    last = min(date(year, 12, 31), today)
    return Scope(ident if kind == "o" else None, ident if kind == "d" else None, date(year, 1, 1), last)


def _place(kind: str, ident: str) -> str:
    if kind == "all":
        return _("All offices of Kazakhstan")
    office = load_directory().get(ident)
    return pick(office.name) if office is not None else ident


def _percent(value: float) -> str:
    """One decimal at most, as the reader writes it: "66,7 %" (ru), "66,7%" (kk), "80 %"."""
    return format_percent(Decimal(str(value)) / 100, locale=babel_locale(), decimal_quantization=False)


def _value_line(row: RowValue, min_responses: int) -> str:
    """The row's value in words: a share with its answers, too few to show, or no data."""
    n = row.responses
    if row.id == "4.1":
        if not n:
            return _("no data: the number of citizens served has not been entered")
        if row.too_few:
            return _("too few citizens served to show ({count})").format(count=n)
        return ngettext("{value} ({count} citizen served)", "{value} ({count} citizens served)", n).format(
            value=_percent(row.value_percent), count=n)
    if row.too_few:
        return _("too few answers to show: {count} (at least {least} needed)").format(
            count=n, least=min_responses)
    if row.value_percent is None:
        return _("no data")
    if n is None:
        return _percent(row.value_percent)
    return ngettext("{value} ({count} answer)", "{value} ({count} answers)", n).format(
        value=_percent(row.value_percent), count=n)


def _goal(value: float | None) -> str:
    return _("no data") if value is None else _percent(value)


def table_text(rows: list[RowValue], place: str, first: date, last: date) -> str:
    min_responses = load_indicators().min_responses
    heading = _("Quality indicators (Appendix 3)")
    shown: list[Text | str] = [Bold(heading), f"{place}: {day(first)} – {day(last)}"]
    for row in rows:
        shown += [
            "",
            Text(Bold(row.id), " ", pick(row.title.as_dict())),
            _("Value: {value}").format(value=_value_line(row, min_responses)),
            _("Normative: {normative} · target for next year: {target}").format(
                normative=_goal(row.normative), target=_goal(row.target_next_year)),
        ]
    shown += ["", _("A satisfied answer is 4 or 5 out of 5. A share over fewer than {least} answers "
                    "is not shown, so that nobody can be recognised by their answer.")
              .format(least=min_responses)]
    return lines(*shown).as_html()


def keyboard(views: list[tuple[str, str]], kind: str, ident: str, year: int,
             today: date) -> InlineKeyboardMarkup:
    """The two years side by side, then one row per place the reader may see (the shown one marked)."""
    builder = InlineKeyboardBuilder()
    for y in (today.year, today.year - 1):
        label = _("This year ({year})") if y == today.year else _("Last year ({year})")
        builder.button(text=_marked(y == year, label.format(year=y)),
                       callback_data=StatsView(k=kind, i=ident, y=y))
    if len(views) > 1:
        for k, i in views:
            label = _place(k, i)
            label = label if len(label) <= BUTTON_MAX else label[:BUTTON_MAX - 1] + "…"
            builder.button(text=_marked((k, i) == (kind, ident), label),
                           callback_data=StatsView(k=k, i=i, y=year))
    return builder.adjust(2, 1).as_markup()


def _marked(shown: bool, label: str) -> str:
    return "• " + label if shown else label


def chart_of(series: dict[str, list[MonthPoint]], place: str, year: int) -> MonthlyChart | None:
    """The satisfaction rows by month; None when no month has enough answers to draw."""
    indicators = load_indicators()
    if not any(p.value_percent is not None for points in series.values() for p in points):
        return None
    names = get_month_names("abbreviated", context="stand-alone", locale=babel_locale())
    months = [names[p.month.month] for p in next(iter(series.values()))]
    lines = [Line(f"{row_id} {pick(indicators.row(row_id).group.as_dict())}",
                  [p.value_percent for p in points]) for row_id, points in series.items()]
    return MonthlyChart(
        title=_("Satisfied citizens by month, %"),
        subtitle=f"{place}, {year}",
        months=months, lines=lines, y_label="%",
        footnote=_("A month with fewer than {least} answers to a question is left out.").format(
            least=indicators.min_responses),
    )


async def show(target: Message | CallbackQuery, db: Database, views: list[tuple[str, str]],
               kind: str, ident: str, year: int) -> None:
    """The table (a new message, or the pressed one edited), then the chart as a new photo."""
    today = clock.today()
    scope = _scope(kind, ident, year, today)
    place = _place(kind, ident)
    rows = await surveys.indicators(db, scope, load_scope().department_of)
    text = table_text(rows, place, scope.date_from, scope.date_to)
    markup = keyboard(views, kind, ident, year, today)
    if isinstance(target, Message):
        await target.answer(text, reply_markup=markup)
        chat_id = target.chat.id
    else:
        await replace_or_send(target, text, markup)
        chat_id = target.from_user.id
    chart = chart_of(await surveys.satisfaction_by_month(db, scope), place, year)
    bot = target.bot
    if chart is None:
        await bot.send_message(chat_id, plain(_("No month has enough answers for a chart yet.")))
        return
    png = await asyncio.to_thread(draw_monthly, chart)
    caption = _("The share of satisfied answers (4 or 5) by month: {place}, {year}.").format(
        place=place, year=year)
    photo = BufferedInputFile(png, filename=f"stats-{year}.png")
    await bot.send_photo(chat_id, photo, caption=plain(caption))


async def on_stats(message: Message, db: Database, views: list[tuple[str, str]]) -> None:
    kind, ident = views[0]
    await show(message, db, views, kind, ident, clock.today().year)


async def on_view(callback: CallbackQuery, callback_data: StatsView, db: Database,
                  views: list[tuple[str, str]]) -> None:
    """A press names a table and a year: shown only if the member's grants still allow that table
    (else their widest one) and the year is this or last."""
    kind, ident = (callback_data.k, callback_data.i)
    if (kind, ident) not in views:
        kind, ident = views[0]
    this_year = clock.today().year
    year = callback_data.y if callback_data.y in (this_year, this_year - 1) else this_year
    await show(callback, db, views, kind, ident, year)


def make_router() -> Router:
    router = Router(name="stats")
    router.message.register(on_stats, Command("stats"), StaffOnly())
    router.callback_query.register(on_view, StatsView.filter(), StaffOnly())
    return router
