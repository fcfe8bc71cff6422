"""Is the office open at a given moment (§9), and when does it open next?

The hours come from the ruleset; the days off from the `holidays` package (country KZ), which also
knows the weekend days the government turned into working days by decree (`weekend_workdays`). Such a
day keeps the hours of the weekday the ruleset names (`transferred_working_day_as`): the decree moves a
whole working day there, not a short Saturday. All times are Asia/Almaty.

A holiday's name comes in Kazakh from the package, and in Russian from bot.rules.holiday_names (the package
has no Russian): the office card names the day in the reader's language.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

import holidays

from bot.clock import KZ_TZ
from bot.rules.holiday_names import load_holiday_names
from bot.rules.ruleset import DaySchedule, Ruleset, load_ruleset

SEARCH_DAYS = 60  # the longest run of days off in Kazakhstan is well under a week; this is a safety bound


def _kazakhstan() -> type[holidays.HolidayBase]:
    """The holidays package's calendar of Kazakhstan, loaded on its own.

    `holidays.country_holidays` imports the package's `countries`, which imports the module of every
    country it knows (about 300 modules, ~7 MB resident) for the one the bot needs. The Kazakhstan module
    imports only the package's shared parts, so it is loaded from its file; should a release move it,
    this falls back to the package's own way (the same calendar, more memory). tests/test_hours.py checks
    that both give the same days and names."""
    path = Path(holidays.__file__).parent / "countries" / "kazakhstan.py"
    spec = importlib.util.spec_from_file_location("bot.rules._kazakhstan_holidays", path)
    if not path.is_file() or spec is None or spec.loader is None:
        return type(holidays.country_holidays("KZ"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Kazakhstan


KAZAKHSTAN = _kazakhstan()
LAST_YEAR = KAZAKHSTAN.end_year - 1  # next_open may look into the year after


class HoursOutOfScope(ValueError):
    """The moment is before the ruleset's hours apply or past the years the holiday calendar covers."""


@dataclass(frozen=True)
class HoursStatus:
    """`reason`: open | lunch_break | before_opening | after_closing | sunday | holiday | day_off.

    day_off: a weekday the ruleset gives no hours (none in the current ruleset: it names six days).
    `holiday_name` is Kazakh, `holiday_name_ru` Russian (None when the Russian table lacks the name).
    """

    at: datetime
    open: bool
    reason: str
    holiday_name: str | None
    next_open: datetime | None
    closes_at: datetime | None
    holiday_name_ru: str | None = None

    def holiday_name_in(self, locale: str) -> str | None:
        """The holiday's name in "kk" or "ru"; None when there is none in that language."""
        return self.holiday_name_ru if locale == "ru" else self.holiday_name


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    """One year of KZ days off, names in Kazakh (the package's default language for KZ)."""
    return KAZAKHSTAN(years=year, language="kk")


@lru_cache(maxsize=64)
def _english_calendar(year: int) -> holidays.HolidayBase:
    """The same days in the package's en_US names: the keys of the Russian table."""
    return KAZAKHSTAN(years=year, language="en_US")


def russian_holiday_name(day: date) -> str | None:
    """The Russian name of the holiday on `day` (names joined like day_off's), None if any is unknown."""
    table = load_holiday_names()
    names = [table.russian(name) for name in _english_calendar(day.year).get_list(day)]
    if not names or None in names:
        return None
    return "; ".join(names)


def day_off(day: date) -> tuple[str | None, str | None]:
    """(reason, holiday name) when the office is shut all day for the calendar, else (None, None)."""
    cal = _calendar(day.year)
    if day in cal.weekend_workdays:
        return None, None
    if day in cal:
        return "holiday", "; ".join(cal.get_list(day))
    if day.weekday() == 6:
        return "sunday", None
    return None, None


def schedule_on(day: date, ruleset: Ruleset) -> DaySchedule | None:
    """The hours that apply on `day`, or None when the office is closed all day."""
    if day_off(day)[0] is not None:
        return None
    weekday = day.weekday()
    if day in _calendar(day.year).weekend_workdays:
        weekday = ruleset.hours.transferred_working_day_as
    return ruleset.hours.schedule_for(weekday)


def _intervals(day: date, ruleset: Ruleset) -> list[tuple[datetime, datetime]]:
    schedule = schedule_on(day, ruleset)
    if schedule is None:
        return []
    return [(_at(day, a), _at(day, b)) for a, b in schedule.intervals()]


def _at(day: date, t: time) -> datetime:
    return datetime.combine(day, t, tzinfo=KZ_TZ)


def _local(moment: datetime) -> datetime:
    """A naive moment is read as Almaty local time; an aware one is converted to it."""
    return moment.replace(tzinfo=KZ_TZ) if moment.tzinfo is None else moment.astimezone(KZ_TZ)


def next_opening(moment: datetime, ruleset: Ruleset | None = None) -> datetime | None:
    """The first opening strictly after `moment`, across holidays; None past the search bound."""
    ruleset = ruleset or load_ruleset()
    moment = _local(moment)
    for offset in range(SEARCH_DAYS + 1):
        for start, _end in _intervals(moment.date() + timedelta(days=offset), ruleset):
            if start > moment:
                return start
    return None


def check_scope(day: date, ruleset: Ruleset) -> None:
    """The §9 hours speak from the ruleset's start; the KZ calendar is known up to its last year."""
    if day < ruleset.valid_from or day.year > LAST_YEAR:
        raise HoursOutOfScope(
            f"{day.isoformat()} is out of scope: hours are known from {ruleset.valid_from.isoformat()} "
            f"to the end of {LAST_YEAR}"
        )


def status_at(moment: datetime, ruleset: Ruleset | None = None) -> HoursStatus:
    """Open or closed at `moment`, why, and (when closed) the next opening."""
    ruleset = ruleset or load_ruleset()
    at = _local(moment)
    check_scope(at.date(), ruleset)
    reason, name = day_off(at.date())
    intervals = _intervals(at.date(), ruleset)
    if reason is None and not intervals:
        reason = "sunday" if at.weekday() == 6 else "day_off"
    if reason is None:
        for start, end in intervals:
            if start <= at < end:
                return HoursStatus(at, True, "open", None, None, end, None)
        if at < intervals[0][0]:
            reason = "before_opening"
        elif at >= intervals[-1][1]:
            reason = "after_closing"
        else:
            reason = "lunch_break"
    name_ru = russian_holiday_name(at.date()) if name else None
    return HoursStatus(at, False, reason, name, next_opening(at, ruleset), None, name_ru)
