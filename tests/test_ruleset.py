"""The ruleset file: what it must hold (legal basis, every §16 ground, every §11 document, §7, §9) and
how strictly the loader reads it (a broken file stops loading with a line that says where)."""

import shutil
import tomllib
from datetime import date, time
from pathlib import Path

import pytest

from bot.rules.conditions import All, Answered, Compare, Fact, Not
from bot.rules.ruleset import (
    RULESET_DIR,
    RulesetError,
    list_rulesets,
    load_ruleset,
    load_ruleset_file,
    parse_ruleset,
)

SOURCE = RULESET_DIR / "kz-199-2013.toml"
GROUND_PARAGRAPHS = {
    "state_secret": "§16.1",
    "criminal_case": "§16.2",
    "convicted": "§16.3",
    "court_obligations": "§16.4",
    "conscript_service": "§16.5",
    "false_information": "§16.6",
    "civil_defendant": "§16.7",
    "tax_debt": "§16",
}


@pytest.fixture()
def raw() -> dict:
    return tomllib.loads(SOURCE.read_text(encoding="utf-8"))


def parse(data: dict):
    return parse_ruleset(data, Path("kz-199-2013.toml"))


def test_default_ruleset_and_its_legal_basis():
    ruleset = load_ruleset()
    assert ruleset.id == "kz-199-2013"
    assert load_ruleset() is ruleset  # cached
    assert "199" in ruleset.legal_basis.decree and "28.02.2011" in ruleset.legal_basis.decree
    assert ruleset.legal_basis.amended_by == ("Government decree No. 21 of 21.01.2013",)
    assert "No. 54 of 04.02.2014" in ruleset.legal_basis.repealed_by
    assert ruleset.legal_basis.repeal_effective == date(2014, 4, 19)
    assert ruleset.valid_to == date(2014, 4, 18)
    assert ruleset.in_force_on(date(2014, 4, 18)) and not ruleset.in_force_on(date(2014, 4, 19))
    assert [r.id for r in list_rulesets()] == ["kz-199-2013"]


def test_grounds_of_section_16_with_paragraphs_and_what_lifts_them():
    ruleset = load_ruleset()
    assert {g.id: g.paragraph for g in ruleset.grounds} == GROUND_PARAGRAPHS
    for ground in ruleset.grounds:
        assert ground.when == Compare(ground.id, "eq", True)
        assert ground.lifted_when.kk and ground.lifted_when.ru
    assert ruleset.refusal_notice.paragraph == "§16"
    assert "обжалования" in ruleset.refusal_notice.text.ru


def test_documents_of_section_11():
    ruleset = load_ruleset()
    assert [(d.id, d.paragraph) for d in ruleset.documents] == [(f"11.{n}", f"§11.{n}") for n in range(1, 8)]
    always = [d.id for d in ruleset.documents if not d.required_when.keys()]
    assert always == ["11.1", "11.2", "11.7"]
    assert ruleset.documents_note.paragraph == "§11"


def test_each_document_says_in_a_few_words_when_it_is_needed():
    documents = {d.id: d for d in load_ruleset().documents}
    assert {documents[i].applies_when.ru for i in ("11.1", "11.2", "11.7")} == {"всегда"}
    assert {documents[i].applies_when.kk for i in ("11.1", "11.2", "11.7")} == {"әрқашан"}
    conditional = [d.applies_when for i, d in documents.items() if i not in ("11.1", "11.2", "11.7")]
    assert len({t.ru for t in conditional}) == len({t.kk for t in conditional}) == 4
    assert "воинском учёте" in documents["11.4"].applies_when.ru
    assert "әскери есепте" in documents["11.4"].applies_when.kk
    assert "10" in documents["11.5"].applies_when.ru and "10" in documents["11.5"].applies_when.kk
    assert "алимент" in documents["11.3"].applies_when.ru and "алимент" in documents["11.3"].applies_when.kk


def test_terms_fee_hours_and_place():
    ruleset = load_ruleset()
    assert (ruleset.terms.decision_days, ruleset.terms.decision_paragraph) == (30, "§7.1")
    assert (ruleset.terms.max_wait_minutes, ruleset.terms.max_service_minutes) == (20, 20)
    assert (ruleset.fee.percent_of_mrp, ruleset.fee.paragraph) == (100, "§8")
    weekday, saturday = ruleset.hours.days
    assert weekday.weekdays == (0, 1, 2, 3, 4) and saturday.weekdays == (5,)
    assert weekday.intervals() == ((time(9), time(13)), (time(14, 30), time(18)))
    assert saturday.intervals() == ((time(9), time(13)),)
    assert ruleset.hours.schedule_for(6) is None
    assert ruleset.submission.paragraph == "§13"


