"""After the documents are accepted: the §7.1 due day, the reminder day (§9, §15), the survey days and
the check of the acceptance day a citizen records from the talon (§14)."""

import tomllib
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.rules.hours import schedule_on
from bot.rules.ruleset import load_ruleset
from bot.visits.due import (
    MAX_AGE_DAYS,
    AcceptanceProblem,
    Ask,
    check_accepted_on,
    decision_due,
    plan_visit,
    purge_due_before,
    reminder_day,
)
from bot.visits.survey import SURVEY_DIR, load_survey, parse_survey

FIRST_BATCH = ("quality", "information", "courtesy")


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        (date(2024, 3, 4), date(2024, 4, 3)),  # the acceptance day is not one of the 30
        (date(2013, 1, 31), date(2013, 3, 2)),  # February of 28 days
        (date(2016, 1, 31), date(2016, 3, 1)),  # leap year: 29 February is a calendar day too
        (date(2024, 2, 15), date(2024, 3, 16)),
        (date(2013, 12, 10), date(2014, 1, 9)),  # across the new year and its holidays
        (date(2024, 2, 7), date(2024, 3, 8)),  # 8 March is a holiday: §7 does not move the day
        (date(2024, 2, 21), date(2024, 3, 22)),  # Nauryz: not moved either
    ],
)
def test_decision_due_counts_30_calendar_days_after_the_acceptance_day(accepted, due):
    assert decision_due(accepted) == due


def test_the_term_comes_from_the_ruleset_not_the_code():
    ruleset = load_ruleset()
    shorter = replace(ruleset, terms=replace(ruleset.terms, decision_days=20))
    assert decision_due(date(2024, 3, 4), shorter) == date(2024, 3, 24)


@pytest.mark.parametrize(
    ("due", "remind"),
    [
        (date(2024, 4, 3), date(2024, 4, 3)),  # a working Wednesday: the due day itself
        (date(2013, 3, 2), date(2013, 3, 2)),  # Saturday: the office works 09:00–13:00 (§9)
        (date(2015, 3, 1), date(2015, 2, 28)),  # Sunday: the Saturday before
        (date(2024, 3, 8), date(2024, 3, 7)),  # 8 March: the day before
        (date(2024, 3, 22), date(2024, 3, 20)),  # Nauryz, 21–23 March: before the holidays
        (date(2024, 12, 16), date(2024, 12, 14)),  # Independence Day on a Monday: back over Sunday
        (date(2020, 12, 20), date(2020, 12, 20)),  # a Sunday made a working day by decree
    ],
)
def test_the_reminder_falls_on_the_last_working_day_within_the_term(due, remind):
    assert reminder_day(due) == remind


def test_plan_of_a_visit_whose_term_ends_on_a_holiday():
    plan = plan_visit(date(2024, 2, 7))
    assert plan.accepted_on == date(2024, 2, 7)
    assert plan.due_on == date(2024, 3, 8)
    assert plan.remind_on == date(2024, 3, 7)
    assert plan.asks == (Ask(date(2024, 2, 8), FIRST_BATCH), Ask(date(2024, 3, 9), ("on_time",)))


def test_every_day_of_twelve_years_gives_a_consistent_plan():
    ruleset = load_ruleset()
    day = date(2013, 1, 21)
    while day <= date(2025, 11, 30):
        plan = plan_visit(day)
        assert plan.due_on - day == timedelta(days=30)
        assert day < plan.remind_on <= plan.due_on, day
        assert schedule_on(plan.remind_on, ruleset) is not None, day
        first, on_time = plan.asks
        assert first == Ask(day + timedelta(days=1), FIRST_BATCH)
        assert on_time == Ask(plan.due_on + timedelta(days=1), ("on_time",))
        assert on_time.day > plan.remind_on  # the question about the term never precedes the reminder
        day += timedelta(days=1)


def test_the_survey_file_decides_when_each_question_is_asked():
    raw = tomllib.loads((SURVEY_DIR / "after_visit.toml").read_text(encoding="utf-8"))
    raw["questions"][2]["after"] = "accepted+3d"  # courtesy
    raw["questions"][3]["after"] = "due"  # on_time on the last day of the term
    survey = parse_survey(raw, SURVEY_DIR / "after_visit.toml")
    plan = plan_visit(date(2024, 3, 4), survey=survey)
    assert plan.asks == (
        Ask(date(2024, 3, 5), ("quality", "information")),
        Ask(date(2024, 3, 7), ("courtesy",)),
        Ask(date(2024, 4, 3), ("on_time",)),
    )
    assert plan_visit(date(2024, 3, 4)).asks[-1].day == date(2024, 4, 4)  # the shipped file: due+1d
    assert load_survey().question("on_time").after == "due+1d"


TODAY = date(2024, 6, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (TODAY, None),  # accepted today
        (date(2024, 6, 8), None),  # a Saturday: offices work until 13:00 (§9)
        (TODAY - timedelta(days=MAX_AGE_DAYS), None),  # 13.06.2023, a Tuesday: the oldest day taken
        (TODAY - timedelta(days=MAX_AGE_DAYS + 1), AcceptanceProblem.TOO_OLD),
        (date(2024, 6, 13), AcceptanceProblem.FUTURE),
        (date(2025, 6, 12), AcceptanceProblem.FUTURE),
        (date(2024, 6, 9), AcceptanceProblem.DAY_OFF),  # Sunday
        (date(2024, 5, 9), AcceptanceProblem.DAY_OFF),  # Victory Day
    ],
)
def test_check_of_the_acceptance_day(day, problem):
    assert check_accepted_on(day, TODAY) == problem


def test_a_sunday_made_a_working_day_is_a_valid_acceptance_day():
    assert check_accepted_on(date(2020, 12, 20), date(2020, 12, 21)) is None
    assert check_accepted_on(date(2020, 12, 13), date(2020, 12, 21)) is AcceptanceProblem.DAY_OFF


def test_only_a_day_off_may_be_confirmed_and_codes_are_plain_strings():
    assert [p for p in AcceptanceProblem if p.confirmable] == [AcceptanceProblem.DAY_OFF]
    assert {str(p) for p in AcceptanceProblem} == {"future", "too_old", "day_off"}


def test_records_are_kept_90_days_after_the_due_day_never_longer_than_complaints():
    assert purge_due_before(date(2027, 3, 25), 1095) == date(2026, 12, 25)
    assert purge_due_before(date(2027, 3, 25), 30) == date(2027, 2, 23)


def test_the_survey_closes_open_days_after_its_last_question():
    plan = plan_visit(date(2024, 3, 4))
    assert plan.closes_on == date(2024, 4, 4) + timedelta(days=load_survey().open_days)
