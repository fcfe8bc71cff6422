"""The engine's rules one by one (with their paragraphs), navigation (Back keeps what still applies),
and the answers it accepts or refuses."""

from datetime import date

import pytest

from bot.rules.eligibility import (
    AnswerError,
    answered_path,
    assess,
    contradicted,
    next_question,
    parse_answer,
    progress,
    relevant_answers,
    validate_answers,
)
from bot.rules.ruleset import load_ruleset

TODAY = date(2026, 11, 25)
R = load_ruleset("kz-199-2013")
NO_GROUNDS = {g.id: False for g in R.grounds}


def asked(answers):
    """The ids asked, in order, when every further yes/no is answered no."""
    answers, out = dict(answers), []
    while (q := next_question(answers, R)) is not None:
        out.append(q.id)
        answers[q.id] = False if q.kind == "bool" else pytest.fail(f"unexpected {q.kind} question {q.id}")
    return out


def test_citizenship_first_and_non_citizens_stop_there():  # §6
    assert next_question({}, R).id == "citizen"
    result = assess({"citizen": False}, R, today=TODAY)
    assert (result.outcome, result.paragraph, result.applies_via) == ("not_applicable", "§6", None)
    assert result.reason.ru.startswith("Эта государственная услуга")


def test_no_military_question_for_a_nine_year_old():  # §11.4, §16.5
    ids = asked({"citizen": True, "who": "child", "age": 9})
    assert "military_registered" not in ids and "conscript_service" not in ids and "state_secret" not in ids
    assert ids == ["false_information", "civil_defendant", "tax_debt", "with_one_parent"]


def test_marriage_is_asked_only_at_16_and_17_of_oneself_or_a_child():  # §6
    for who, age in (("child", 15), ("self", 18), ("self", 15), ("child", 18), ("ward", 30)):
        assert "married" not in asked({"citizen": True, "who": who, "age": age}), (who, age)
    for who, age in (("self", 16), ("self", 17), ("child", 16), ("child", 17)):
        assert next_question({"citizen": True, "who": who, "age": age}, R).id == "married", (who, age)


def test_a_married_child_of_16_applies_in_person_and_the_parent_is_told_why():  # §6
    answers = {"citizen": True, "who": "child", "age": 16, "married": True, **NO_GROUNDS,
               "alimony_dependants_in_kz": False, "with_one_parent": False}
    result = assess(answers, R, today=TODAY)
    assert (result.outcome, result.applies_via, result.applicant.paragraph) == ("eligible", "self", "§6")
    assert "брак" in result.applicant.explanation.ru and "некеде" in result.applicant.explanation.kk
    assert "11.5" not in [d.id for d in result.documents]  # no guardianship conclusion: not represented


def test_adult_self_is_asked_every_ground_then_alimony_and_military():  # §16, §11.3, §11.4
    ids = asked({"citizen": True, "who": "self", "age": 30})
    assert ids == [*(g.id for g in R.grounds), "alimony_dependants_in_kz", "military_registered"]


def test_military_registration_is_asked_of_everyone_from_17():  # §11.4: registration starts at 17
    for who, age in (("ward", 30), ("child", 17), ("self", 17)):
        ids = asked({"citizen": True, "who": who, "age": age, "married": False})
        assert "military_registered" in ids, (who, age)
    assert "military_registered" not in asked({"citizen": True, "who": "child", "age": 16, "married": False})
    answers = {"citizen": True, "who": "child", "age": 17, "married": False, **NO_GROUNDS,
               "military_registered": True, "with_one_parent": False}
    assert "11.4" in [d.id for d in assess(answers, R, today=TODAY).documents]


def test_ward_is_not_asked_about_conscript_service_nor_one_parent():  # §16.5, §11.6
    ids = asked({"citizen": True, "who": "ward", "age": 30})
    assert "conscript_service" not in ids
    assert "alimony_dependants_in_kz" in ids
    assert "with_one_parent" not in ids


def test_a_ground_skips_the_document_questions():  # §16
    answers = {"citizen": True, "who": "self", "age": 30, **NO_GROUNDS, "tax_debt": True}
    result = assess(answers, R, today=TODAY)
    assert result.outcome == "refused" and result.next_question is None and result.documents == ()
    assert [(g.id, g.paragraph) for g in result.refusal_grounds] == [("tax_debt", "§16")]
    assert result.refusal_grounds[0].lifted_when.ru.startswith("когда налоговая")  # follows "Lifted: "


def test_a_stated_ground_counts_even_where_it_is_not_asked():  # §16: a stated ground is never dropped
    for answers in ({"citizen": True, "who": "child", "age": 13, "criminal_case": True},
                    {"citizen": True, "who": "self", "age": 15, "state_secret": True},
                    {"citizen": True, "who": "ward", "age": 30, "conscript_service": True}):
        result = assess(answers, R, today=TODAY)
        assert result.outcome == "refused", answers
        ground_ids = {g.id for g in R.grounds}
        assert [g.id for g in result.refusal_grounds] == [k for k in answers if k in ground_ids]


