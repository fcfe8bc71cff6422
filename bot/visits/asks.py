"""Which survey question a visit is owed on a day, and when it is complete or over (pure).

A question is asked once: on its day (bot.visits.due.plan_visit), if its condition holds on the
answers so far, and never again once sent, answered or skipped. A batch asked on one day is one
message: its first question is sent, the rest follow it one tap at a time (never in a message of
their own, even when the first was left unanswered). A survey not finished is over on the plan's
`closes_on`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from bot.visits.due import VisitPlan
from bot.visits.survey import Survey, SurveyQuestion, survey_graph


def ask_days(plan: VisitPlan) -> dict[str, date]:
    return {question_id: ask.day for ask in plan.asks for question_id in ask.questions}


def owed(survey: Survey, plan: VisitPlan, answers: Mapping[str, Any], sent: Collection[str],
         today: date) -> SurveyQuestion | None:
    """The first question whose day has come, that matters, was neither sent nor answered, and whose
    day's batch was not begun (the rest of a batch follows the tap on its first question)."""
    days = ask_days(plan)
    begun = {ask.day for ask in plan.asks if any(question_id in sent for question_id in ask.questions)}
    relevant = survey_graph(survey).walk(answers).relevant
    for q in survey.questions:
        if q.id in answers or q.id in sent or days[q.id] > today or days[q.id] in begun:
            continue
        if survey.ask_when(q.id).holds(relevant):
            return q
    return None


def follows(survey: Survey, plan: VisitPlan, answers: Mapping[str, Any], sent: Collection[str],
            today: date) -> SurveyQuestion | None:
    """After a tap: the next question of the graph, if its day has come and it was not sent apart."""
    question = survey_graph(survey).walk(answers).next
    if question is None or question.id in sent or ask_days(plan)[question.id] > today:
        return None
    return question


def next_ask_on(plan: VisitPlan, answers: Mapping[str, Any], sent: Collection[str], *, after: date
                ) -> date | None:
    """The next day after `after` on which a question neither sent nor answered is due: when the
    scheduler looks at the visit again (None: nothing left). A question of a day already passed comes
    after the tap on the one sent that day, not in a message of its own."""
    days = [day for question_id, day in ask_days(plan).items()
            if question_id not in answers and question_id not in sent and day > after]
    return min(days, default=None)


def next_look_on(plan: VisitPlan, answers: Mapping[str, Any], sent: Collection[str], *, after: date
                 ) -> date:
    """When the scheduler looks at an open survey again: the next day a question is due, else the day
    the survey is over unfinished."""
    return next_ask_on(plan, answers, sent, after=after) or plan.closes_on


def complete(survey: Survey, answers: Mapping[str, Any]) -> bool:
    """Every question that matters is answered or skipped, or the last one is: the survey is over."""
    return survey_graph(survey).walk(answers).next is None or survey.questions[-1].id in answers
