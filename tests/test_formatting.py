"""Babel formatting per the user's locale: money, dates, distances, times, and safe message splitting."""

from datetime import date, datetime

import pytest

from bot.clock import KZ_TZ
from bot.formatting import babel_locale, clock, day, distance, money, split_text, weekday_time


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_money_is_whole_tenge_with_the_sign(locale):
    assert plain(money(4325, locale)) == "4 325 ₸"
    assert plain(money(2778, locale)) == "2 778 ₸"


def test_babel_locales_are_the_kazakhstan_ones():
    assert babel_locale("kk") == "kk_KZ"
    assert babel_locale("ru") == "ru_KZ"
    assert babel_locale("en") == "kk_KZ"


def test_dates_read_day_month_year():
    assert day(date(2026, 11, 25), "kk") == "25 қараша 2026 ж."
    assert day(date(2026, 11, 25), "ru") == "25 ноября 2026 г."


def test_distances_are_rounded_like_speech():
    assert distance(2.44, "kk") == "2,4 км"
    assert distance(2.44, "ru") == "2,4 км"
    assert distance(0.347, "ru") == "350 м"
    assert distance(0.001, "ru") == "10 м"
    assert plain(distance(1234.4, "kk")) == "1 234 км"
    assert distance(38.6, "ru") == "39 км"


def test_times_and_opening_moments():
    moment = datetime(2026, 11, 30, 9, 0, tzinfo=KZ_TZ)
    assert clock(moment, "kk") == "09:00"
    assert weekday_time(moment, "kk") == "дүйсенбі, 30 қараша, 09:00"
    assert weekday_time(moment, "ru") == "понедельник, 30 ноября, 09:00"


def test_locale_defaults_to_the_i18n_context(tmp_path):
    from aiogram.utils.i18n import I18n

    i18n = I18n(path=tmp_path, default_locale="kk")
    with i18n.context(), i18n.use_locale("ru"):
        assert day(date(2026, 1, 1)) == "1 января 2026 г."
    with i18n.context(), i18n.use_locale("kk"):
        assert day(date(2026, 1, 1)) == "1 қаңтар 2026 ж."


def test_short_text_is_one_part():
    assert split_text("hello") == ["hello"]


def test_split_keeps_paragraphs_whole_and_within_the_limit():
    paragraphs = [f"<b>{i}</b> " + "x" * 50 for i in range(200)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text, limit=4096)
    assert len(parts) > 1
    assert all(len(part) <= 4096 for part in parts)
    assert "\n\n".join(parts) == text
    for part in parts:
        assert part.count("<b>") == part.count("</b>")


def test_split_cuts_a_giant_line_at_spaces():
    text = " ".join(["word"] * 3000)
    parts = split_text(text, limit=100)
    assert all(len(part) <= 100 for part in parts)
    assert " ".join(parts).split() == text.split()


def test_pick_reads_the_readers_language_and_falls_back():
    from bot.formatting import pick

    assert pick({"kk": "сәлем", "ru": "привет"}, "ru") == "привет"
    assert pick({"kk": "сәлем", "ru": "привет"}, "kk") == "сәлем"
    assert pick({"kk": "сәлем"}, "ru") == "сәлем"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("25.11.2026", date(2026, 11, 25)), ("1.4.2020", date(2020, 4, 1)), ("2022-01-01", date(2022, 1, 1)),
     (" 31/12/2021 ", date(2021, 12, 31)), ("2020.04.01", date(2020, 4, 1))],
)
def test_parse_day_reads_the_usual_spellings(text, expected):
    from bot.formatting import parse_day

    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["30.02.2026", "2026-13-01", "tomorrow", "", "25.11.26", "12345"])
def test_parse_day_rejects_impossible_or_unreadable(text):
    from bot.formatting import parse_day

    with pytest.raises(ValueError):
        parse_day(text)


def test_percent_per_locale():
    from bot.formatting import percent

    assert percent(100, "kk") == "100%"
    assert plain(percent(100, "ru")) == "100 %"