def test_a_ground_refuses_at_once_while_the_other_grounds_are_still_asked():  # §16
    result = assess({"citizen": True, "who": "self", "age": 30, "tax_debt": True}, R, today=TODAY)
    assert (result.outcome, result.paragraph, result.next_question.id) == ("refused", "§16", "state_secret")
    assert assess({"tax_debt": True}, R, today=TODAY).outcome == "incomplete"  # a citizen at all?
    assert assess({"citizen": False, "tax_debt": True}, R, today=TODAY).outcome == "not_applicable"
    two = assess({"citizen": True, "who": "self", "age": 30, **NO_GROUNDS, "convicted": True,
                  "court_obligations": True}, R, today=TODAY)
    assert two.paragraph == "§16" and [g.paragraph for g in two.refusal_grounds] == ["§16.3", "§16.4"]


def test_other_parent_asked_only_when_leaving_with_one_parent():  # §11.6
    base = {"citizen": True, "who": "child", "age": 12, **NO_GROUNDS}
    assert next_question({**base, "with_one_parent": False}, R) is None
    assert next_question({**base, "with_one_parent": True}, R).id == "other_parent_in_kz"


def test_minor_self_unmarried_is_represented_and_told_why():  # §6, §11
    answers = {
        "citizen": True,
        "who": "self",
        "age": 16,
        "married": False,
        **NO_GROUNDS,
        "with_one_parent": False,
    }
    result = assess(answers, R, today=TODAY)
    assert (result.outcome, result.applies_via) == ("eligible", "representative")
    assert result.applicant.paragraph == "§6" and "законный представитель" in result.applicant.explanation.ru
    assert [d.id for d in result.documents] == ["11.1", "11.2", "11.5", "11.7"]


def test_adult_child_applies_in_person():  # §6: a child of 18 is an adult
    answers = {"citizen": True, "who": "child", "age": 18, **NO_GROUNDS}
    assert next_question(answers, R).id == "alimony_dependants_in_kz"
    assert assess(answers, R, today=TODAY).applies_via == "self"
    done = {**answers, "alimony_dependants_in_kz": False, "military_registered": False}
    applicant = assess(done, R, today=TODAY).applicant
    assert (applicant.via, applicant.paragraph) == ("self", "§6")
    assert "«Мой ребёнок»" in applicant.explanation.ru and "«Менің балам»" in applicant.explanation.kk
    for who, age in (("self", 18), ("child", 17)):  # only the adult "child" is told about the choice
        other = assess({**done, "who": who, "age": age, "married": False, "with_one_parent": False},
                       R, today=TODAY).applicant
        assert "«Мой ребёнок»" not in other.explanation.ru


def test_applies_via_waits_for_the_marriage_answer():
    result = assess({"citizen": True, "who": "self", "age": 17}, R, today=TODAY)
    assert result.outcome == "incomplete" and result.applies_via is None
    result = assess({"citizen": True, "who": "self", "age": 17, "married": True}, R, today=TODAY)
    assert result.outcome == "incomplete" and result.applies_via == "self"


def test_decision_term_and_outcome_paragraphs():  # §7
    done = {"citizen": True, "who": "ward", "age": 70, **NO_GROUNDS, "alimony_dependants_in_kz": False,
            "military_registered": False}
    result = assess(done, R, today=TODAY)
    assert (result.outcome, result.paragraph, result.decision_days) == ("eligible", "§11", 30)
    pending = assess({"citizen": True}, R, today=TODAY)
    assert (pending.outcome, pending.paragraph, pending.next_question.id) == ("incomplete", "§11", "who")


def test_back_keeps_later_answers_that_still_apply():
    """Changing the age from 30 to 12 hides the adult-only answers; going back to 30 brings them back."""
    answers = {
        "citizen": True,
        "who": "self",
        "age": 30,
        **NO_GROUNDS,
        "alimony_dependants_in_kz": True,
        "military_registered": True,
    }
    before = dict(answers)
    changed = {**answers, "age": 12}
    relevant = relevant_answers(changed, R)
    assert answers == before  # never mutated
    assert "military_registered" not in relevant and "conscript_service" not in relevant
    assert relevant["tax_debt"] is False and relevant["age"] == 12
    assert next_question(changed, R).id == "with_one_parent"
    assert assess(answers, R, today=TODAY).outcome == "eligible"
    assert answered_path(changed, R) == [
        "citizen",
        "who",
        "age",
        "false_information",
        "civil_defendant",
        "tax_debt",
    ]


def test_answered_path_is_in_graph_order_whatever_the_input_order():
    answers = {"age": 40, "tax_debt": False, "who": "self", "citizen": True}
    assert answered_path(answers, R) == ["citizen", "who", "age", "tax_debt"]