def test_age_rules_of_section_6():
    ruleset = load_ruleset()
    age = ruleset.question("age")
    assert (age.min, age.max, age.paragraph) == (0, 130, "§6")
    assert ruleset.facts["adult"] == Compare("age", "gte", 18)
    married = ruleset.question("married")
    assert married.ask_when.holds({"citizen": True, "who": "self", "age": 16})
    assert not married.ask_when.holds({"citizen": True, "who": "self", "age": 15})
    assert not married.ask_when.holds({"citizen": True, "who": "self", "age": 18})


def test_facts_compile_to_conditions():
    ruleset = load_ruleset()
    represented = ruleset.facts["represented"]
    assert isinstance(represented, All)
    assert represented.parts[0] == Answered("age")
    assert isinstance(represented.parts[1], Not) and isinstance(represented.parts[1].part, Fact)
    assert represented.keys() == {"who", "age", "married"}


def test_every_text_has_both_languages(raw):
    def walk(node, where):
        if isinstance(node, dict):
            if {"kk", "ru"} & set(node):
                assert set(node) == {"kk", "ru"}, where
                for text in (node["kk"], node["ru"]):  # a text, or a list of words (answer_words)
                    words = text if isinstance(text, list) else [text]
                    assert words and all(w.strip() for w in words), where
            for k, v in node.items():
                walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")

    walk(raw, "")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(surprise=1), "unknown key 'surprise'"),
        (lambda d: d["title"].pop("ru"), "title: missing key 'ru'"),
        (lambda d: d["grounds"][0]["text"].update(en="x"), "grounds[0].text: unknown key 'en'"),
        (
            lambda d: d["grounds"][0]["lifted_when"].update(kk=" "),
            "grounds[0].lifted_when.kk: expected a non-empty",
        ),
        (
            lambda d: d["questions"][1].update(ask_when={"answer": "citizen", "gte": 1}),
            "questions[1].ask_when.gte",
        ),
        (
            lambda d: d["questions"][1].update(ask_when={"answer": "nope", "eq": True}),
            "unknown answer 'nope'",
        ),
        (lambda d: d["questions"][1].update(ask_when={"answr": "citizen"}), "unknown operator 'answr'"),
        (lambda d: d["questions"][1].update(ask_when={"is": "no_such_fact"}), "unknown fact 'no_such_fact'"),
        (
            lambda d: d["questions"][1].update(ask_when={"answer": "age", "gte": 1}),
            "asked before it, not 'age'",
        ),
        (lambda d: d["questions"][1].update(ask_when={"answer": "who", "eq": "cousin"}), "one of ['self'"),
        (
            lambda d: d["questions"][2].update(ask_when={"answer": "who", "eq": "self", "ne": "ward"}),
            "exactly one",
        ),
        (lambda d: d["questions"][0].update(kind="text"), "questions[0].kind"),
        (lambda d: d["questions"][0].update(paragraph="11.4"), "expected a paragraph like '§11.4'"),
        (lambda d: d["questions"][2].pop("max"), "questions[2].max"),
        (lambda d: d["questions"].append(dict(d["questions"][0])), "duplicate question 'citizen'"),
        (lambda d: d["documents"][3].update(required_when={"all": []}), "documents[3].required_when.all"),
        (lambda d: d["documents"][2].pop("applies_when"), "documents[2]: missing key 'applies_when'"),
        (lambda d: d["documents"][2]["applies_when"].pop("ru"), "documents[2].applies_when"),
        (lambda d: d["documents"][2]["applies_when"].update(ru=""), "documents[2].applies_when.ru"),
        (lambda d: d["applicant"][0].update(via="proxy"), "applicant[0].via"),
        (lambda d: d["outcomes"].pop("refused"), "outcomes: missing key 'refused'"),
        (lambda d: d["hours"]["days"][1].update(weekdays=["fri"]), "repeated day 'fri'"),
        (lambda d: d["hours"]["days"][0].update(breaks=[["19:00", "20:00"]]), "open < break start"),
        (lambda d: d["hours"]["days"][0].update(open="9:00"), "expected a time like '09:00'"),
        (lambda d: d.update(id="other"), "must match the file name"),
        (lambda d: d.update(schema=2), "schema"),
        (lambda d: d.update(schema=True), "schema"),
        (lambda d: d.update(valid_to=date(2010, 1, 1)), "valid_to: before valid_from"),
        (lambda d: d["fee"].update(parameter="usd"), "fee.parameter"),
        (lambda d: d["questions"][2].update(bounds_by="married"), "bounds_by: expected an earlier question"),
        (lambda d: d["questions"][2].update(bounds={"cousin": {"min": 1}}), "not an option of 'who'"),
        (lambda d: d["questions"][2].update(bounds={"ward": {"min": 200}}), "questions[2].bounds.ward"),
        (lambda d: d["questions"][0].update(bounds_by="who"), "only an int question has bounds"),
        (lambda d: d["questions"][2].update(wording_by="married"),
         "wording_by: expected an earlier question"),
        (lambda d: d["questions"][2]["wording"].update(cousin={"hint": {"kk": "а", "ru": "б"}}),
         "questions[2].wording.cousin: not an option of 'who'"),
        (lambda d: d["questions"][2]["wording"]["self"]["text"].pop("kk"), "questions[2].wording.self.text"),
        (lambda d: d["questions"][2]["wording"].update(child={}), "wording.child: expected a text or a hint"),
        (lambda d: d["applicant"][0].update(representative={"kk": "а", "ru": "б"}),
         "applicant[0].representative: only for via = 'representative'"),
        (lambda d: d["answer_words"]["no"].update(ru=["да"]), "answer_words: both yes and no"),
        (lambda d: d["answer_words"]["yes"].pop("kk"), "answer_words.yes: missing key 'kk'"),
    ],
)
def test_loader_rejects_broken_files_with_the_place(raw, mutate, message):
    mutate(raw)
    with pytest.raises(RulesetError) as info:
        parse(raw)
    text = str(info.value)
    assert text.startswith("kz-199-2013.toml: ") and message in text
    assert "\n" not in text


