"""§9 hours in Asia/Almaty with Kazakhstan's days off (the `holidays` package), and the next opening."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import KZ_TZ
from bot.hours import LAST_YEAR, HoursOutOfScope, day_off, next_opening, status_at


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=KZ_TZ)


@pytest.mark.parametrize(
    ("moment", "is_open", "reason", "next_open"),
    [
        ("2026-11-25T08:59", False, "before_opening", "2026-11-25T09:00"),
        ("2026-11-25T09:00", True, "open", None),
        ("2026-11-25T12:59", True, "open", None),
        ("2026-11-25T13:00", False, "lunch_break", "2026-11-25T14:30"),
        ("2026-11-25T14:29", False, "lunch_break", "2026-11-25T14:30"),
        ("2026-11-25T14:30", True, "open", None),
        ("2026-11-25T17:59", True, "open", None),
        ("2026-11-25T18:00", False, "after_closing", "2026-11-26T09:00"),
        ("2026-11-27T18:30", False, "after_closing", "2026-11-28T09:00"),  # Friday evening → Saturday
        ("2026-11-28T12:00", True, "open", None),  # Saturday morning, no lunch break
        ("2026-11-28T13:00", False, "after_closing", "2026-11-30T09:00"),  # Saturday closes at 13:00
        ("2026-11-29T10:00", False, "sunday", "2026-11-30T09:00"),
        ("2026-12-16T10:00", False, "holiday", "2026-12-17T09:00"),  # Independence Day
        ("2026-03-20T18:30", False, "after_closing", "2026-03-26T09:00"),  # across the Nauryz days off
        ("2025-03-08T10:00", False, "holiday", "2025-03-11T09:00"),  # a Saturday holiday, then its Monday off
        ("2024-05-04T15:00", True, "open", None),  # a Saturday made a working day keeps weekday hours
        ("2025-01-05T16:00", True, "open", None),  # a Sunday made a working day
        ("2025-01-03T10:00", False, "holiday", "2025-01-04T09:00"),  # the day off moved from 5 January
    ],
)
def test_status(moment, is_open, reason, next_open):
    status = status_at(at(moment))
    assert (status.open, status.reason) == (is_open, reason)
    assert status.next_open == (at(next_open) if next_open else None)
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