def test_progress_counts_answered_and_estimates_the_rest():
    assert progress({}, R) == (0, 13)
    p = progress({"citizen": True, "who": "child", "age": 5}, R)
    assert (p.answered, p.total, p.remaining) == (3, 8, 5)
    done = {"citizen": True, "who": "child", "age": 5, **NO_GROUNDS, "with_one_parent": False}
    assert progress(done, R).remaining == 0


def test_payment_date_is_optional_and_drives_the_fee():  # §8
    done = {"citizen": True, "who": "child", "age": 5, **NO_GROUNDS, "with_one_parent": False}
    assert assess(done, R, today=date(2024, 3, 1)).fee.fee_kzt == 3692
    result = assess({**done, "payment_date": "2021-06-01"}, R, today=TODAY)
    assert (result.fee.fee_kzt, result.fee.date, result.ruleset_in_force) == (2917, date(2021, 6, 1), False)
    assert assess({**done, "payment_date": date(2014, 1, 5)}, R, today=TODAY).ruleset_in_force


@pytest.mark.parametrize(
    ("raw", "key", "reason"),
    [
        ({"nationality": "kz"}, "nationality", "unknown"),
        ({"citizen": "yes"}, "citizen", "type"),
        ({"citizen": 1}, "citizen", "type"),
        ({"age": "17"}, "age", "type"),
        ({"age": True}, "age", "type"),
        ({"age": 17.5}, "age", "type"),
        ({"age": -1}, "age", "range"),
        ({"age": 131}, "age", "range"),
        ({"who": "cousin"}, "who", "type"),
        ({"payment_date": "2023-02-30"}, "payment_date", "no_such_date"),
        ({"payment_date": "2023-2-3"}, "payment_date", "format"),
        ({"payment_date": 20230203}, "payment_date", "format"),
        ({"payment_date": "2012-12-31"}, "payment_date", "range"),
    ],
)
def test_validate_answers_rejects(raw, key, reason):
    with pytest.raises(AnswerError) as info:
        validate_answers(raw, R)
    assert (info.value.key, info.value.reason) == (key, reason)


def test_validate_answers_types_dates_and_ignores_nulls():
    raw = {"age": 0, "payment_date": "2024-02-29", "married": None}
    assert validate_answers(raw, R) == {"age": 0, "payment_date": date(2024, 2, 29)}
    assert validate_answers({"age": 130}, R) == {"age": 130}
    with pytest.raises(AnswerError):
        validate_answers(["citizen"], R)


def test_parse_answer_typed_input():
    age, day = R.question("age"), R.question("payment_date")
    assert parse_answer(age, " 17 ") == 17
    assert parse_answer(age, "007") == 7
    assert parse_answer(day, "25.11.2026") == date(2026, 11, 25)
    assert parse_answer(day, "2026-11-25") == date(2026, 11, 25)
    assert parse_answer(R.question("citizen"), "Да") is True
    assert parse_answer(age, "30 лет") == parse_answer(age, "30 жас") == parse_answer(age, "30жас") == 30
    assert parse_answer(R.question("who"), "ward") == "ward"
    for question, text, reason in (
        (age, "seventeen", "type"),
        (age, "-3", "type"),
        (age, "3 5", "type"),
        (age, "30 лет 5", "type"),
        (age, "140", "range"),
        (day, "31.02.2026", "no_such_date"),
        (day, "tomorrow", "format"),
        (day, "01.01.2010", "range"),
    ):
        with pytest.raises(AnswerError) as info:
            parse_answer(question, text)
        assert info.value.reason == reason, text


def test_an_age_must_fit_who_is_leaving():
    age = R.question("age")
    for who, text in (("ward", "17"), ("ward", "0")):
        with pytest.raises(AnswerError) as info:
            parse_answer(age, text, R, {"citizen": True, "who": who})
        assert info.value.reason == "bound" and info.value.bounds[0] == who
    assert parse_answer(age, "18", R, {"who": "ward"}) == 18
    assert parse_answer(age, "13", R, {"who": "self"}) == 13  # told a representative applies (§6)
    assert parse_answer(age, "45", R, {"who": "child"}) == 45  # a grown-up child: told to apply in person
    with pytest.raises(AnswerError, match="with who = 'ward'"):
        validate_answers({"who": "ward", "age": 12}, R)
    assert contradicted({"who": "ward", "age": 12}, R) == ["age"]
    assert contradicted({"who": "child", "age": 12}, R) == []


@pytest.mark.parametrize(("typed", "meant"), [("да", True), (" Иә ", True), ("ИЯ", True), ("нет", False),
                                              ("Жоқ", False), ("ЖОК", False)])
def test_yes_no_questions_take_the_ruleset_words(typed, meant):
    assert parse_answer(R.question("citizen"), typed, R) is meant


def test_other_words_are_no_yes_no_answer():
    for typed in ("maybe", "даа", "yes no", "0", "1", "y", "n", "yes", "no", "true"):
        with pytest.raises(AnswerError):
            parse_answer(R.question("citizen"), typed, R)
