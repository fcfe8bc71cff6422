"""The survey after a visit (data/surveys/after_visit.toml): what it asks, which Appendix 3 row each
answer feeds, and how strictly the file is read (one line naming the file and the place)."""

import tomllib
from pathlib import Path

import pytest

from bot.rules.conditions import ALWAYS, Compare
from bot.visits.survey import SURVEY_DIR, SurveyError, load_survey, load_survey_file, parse_survey

SOURCE = SURVEY_DIR / "after_visit.toml"


@pytest.fixture()
def raw() -> dict:
    return tomllib.loads(SOURCE.read_text(encoding="utf-8"))


def parse(data: dict):
    return parse_survey(data, SOURCE)


def error_of(data: dict) -> str:
    with pytest.raises(SurveyError) as exc:
        parse(data)
    return str(exc.value)


def test_the_shipped_survey():
    survey = load_survey()
    assert load_survey() is survey  # read once
    assert [(q.id, q.kind, q.indicator, q.after) for q in survey.questions] == [
        ("quality", "scale", "2.1", "accepted+1d"),
        ("information", "scale", "3.1", "accepted+1d"),
        ("courtesy", "scale", "5.1", "accepted+1d"),
        ("on_time", "bool", "1.1", "due+1d"),
    ]
    assert list(survey.scale.values()) == [1, 2, 3, 4, 5]
    assert survey.scale.low["kk"] and survey.scale.high["ru"]
    assert all(survey.ask_when(q.id) is ALWAYS for q in survey.questions)
    assert [q.id for q in survey.feeding("1.1")] == ["on_time"]
    assert survey.feeding("4.1") == ()
    assert "§15" in survey.question("on_time").hint["ru"] and "§7.1" in survey.question("on_time").hint["kk"]


def test_every_text_is_in_both_languages_and_not_the_same(raw):
    survey = parse(raw)
    texts = [survey.title, survey.intro, survey.thanks, survey.scale.low, survey.scale.high]
    texts += [q.text for q in survey.questions] + [q.hint for q in survey.questions if q.hint]
    for text in texts:
        assert text["kk"].strip() and text["ru"].strip() and text["kk"] != text["ru"]


@pytest.mark.parametrize(
    ("question", "value", "ok"),
    [
        ("quality", 1, True),
        ("quality", 5, True),
        ("quality", None, True),  # skipped
        ("quality", 0, False),
        ("quality", 6, False),
        ("quality", True, False),  # a bool is no rating
        ("quality", "5", False),
        ("on_time", True, True),
        ("on_time", False, True),
        ("on_time", None, True),
        ("on_time", 1, False),
        ("mood", 5, False),  # no such question
    ],
)
def test_check_answer(question, value, ok):
    assert load_survey().check_answer(question, value) is ok


def test_ask_when_uses_the_condition_language_of_the_ruleset(raw):
    raw["questions"][3]["ask_when"] = {"answer": "quality", "lte": 2}
    survey = parse(raw)
    assert survey.ask_when("on_time") == Compare("quality", "lte", 2)
    assert survey.ask_when("on_time").holds({"quality": 1})
    assert not survey.ask_when("on_time").holds({})


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.update(colour="red"), "(top): unknown key 'colour'"),
        (lambda r: r.pop("thanks"), "(top): missing key 'thanks'"),
        (lambda r: r.update(schema=2), "schema: Input should be 1"),
        (lambda r: r["questions"][1].update(colour="red"), "questions[1]: unknown key 'colour'"),
        (lambda r: r["questions"][0]["text"].pop("ru"), "questions[0].text: missing key 'ru'"),
        (
            lambda r: r["questions"][2]["text"].update(kk="  "),
            "questions[2].text.kk: expected a non-empty string",
        ),
        (
            lambda r: r["questions"][0].update(indicator="4.1"),
            "questions[0].indicator: expected an Appendix 3 row a citizen can answer "
            "('1.1', '2.1', '3.1', '5.1'), got '4.1'",
        ),
        (
            lambda r: r["questions"][0].update(after="tomorrow"),
            "questions[0].after: expected 'accepted' or 'due', maybe '+Nd' "
            "('accepted+1d'), got 'tomorrow'",
        ),
        (
            lambda r: r["questions"][0].update(kind="text"),
            "questions[0].kind: Input should be 'scale' or 'bool'",
        ),
        (
            lambda r: r["questions"][1].update(id="quality"),
            "questions[1].id: duplicate question 'quality'",
        ),
        (
            lambda r: r["questions"][0].update(ask_when={"answer": "on_time", "eq": True}),
            "questions[0].ask_when.answer: unknown answer 'on_time'",
        ),
        (
            lambda r: r["questions"][3].update(ask_when={"answer": "quality", "eq": "good"}),
            "questions[3].ask_when.eq: answer 'quality' is a number, got 'good'",
        ),
        (lambda r: r["scale"].update(min=5, max=1), "scale: max (1) must be above min (5)"),
        (lambda r: r["scale"].update(max="5"), "scale.max: Input should be a valid integer"),
        (lambda r: r.update(questions=[]), "questions: List should have at least 1 item"),
        (lambda r: r.update(id="other"), "id: must match the file name 'after_visit', got 'other'"),
    ],
)
def test_a_broken_file_stops_loading_with_one_line_naming_the_place(raw, mutate, message):
    mutate(raw)
    got = error_of(raw)
    assert got.startswith(f"after_visit.toml: {message}"), got
    assert "\n" not in got


def test_unknown_survey_and_unreadable_files(tmp_path: Path):
    with pytest.raises(SurveyError, match="unknown survey 'nope'"):
        load_survey("nope")
    broken = tmp_path / "after_visit.toml"
    broken.write_text("schema = \n", encoding="utf-8")
    with pytest.raises(SurveyError, match=r"^after_visit.toml: not valid TOML"):
        load_survey_file(broken)
