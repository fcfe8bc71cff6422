"""§9 hours in Asia/Almaty with Kazakhstan's days off (the `holidays` package), and the next opening."""

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import KZ_TZ
from bot.rules.hours import LAST_YEAR, HoursOutOfScope, day_off, next_opening, status_at

HOURS_CASES = tomllib.loads((Path(__file__).parent / "cases" / "hours.toml").read_text(encoding="utf-8"))[
    "case"
]


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=KZ_TZ)


@pytest.mark.parametrize("case", HOURS_CASES, ids=[f"{c['at']} {c['why']}" for c in HOURS_CASES])
def test_status(case):
    assert set(case) <= {"at", "open", "reason", "next_open", "why"}
    status = status_at(at(case["at"]))
    assert (status.open, status.reason) == (case["open"], case["reason"])
    assert status.next_open == (at(case["next_open"]) if "next_open" in case else None)
    assert status.at.tzinfo is KZ_TZ


def test_holiday_name_comes_in_kazakh():
    assert status_at(at("2026-12-16T10:00")).holiday_name == "Тәуелсіздік күні"
    assert day_off(at("2026-03-23T10:00").date()) == ("holiday", "Наурыз мейрамы")


def test_open_status_says_when_it_closes():
    assert status_at(at("2026-11-25T10:00")).closes_at == at("2026-11-25T13:00")
    assert status_at(at("2026-11-28T10:00")).closes_at == at("2026-11-28T13:00")


def test_aware_moments_are_converted_and_naive_ones_read_as_almaty():
    utc = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # 09:00 in Almaty (UTC+5)
    assert status_at(utc).open and status_at(utc).at == at("2026-11-25T09:00")
    assert status_at(datetime(2026, 11, 25, 8, 0)).reason == "before_opening"


def test_utc_plus_six_before_march_2024():
    utc = datetime(2024, 2, 28, 3, 0, tzinfo=UTC)  # 09:00 in Almaty then (UTC+6)
    assert status_at(utc).open


def test_next_opening_is_strictly_after_and_always_found_within_a_year():
    moment = at("2026-01-01T00:00")
    for _ in range(120):
        opening = next_opening(moment)
        assert opening is not None and opening > moment and status_at(opening).open
        moment = opening + timedelta(hours=5)


@pytest.mark.parametrize("moment", ["2013-01-20T10:00", "1990-05-01T10:00", f"{LAST_YEAR + 1}-01-05T10:00"])
def test_out_of_scope_moments_are_refused(moment):
    with pytest.raises(HoursOutOfScope, match="out of scope"):
        status_at(at(moment))


def test_scope_edges_are_answered():
    assert status_at(at("2013-01-21T10:00")).open  # the ruleset's first day, a Monday
    assert status_at(at(f"{LAST_YEAR}-12-31T19:00")).next_open is not None


@pytest.mark.parametrize("language", ["kk", "en_US", "ru"])
def test_the_calendar_loaded_alone_is_the_packages_calendar_of_kazakhstan(language):
    import holidays

    from bot.rules.hours import KAZAKHSTAN

    for year in range(2011, 2031):
        assert dict(KAZAKHSTAN(years=year, language=language)) == \
            dict(holidays.country_holidays("KZ", years=year, language=language)), year


def test_the_hours_do_not_load_every_countrys_calendar():
    """The holidays package's `countries` imports ~300 modules (~7 MB) for the one calendar needed."""
    import subprocess
    import sys

    code = ("import sys, bot.rules.hours as h; h.status_at(h.datetime(2026, 1, 2, 10, tzinfo=h.KZ_TZ)); "
            "print(sum(m.startswith('holidays.countries') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "0"
