"""After the documents are accepted: when the decision is due (§7.1), when to remind, when to ask.

§14: the talon of Appendix 2 bears the day the documents were accepted. §7.1(a): the decision comes
within 30 calendar days (the ruleset's `terms.decision_days`) from the moment the §11 documents were
handed in, so a term that starts during day D ends with day D + 30: the acceptance day itself is not
one of the 30. The days are calendar days and §7 says nothing of a last day that falls on a day off,
so the due day is never moved (the general rule that moves the end of a term to the next working day
is not in the seed and is not applied).

The reminder (§15: the decision is told by phone or in person) goes out on the last day on or before
the due day when the office works (§9), so the citizen can still call within the term; the questions
about the term come after it. Pure: the calendar comes from bot.rules.hours, the term from the ruleset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.rules.hours import SEARCH_DAYS, schedule_on
from bot.rules.ruleset import Ruleset, load_ruleset
from bot.visits.survey import Survey, load_survey

# A talon older than this is most likely a mistyped year, and there is nothing left to remind about:
# the project's bound, not the standard's.
MAX_AGE_DAYS = 365
# A visit record is deleted this many days after its due day (the project's choice, data minimisation):
# by then the reminder is sent and the survey over (its last question comes the day after the due day
# and stays open the survey's open_days), and the citizen has had three months to look up the day on
# the talon, say for a complaint about a late decision. Never longer than a complaint is kept.
KEEP_DAYS_AFTER_DUE = 90


class AcceptanceProblem(StrEnum):
    """Why a recorded acceptance day is refused; the dialogue phrases the code for the citizen.

    day_off alone may be confirmed: offices do not accept on days off (§9), so it is most likely a
    typo, but a day the calendar does not know (a local decree) must not lock the citizen out.
    """

    FUTURE = "future"
    TOO_OLD = "too_old"
    DAY_OFF = "day_off"

    @property
    def confirmable(self) -> bool:
        return self is AcceptanceProblem.DAY_OFF


@dataclass(frozen=True)
class Ask:
    """Survey questions asked together on one day."""

    day: date
    questions: tuple[str, ...]


@dataclass(frozen=True)
class VisitPlan:
    accepted_on: date
    due_on: date
    remind_on: date
    asks: tuple[Ask, ...]  # by day
    closes_on: date  # the survey is over from this day, finished or not (the survey's open_days)


def check_accepted_on(day: date, today: date, ruleset: Ruleset | None = None) -> AcceptanceProblem | None:
    """None when `day` can be the day on a talon issued by `today` (Kazakhstan's date, bot.clock)."""
    if day > today:
        return AcceptanceProblem.FUTURE
    if day < today - timedelta(days=MAX_AGE_DAYS):
        return AcceptanceProblem.TOO_OLD
    if schedule_on(day, ruleset or load_ruleset()) is None:
        return AcceptanceProblem.DAY_OFF
    return None


def decision_due(accepted_on: date, ruleset: Ruleset | None = None) -> date:
    """The last day of the §7.1 term: calendar days after the acceptance day, never moved."""
    return accepted_on + timedelta(days=(ruleset or load_ruleset()).terms.decision_days)


def keep_days(complaint_retention_days: int) -> int:
    """Days a record is kept after its due day: KEEP_DAYS_AFTER_DUE, or the complaints' retention when
    that is shorter."""
    return min(KEEP_DAYS_AFTER_DUE, complaint_retention_days)


def purge_due_before(today: date, complaint_retention_days: int) -> date:
    """Records whose due day is before this day are deleted."""
    return today - timedelta(days=keep_days(complaint_retention_days))


def reminder_day(due_on: date, ruleset: Ruleset | None = None) -> date:
    """The last day on or before `due_on` when the office works; the due day itself when none is near."""
    ruleset = ruleset or load_ruleset()
    for back in range(SEARCH_DAYS + 1):
        day = due_on - timedelta(days=back)
        if schedule_on(day, ruleset) is not None:
            return day
    return due_on


def plan_visit(
    accepted_on: date, *, survey: Survey | None = None, ruleset: Ruleset | None = None
) -> VisitPlan:
    """The due day, the reminder day, the days each survey question is asked (`after` in the survey) and
    the day the survey is over even if unfinished (`open_days` after its last question's day)."""
    ruleset = ruleset or load_ruleset()
    survey = survey or load_survey()
    due_on = decision_due(accepted_on, ruleset)
    anchors = {"accepted": accepted_on, "due": due_on}
    by_day: dict[date, list[str]] = {}
    for q in survey.questions:
        by_day.setdefault(anchors[q.anchor] + timedelta(days=q.days_after), []).append(q.id)
    asks = tuple(Ask(day, tuple(ids)) for day, ids in sorted(by_day.items()))
    closes_on = asks[-1].day + timedelta(days=survey.open_days)
    return VisitPlan(accepted_on, due_on, reminder_day(due_on, ruleset), asks, closes_on)
