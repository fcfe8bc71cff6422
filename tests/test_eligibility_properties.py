"""Property tests on random answer sets: whatever the user typed and in whatever order, the engine
never asks an answered question, never hides a ground, and keeps what still applies."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.eligibility import (
    AnswerError,
    answered_path,
    assess,
    contradicted,
    next_question,
    relevant_answers,
)
from bot.rules.fee import fee_on
from bot.rules.ruleset import load_ruleset

R = load_ruleset("kz-199-2013")
TODAY = date(2026, 11, 25)


def _value(question):
    if question.kind == "bool":
        return st.booleans()
    if question.kind == "int":
        return st.integers(question.min, question.max)
    if question.kind == "choice":
        return st.sampled_from(question.option_values())
    return st.dates(R.valid_from, date(2028, 12, 31))


any_answers = st.fixed_dictionaries({}, optional={q.id: _value(q) for q in R.questions})
# An age that contradicts "who" (a ward of 12, oneself at 0) is refused, not assessed: see below.
answer_sets = any_answers.filter(lambda answers: not contradicted(answers, R))


@settings(max_examples=200, deadline=None)
@given(any_answers)
def test_contradicting_answers_are_refused_never_assessed(answers):
    if contradicted(answers, R):
        with pytest.raises(AnswerError, match="age: with who"):
            assess(answers, R, today=TODAY)


@settings(max_examples=300, deadline=None)
@given(answer_sets)
def test_random_answers_keep_the_invariants(answers):
    before = dict(answers)
    result = assess(answers, R, today=TODAY)
    assert answers == before
    relevant = relevant_answers(answers, R)
    assert set(relevant) <= set(answers) and all(answers[k] == v for k, v in relevant.items())
    if result.outcome == "incomplete":
        assert result.next_question is not None
    elif result.outcome != "refused":  # a refusal is settled while other grounds are still asked
        assert result.next_question is None
    if answers.get("citizen") is True and any(answers.get(g.id) for g in R.grounds):
        assert result.outcome == "refused"  # a stated ground is never dropped
    if result.next_question is not None:
        assert result.next_question.id not in answers
    if result.outcome in ("eligible", "refused") and any(relevant.get(g.id) for g in R.grounds):
        assert result.outcome == "refused"
    if result.outcome == "eligible":
        assert {"11.1", "11.2", "11.7"} <= {d.id for d in result.documents}
        if relevant["age"] < 18 and relevant["age"] >= 10 and result.applies_via == "representative":
            assert "11.5" in {d.id for d in result.documents}
    assert result.fee == fee_on(answers.get("payment_date", TODAY), R)
    assert result.progress.answered == len(answered_path(answers, R)) <= result.progress.total


@settings(max_examples=200, deadline=None)
@given(answer_sets, st.data())
def test_answering_the_next_question_never_loses_an_answer(answers, data):
    """From any state: each answer joins the path and keeps every answer before it; the walk ends."""
    answers = dict(answers)
    for _ in range(len(R.questions)):
        question = next_question(answers, R)
        if question is None:
            break
        path = answered_path(answers, R)
        answers[question.id] = data.draw(_value(question))
        new_path = answered_path(answers, R)
        assert question.id in new_path
        earlier = [k for k in path if R.position(k) < R.position(question.id)]
        assert new_path[: len(earlier)] == earlier, "answering a question dropped an answer before it"
    assert next_question(answers, R) is None


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2011, 1, 1), date(2030, 12, 31)))
def test_fee_is_the_duty_mrp_of_the_payment_day(day):
    quote = fee_on(day, R)
    assert quote.fee_kzt == quote.mrp_kzt  # 100 % of the MRP (§8)
    assert quote.valid_from <= day and quote.stale == (day > date(2026, 12, 31))
    assert fee_on(day + timedelta(days=1), R).mrp_kzt >= quote.mrp_kzt  # duties never went down
