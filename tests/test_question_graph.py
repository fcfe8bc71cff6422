"""The question graph node by node, in the smart-answers style: at a node, an answer leads to the next
node (None: the walk is done). The pre-check's graph is the ruleset's; the survey's is the file's."""

from datetime import date

import pytest

from bot.rules.eligibility import graph
from bot.rules.ruleset import load_ruleset
from bot.visits.survey import load_survey, survey_graph

GROUNDS_16 = ("state_secret", "criminal_case", "convicted", "court_obligations", "conscript_service",
              "false_information", "civil_defendant", "tax_debt")
ADULT = {"citizen": True, "who": "self", "age": 30}
NO_GROUNDS = {ground: False for ground in GROUNDS_16}

# (answers before the node, the node, its answer, the next node)
PRECHECK_TABLE = [
    ({}, "citizen", True, "who"),
    ({}, "citizen", False, None),
    ({"citizen": True}, "who", "self", "age"),
    ({"citizen": True}, "who", "ward", "age"),
    ({"citizen": True, "who": "self"}, "age", 30, "state_secret"),
    ({"citizen": True, "who": "child"}, "age", 17, "married"),
    ({"citizen": True, "who": "ward"}, "age", 17, "state_secret"),  # a ward is never asked of marriage
    ({"citizen": True, "who": "child"}, "age", 15, "criminal_case"),  # under 16: no state secret
    ({"citizen": True, "who": "child"}, "age", 10, "false_information"),  # under 14: no criminal record
    ({"citizen": True, "who": "child", "age": 17}, "married", True, "state_secret"),
    (ADULT, "state_secret", True, "criminal_case"),  # every ground is asked, so all can be listed
    ({**ADULT, **dict.fromkeys(GROUNDS_16[:4], False)}, "conscript_service", False, "false_information"),
    ({"citizen": True, "who": "ward", "age": 20, **dict.fromkeys(GROUNDS_16[:4], False)},
     "false_information", False, "civil_defendant"),  # a ward is not asked of conscript service
    ({**ADULT, **dict.fromkeys(GROUNDS_16[:7], False)}, "tax_debt", False, "alimony_dependants_in_kz"),
    ({**ADULT, **dict.fromkeys(GROUNDS_16[:7], False)}, "tax_debt", True, None),  # refused: no documents
    ({**ADULT, **NO_GROUNDS}, "alimony_dependants_in_kz", False, "military_registered"),
    ({**ADULT, **NO_GROUNDS, "alimony_dependants_in_kz": False}, "military_registered", True, None),
    ({"citizen": True, "who": "child", "age": 12, **dict.fromkeys(GROUNDS_16[5:7], False)},
     "tax_debt", False, "with_one_parent"),
    ({"citizen": True, "who": "child", "age": 12, **dict.fromkeys(GROUNDS_16[5:], False)},
     "with_one_parent", True, "other_parent_in_kz"),
    ({"citizen": True, "who": "child", "age": 12, **dict.fromkeys(GROUNDS_16[5:], False)},
     "with_one_parent", False, None),
]


@pytest.mark.parametrize(("before", "node", "value", "after"), PRECHECK_TABLE)
def test_precheck_node_leads_to(before, node, value, after):
    walk = graph(load_ruleset()).walk(before)
    assert walk.next is not None and walk.next.id == node, "the table's row starts at the wrong node"
    following = graph(load_ruleset()).walk({**before, node: value}).next
    assert (following.id if following else None) == after


def test_the_optional_payment_date_is_offered_once_the_required_questions_are_done():
    done = {**ADULT, **NO_GROUNDS, "alimony_dependants_in_kz": False, "military_registered": True}
    walk = graph(load_ruleset()).walk(done)
    assert walk.next is None and walk.current.id == "payment_date"
    assert graph(load_ruleset()).walk({**done, "payment_date": date(2026, 11, 25)}).current is None


def test_back_keeps_later_answers_and_leaves_out_those_that_no_longer_matter():
    g = graph(load_ruleset())
    answers = {"citizen": True, "who": "child", "age": 17, "married": True, "state_secret": False}
    assert g.back_from(answers, "criminal_case") == "state_secret"
    assert g.back_from(answers, "state_secret") == "married"
    changed = {**answers, "age": 30}  # back to age, now an adult: "married" is kept but not relevant
    assert "married" not in g.walk(changed).relevant and changed["married"] is True
    assert g.back_from(changed, "criminal_case") == "state_secret"
    assert g.back_from(changed, "state_secret") == "age"


SURVEY_TABLE = [
    ({}, "quality", 5, "information"),
    ({}, "quality", None, "information"),  # skipped: answered with nothing to count, never asked again
    ({"quality": 4}, "information", 3, "courtesy"),
    ({"quality": 4, "information": 3}, "courtesy", 5, "on_time"),
    ({"quality": 4, "information": 3, "courtesy": None}, "on_time", True, None),
    ({"quality": None, "information": None, "courtesy": None}, "on_time", None, None),
]


@pytest.mark.parametrize(("before", "node", "value", "after"), SURVEY_TABLE)
def test_survey_node_leads_to(before, node, value, after):
    g = survey_graph(load_survey())
    assert g.walk(before).next.id == node
    following = g.walk({**before, node: value}).next
    assert (following.id if following else None) == after


def test_progress_counts_what_is_left():
    g = survey_graph(load_survey())
    progress = g.progress({"quality": 4}, lambda q, _answers: None)
    assert (progress.answered, progress.total) == (1, 4)


def test_a_walk_is_remembered_and_each_caller_gets_its_own_answers():
    """Every step walks its user's answers: the same set is walked once, and what a caller does with
    the result does not reach the next one."""
    from dataclasses import dataclass

    from bot.rules.conditions import Condition
    from bot.rules.graph import QuestionGraph

    asked: list[str] = []

    @dataclass(frozen=True)
    class Counted(Condition):
        key: str

        def holds(self, answers) -> bool:
            asked.append(self.key)
            return True

        def keys(self) -> frozenset[str]:
            return frozenset()

    @dataclass(frozen=True)
    class Q:
        id: str

    questions = [Q("a"), Q("b"), Q("c")]
    walks = QuestionGraph(questions, condition=lambda q: Counted(q.id))
    first = walks.walk({"a": 1, "b": 2})
    first.relevant["a"] = "changed by a caller"
    again = walks.walk({"a": 1, "b": 2})
    assert asked == ["a", "b", "c"]
    assert again.relevant == {"a": 1, "b": 2} and again.next == Q("c")
    assert walks.walk({"a": True, "b": 2}).relevant["a"] is True  # the answers' own values
