"""An exhaustive walk of the question graph: every answer to every question asked (ages at the §6 and
§11.5 boundaries), checking invariants at every leaf, and a golden snapshot of what each profile can lead to.

Regenerate the snapshot after a deliberate rule change: UPDATE_GOLDEN=1 pytest tests/test_eligibility_walk.py
"""

import json
import os
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

from bot.rules.eligibility import OUTCOMES, answered_path, assess, next_question
from bot.rules.fee import fee_on
from bot.rules.ruleset import load_ruleset

R = load_ruleset("kz-199-2013")
TODAY = date(2026, 11, 25)
AGES = (0, 9, 10, 15, 16, 17, 18, 60)
GOLDEN = Path(__file__).parent / "golden" / "precheck_outcomes.json"
PROFILE_KEYS = ("citizen", "who", "age", "married")


def choices(question, answers):
    """Every answer the engine takes here: ages that contradict "who" (a ward of 9) are refused."""
    if question.kind == "bool":
        return (True, False)
    if question.kind == "int":
        limits = question.bounds_for(answers.get(question.bounds_by)) or (question.min, question.max)
        return tuple(a for a in AGES if limits[0] <= a <= limits[1])
    return question.option_values()


@cache
def walk() -> tuple[tuple[tuple[dict, tuple[str, ...]], ...], frozenset[str]]:
    """(answers, ids asked in order) at every leaf, and every question id ever asked."""
    leaves, seen = [], set()

    def go(answers, path):
        question = next_question(answers, R)
        if question is None:
            leaves.append((answers, path))
            return
        seen.add(question.id)
        for value in choices(question, answers):
            go({**answers, question.id: value}, (*path, question.id))

    go({}, ())
    return tuple(leaves), frozenset(seen)


@cache
def assessments():
    return tuple((answers, path, assess(answers, R, today=TODAY)) for answers, path in walk()[0])


def test_every_required_question_and_every_outcome_is_reached():
    _, seen = walk()
    assert seen == {q.id for q in R.questions if q.required}
    outcomes = {a.outcome for _, _, a in assessments()}
    assert outcomes == set(OUTCOMES) - {"incomplete"}
    assert {a.applies_via for _, _, a in assessments()} == {"self", "representative", None}
    reached = {d.id for _, _, a in assessments() for d in a.documents}
    assert reached == {d.id for d in R.documents}
    assert {g.id for _, _, a in assessments() for g in a.refusal_grounds} == {g.id for g in R.grounds}


def test_invariants_at_every_leaf():
    for answers, path, result in assessments():
        ids = [d.id for d in result.documents]
        assert len(set(path)) == len(path), path  # no question asked twice
        assert result.next_question is None and result.outcome != "incomplete"
        assert answered_path(answers, R) == list(path)
        assert result.progress.answered == result.progress.total == len(path)
        if any(answers.get(g.id) for g in R.grounds) and answers.get("citizen"):
            assert result.outcome == "refused", answers
        if result.outcome == "refused":
            assert result.refusal_grounds and not ids
            many = len(result.refusal_grounds) > 1
            assert result.paragraph == ("§16" if many else result.refusal_grounds[0].paragraph)
        if result.outcome == "eligible":
            assert {"11.1", "11.2", "11.7"} <= set(ids), answers
            assert ids == sorted(ids)
            assert result.applies_via in ("self", "representative")
        age = answers.get("age")
        if (
            result.outcome == "eligible"
            and age is not None
            and age < 18
            and result.applies_via == "representative"
        ):
            assert ("11.5" in ids) == (age >= 10), answers
        if age is not None and age < 18:
            assert "conscript_service" not in path
        assert ("military_registered" in path) == (result.outcome == "eligible" and age >= 17), answers
        if answers.get("who") == "ward":
            assert "married" not in path and result.applies_via == "representative"
        if answers.get("who") == "child" and result.applies_via == "self":
            assert age >= 18 or answers.get("married") is True, answers
        if result.outcome == "not_applicable":
            assert path == ("citizen",) and result.applies_via is None
        assert result.fee == fee_on(TODAY, R)


def test_every_prefix_of_a_walk_is_incomplete_with_the_next_step():
    """Along every path the next step is the next question; the outcome stays incomplete until the
    end, except that a ground answered "yes" refuses at once (the other grounds are still asked)."""
    for answers, path, _ in assessments()[::37]:
        for n in range(len(path)):
            prefix = {k: answers[k] for k in path[:n]}
            result = assess(prefix, R, today=TODAY)
            ground_stated = prefix.get("citizen") and any(prefix.get(g.id) for g in R.grounds)
            assert result.outcome == ("refused" if ground_stated else "incomplete"), prefix
            assert result.next_question.id == path[n]


def snapshot() -> dict:
    """Per profile (citizen, who, age, married): the questions asked when all else is "no"; every eligible
    result (who applies, documents) with how many answer paths lead there; the refusals in summary."""
    out: dict[str, dict] = {}
    for answers, path, result in assessments():
        profile = " ".join(f"{k}={json.dumps(answers[k])}" for k in PROFILE_KEYS if k in answers)
        entry = out.setdefault(
            profile, {"asked_when_all_no": "", "results": Counter(), "refusal_grounds": set()}
        )
        if not any(v is True for k, v in answers.items() if k not in PROFILE_KEYS):
            entry["asked_when_all_no"] = " ".join(path)
        if result.outcome == "refused":
            entry["refusal_grounds"].update(f"{g.id} {g.paragraph}" for g in result.refusal_grounds)
            line = f"refused ({result.applies_via})"
        elif result.outcome == "eligible":
            line = f"eligible via {result.applies_via}: " + " ".join(d.id for d in result.documents)
        else:
            line = f"{result.outcome} {result.paragraph}"
        entry["results"][line] += 1
    return {
        profile: {
            "asked_when_all_no": e["asked_when_all_no"],
            "results": {line: n for line, n in sorted(e["results"].items())},
            "refusal_grounds": sorted(e["refusal_grounds"]),
        }
        for profile, e in sorted(out.items())
    }


def test_golden_snapshot_of_all_outcomes():
    current = snapshot()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == current, (
        "outcomes changed: review, then UPDATE_GOLDEN=1 pytest tests/test_eligibility_walk.py"
    )
