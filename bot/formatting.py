"""Money, dates, distances and times written the way a Kazakh or a Russian reader expects (Babel).

The bot speaks kk and ru; Babel's kk_KZ and ru_KZ locales give "4 325 ₸" (not "KZT", which ru_RU
would show) and Kazakh month names. The gettext locale of the current update ("kk" or "ru") is read
from aiogram's i18n context when the caller does not name one, so handlers just call `money(fee)`.
This module has no other aiogram dependency and nothing here translates sentences: that is gettext's job.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_datetime, format_time, get_date_format
from babel.numbers import format_currency, format_percent
from babel.units import format_unit

BABEL_LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ"}
FALLBACK_LOCALE = "kk"

WEEKDAY_PATTERN = "EEEE, d MMMM, HH:mm"
MONEY_PATTERN = "#,##0 ¤"
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_YMD = re.compile(r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})$")


def current_locale() -> str:
    """The gettext locale of the update being handled ("kk" or "ru"), or the fallback outside one."""
    try:
        from aiogram.utils.i18n import get_i18n

        code = get_i18n().current_locale
    except LookupError:
        return FALLBACK_LOCALE
    return code if code in BABEL_LOCALES else FALLBACK_LOCALE


def _lang(locale: str | None) -> str:
    code = (locale or current_locale()).split("_")[0]
    return code if code in BABEL_LOCALES else FALLBACK_LOCALE


def babel_locale(locale: str | None = None) -> str:
    """The Babel locale for a gettext locale: kk → kk_KZ, ru → ru_KZ."""
    return BABEL_LOCALES[_lang(locale)]


def money(amount_kzt: int, locale: str | None = None) -> str:
    """Whole tenge with grouped thousands: "4 325 ₸" (Babel groups with a no-break space)."""
    return format_currency(
        amount_kzt, "KZT", format=MONEY_PATTERN, currency_digits=False, locale=babel_locale(locale)
    )


def percent(value: int, locale: str | None = None) -> str:
    """A whole percentage written per locale: "100%" (kk), "100 %" (ru)."""
    return format_percent(value / 100, locale=babel_locale(locale))


def day(value: date, locale: str | None = None) -> str:
    """A calendar date: "25 қараша 2026 ж." / "25 ноября 2026 г."."""
    loc = babel_locale(locale)
    return format_date(value, _day_pattern(loc), locale=loc)


@lru_cache(maxsize=4)
def _day_pattern(locale: str) -> str:
    """Babel's long date, with the year moved last where CLDR puts it first (kk: "y 'ж'. d MMMM").

    CLDR's narrow no-break space before the year word becomes a plain space: the texts people copy
    from the bot into a search box or a letter should not carry invisible characters.
    """
    pattern = get_date_format("long", locale=locale).pattern.replace("\u202f", " ")
    if pattern.startswith("y") and " d " in pattern:
        year, _sep, rest = pattern.partition(" d ")
        pattern = f"d {rest} {year}"
    return pattern


def clock(value: datetime, locale: str | None = None) -> str:
    """A time of day, 24-hour: "14:30"."""
    return format_time(value, "HH:mm", locale=babel_locale(locale))


def weekday_time(value: datetime, locale: str | None = None) -> str:
    """A moment within the coming days, as said for an opening time: "дүйсенбі, 30 қараша, 09:00"."""
    return format_datetime(value, WEEKDAY_PATTERN, tzinfo=value.tzinfo, locale=babel_locale(locale))


def distance(km: float, locale: str | None = None) -> str:
    """A distance rounded as a person would say it: "350 м", "2,4 км", "38 км"."""
    loc = babel_locale(locale)
    if km < 1:
        metres = max(10, round(km * 100) * 10)
        return format_unit(metres, "length-meter", "short", format="#,##0", locale=loc)
    if km < 10:
        return format_unit(round(km, 1), "length-kilometer", "short", format="#,##0.0", locale=loc)
    return format_unit(round(km), "length-kilometer", "short", format="#,##0", locale=loc)


def split_text(text: str, limit: int = 4096) -> list[str]:
    """Cut a message into parts of at most `limit` characters (Telegram's cap on a message).

    Cuts fall between paragraphs, else between lines, so HTML tags (which never span a line in our
    texts) stay balanced; only a single line longer than the limit is cut inside, at a space.
    """
    parts: list[str] = []
    current = ""
    for block in _blocks(text, limit):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        current = block
    if current:
        parts.append(current)
    return parts


def _blocks(text: str, limit: int) -> list[str]:
    blocks: list[str] = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            blocks.append(paragraph)
            continue
        piece = ""
        for line in _short_lines(paragraph.split("\n"), limit):
            candidate = f"{piece}\n{line}" if piece else line
            if len(candidate) <= limit:
                piece = candidate
            else:
                blocks.append(piece)
                piece = line
        if piece:
            blocks.append(piece)
    return blocks


def _short_lines(lines: list[str], limit: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        out.append(line)
    return out


def pick(texts: dict[str, str], locale: str | None = None) -> str:
    """The reader's language from a data text `{"kk": ..., "ru": ...}` (rulesets and offices hold these)."""
    lang = _lang(locale)
    return texts.get(lang) or texts.get(FALLBACK_LOCALE) or next(iter(texts.values()), "")


class NoSuchDay(ValueError):
    """Written like a date but not one on the calendar (31.02.2024): the reader needs another answer
    than for text that is not a date at all, so callers catch this before ValueError."""


def parse_day(text: str) -> date:
    """A date as people type it here: 25.11.2026 (also with / or -) or 2026-11-25; ValueError otherwise.

    The inverse of `day` for input: an impossible date such as 30.02.2026 is `NoSuchDay` (a ValueError).
    """
    value = text.strip()
    if match := _DMY.match(value):
        d, m, y = (int(g) for g in match.groups())
    elif match := _YMD.match(value):
        y, m, d = (int(g) for g in match.groups())
    else:
        raise ValueError(f"not a date: {text!r}")
    try:
        return date(y, m, d)
    except ValueError:
        raise NoSuchDay(f"no such date: {value}") from None
