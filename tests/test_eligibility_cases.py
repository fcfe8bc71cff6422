"""The lawyer-readable cases of tests/cases/precheck.toml, each checked against the engine."""

import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.rules.eligibility import assess
from bot.rules.ruleset import load_ruleset

CASES_FILE = Path(__file__).parent / "cases" / "precheck.toml"
CASES = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]
EXPECT_KEYS = {
    "outcome",
    "applies_via",
    "documents",
    "refusal_grounds",
    "next_question",
    "fee_kzt",
    "paragraph",
}


def _none(value):
    return None if value == "none" else value


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    ruleset = load_ruleset("kz-199-2013")
    assert set(case) <= {"name", "rule", "answers", "expect", "no_grounds", "today"}
    assert set(case["expect"]) <= EXPECT_KEYS
    answers = dict(case["answers"])
    if case.get("no_grounds"):
        answers = {g.id: False for g in ruleset.grounds} | answers
    result = assess(answers, ruleset, today=case.get("today", date(2026, 11, 25)))
    got = {
        "outcome": result.outcome,
        "applies_via": result.applies_via,
        "documents": [d.id for d in result.documents],
        "refusal_grounds": [g.id for g in result.refusal_grounds],
        "next_question": result.next_question.id if result.next_question else None,
        "fee_kzt": result.fee.fee_kzt,
        "paragraph": result.paragraph,
    }
    for key, want in case["expect"].items():
        assert got[key] == _none(want), f"{case['rule']}: {key}"


def test_every_ground_and_document_has_a_case():
    """A rule without a case here is a rule nobody checked against the text."""
    text = CASES_FILE.read_text(encoding="utf-8")
    ruleset = load_ruleset("kz-199-2013")
    for ground in ruleset.grounds:
        assert f'refusal_grounds = ["{ground.id}"]' in text, ground.id
    for document in ruleset.documents:
        assert f'"{document.id}"' in text, document.id
