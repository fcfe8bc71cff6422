"""The condition language of the ruleset files: evaluation (an unanswered question never satisfies a
comparison) and strict parsing (every mistake is a ConditionError naming its place)."""

from datetime import date

import pytest

from bot.rules.conditions import (
    ALWAYS,
    All,
    Answered,
    AnyOf,
    Compare,
    ConditionError,
    ConditionParser,
    Fact,
    Not,
)

QUESTIONS = {
    "citizen": {"id": "citizen", "kind": "bool"},
    "age": {"id": "age", "kind": "int"},
    "who": {"id": "who", "kind": "choice", "options": [{"value": "self"}, {"value": "child"}]},
    "paid": {"id": "paid", "kind": "date"},
}


def parser(facts=None):
    return ConditionParser(QUESTIONS, facts or {})


@pytest.mark.parametrize(
    ("table", "answers", "expected"),
    [
        ({"answer": "age", "gte": 10}, {"age": 10}, True),
        ({"answer": "age", "gte": 10}, {"age": 9}, False),
        ({"answer": "age", "gt": 10}, {"age": 10}, False),
        ({"answer": "age", "lt": 18}, {"age": 17}, True),
        ({"answer": "age", "lte": 18}, {"age": 18}, True),
        ({"answer": "age", "in": [1, 2]}, {"age": 2}, True),
        ({"answer": "who", "ne": "self"}, {"who": "child"}, True),
        ({"answer": "who", "ne": "self"}, {}, False),  # unanswered: no comparison holds, not even ne
        ({"answer": "age", "lt": 18}, {}, False),
        ({"not": {"answer": "age", "lt": 18}}, {}, True),
        ({"answered": "age"}, {"age": 0}, True),
        (
            {"all": [{"answer": "citizen", "eq": True}, {"answer": "age", "gte": 18}]},
            {"citizen": True, "age": 18},
            True,
        ),
        (
            {"all": [{"answer": "citizen", "eq": True}, {"answer": "age", "gte": 18}]},
            {"citizen": True},
            False,
        ),
        ({"any": [{"answer": "citizen", "eq": False}, {"answer": "age", "gte": 18}]}, {"age": 20}, True),
        ({"answer": "paid", "lt": date(2020, 4, 1)}, {"paid": date(2020, 3, 31)}, True),
    ],
)
def test_evaluation(table, answers, expected):
    assert parser().parse(table, "c").holds(answers) is expected


def test_keys_follow_facts():
    adult = parser().parse({"answer": "age", "gte": 18}, "facts.adult")
    cond = parser({"adult": adult}).parse({"all": [{"is": "adult"}, {"not": {"answered": "who"}}]}, "c")
    assert cond == All((Fact("adult", Compare("age", "gte", 18)), Not(Answered("who"))))
    assert cond.keys() == {"age", "who"}
    assert ALWAYS.holds({}) and ALWAYS.keys() == frozenset()
    assert AnyOf((ALWAYS,)).holds({})


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({}, "c: a condition must be a non-empty table"),
        ([], "c: a condition must be a non-empty table"),
        ({"all": [], "any": []}, "exactly one of"),
        ({"all": []}, "c.all: expected a non-empty list"),
        ({"all": {"answered": "age"}}, "c.all: expected a non-empty list"),
        ({"every": []}, "unknown operator 'every'"),
        ({"is": "adult"}, "c.is: unknown fact 'adult'"),
        ({"is": {"x": 1}}, "c.is: unknown fact"),
        ({"answered": "height"}, "c.answered: unknown answer 'height'"),
        ({"answered": ["age"]}, "c.answered: unknown answer"),
        ({"answer": "age"}, "'answer' needs exactly one of"),
        ({"answer": "age", "gte": 1, "lte": 5}, "'answer' needs exactly one of"),
        ({"answer": "age", "about": 1}, "'answer' needs exactly one of"),
        ({"answer": "age", "gte": "10"}, "c.gte: answer 'age' is a number"),
        ({"answer": "age", "gte": True}, "c.gte: answer 'age' is a number"),
        ({"answer": "citizen", "eq": 1}, "c.eq: answer 'citizen' is yes/no"),
        ({"answer": "citizen", "lt": True}, "c.lt: answer 'citizen' is yes/no"),
        ({"answer": "who", "eq": "ward"}, "c.eq: answer 'who' is one of ['self', 'child']"),
        ({"answer": "who", "gt": "self"}, "c.gt: answer 'who' is one of"),
        ({"answer": "who", "in": []}, "c.in: expected a non-empty list"),
        ({"answer": "who", "in": ["self", "x"]}, "c.in: answer 'who' is one of"),
        ({"answer": "paid", "lt": "2020-04-01"}, "c.lt: answer 'paid' is a date"),
        ({"not": {"answer": "x", "eq": 1}}, "c.not.answer: unknown answer 'x'"),
        ({"any": [{"answered": "age"}, {"answered": "nope"}]}, "c.any[1].answered: unknown answer 'nope'"),
    ],
)
def test_parse_errors_name_the_place(table, message):
    with pytest.raises(ConditionError) as info:
        parser().parse(table, "c")
    assert message in str(info.value)