def test_loader_reports_bad_toml(tmp_path):
    path = tmp_path / "kz-bad.toml"
    path.write_text("id = ", encoding="utf-8")
    with pytest.raises(RulesetError, match="kz-bad.toml: not valid TOML"):
        load_ruleset_file(path)


def test_a_later_ruleset_is_a_new_file_and_no_code(tmp_path):
    """Adding a ruleset = adding a file: listed, loadable by id, and the default once started."""
    shutil.copy(SOURCE, tmp_path / SOURCE.name)
    later = SOURCE.read_text(encoding="utf-8")
    later = later.replace('id = "kz-199-2013"', 'id = "kz-later"').replace(
        "valid_from = 2013-01-21", "valid_from = 2015-01-01"
    )
    later = later.replace("valid_to = 2014-04-18", "valid_to = 2030-12-31").replace(
        "decision_days = 30", "decision_days = 20"
    )
    (tmp_path / "kz-later.toml").write_text(later, encoding="utf-8")
    assert [r.id for r in list_rulesets(tmp_path)] == ["kz-199-2013", "kz-later"]
    assert load_ruleset(directory=tmp_path).id == "kz-later"
    assert load_ruleset("kz-199-2013", directory=tmp_path).terms.decision_days == 30
    assert load_ruleset("kz-later", directory=tmp_path).terms.decision_days == 20
    with pytest.raises(RulesetError, match="unknown ruleset 'kz-none'; known: kz-199-2013, kz-later"):
        load_ruleset("kz-none", directory=tmp_path)


def test_a_broken_file_beside_a_good_one_stops_loading(tmp_path):
    shutil.copy(SOURCE, tmp_path / SOURCE.name)
    (tmp_path / "kz-broken.toml").write_text('schema = 1\nid = "kz-broken"\n', encoding="utf-8")
    with pytest.raises(RulesetError, match="kz-broken.toml: "):
        list_rulesets(tmp_path)


def test_a_ruleset_without_valid_to_is_open_ended(raw):
    raw.pop("valid_to")
    ruleset = parse(raw)
    assert ruleset.valid_to is None and ruleset.in_force_on(date(2099, 1, 1))
    assert not ruleset.in_force_on(date(2013, 1, 20))


def test_question_ids_are_the_answer_keys_of_the_command_line():
    """The precheck contract's answer keys, in the order the questions are asked."""
    assert [q.id for q in load_ruleset().questions] == [
        "citizen", "who", "age", "married",
        "state_secret", "criminal_case", "convicted", "court_obligations", "conscript_service",
        "false_information", "civil_defendant", "tax_debt",
        "alimony_dependants_in_kz", "military_registered", "with_one_parent", "other_parent_in_kz",
        "payment_date",
    ]  # fmt: skip
    kinds = {q.id: q.kind for q in load_ruleset().questions}
    assert (kinds["who"], kinds["age"], kinds["payment_date"]) == ("choice", "int", "date")
    assert [q.id for q in load_ruleset().questions if not q.required] == ["payment_date"]
