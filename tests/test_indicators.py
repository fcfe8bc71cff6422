"""The Appendix 3 table (§18): the data file, how strictly it is read, and its values computed by hand
for one office, one department, everything, and date ranges."""

import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.strict_data import parse_model
from bot.visits.indicators import (
    APPENDIX_3_ROWS,
    INDICATORS_FILE,
    ComplaintOutcome,
    Indicators,
    IndicatorsError,
    MonthPoint,
    Scope,
    ServedCount,
    SurveyAnswers,
    indicator_table,
    load_indicators,
    load_indicators_file,
    monthly_series,
    percent,
)
from bot.visits.survey import SURVEY_DIR, parse_survey


def answers(office, dept, day, quality=None, information=None, courtesy=None, on_time=None):
    given = {"quality": quality, "information": information, "courtesy": courtesy, "on_time": on_time}
    return SurveyAnswers(office, dept, day, {k: v for k, v in given.items() if v is not None})


# Offices a1 and a2 are in department A, b1 in department B.
#            office  dept  day                 quality info courtesy on_time
ANSWERS = [
    answers("a1", "A", date(2024, 3, 4), 5, 4, 5, True),
    answers("a1", "A", date(2024, 3, 5), 4, 3, None, None),
    answers("a1", "A", date(2024, 3, 11), 3, 2, 4, False),
    answers("a1", "A", date(2024, 3, 20), 5, 5, 5, True),
    answers("a1", "A", date(2024, 3, 29), 2, None, 1),
    answers("a2", "A", date(2024, 3, 15), 4, 4, 4, True),
    answers("a2", "A", date(2024, 4, 2), 5, 4, 5, True),
    answers("b1", "B", date(2024, 3, 10), 1, 1, 1, False),
    answers("b1", "B", date(2024, 4, 10), 5, 5, 5, True),
]
COMPLAINTS = [
    ComplaintOutcome("a1", "A", date(2024, 3, 12), True),
    ComplaintOutcome("a1", "A", date(2024, 3, 20), False),
    ComplaintOutcome("a1", "A", date(2024, 4, 5), True),
    ComplaintOutcome("a2", "A", date(2024, 3, 31), True),
    ComplaintOutcome("b1", "B", date(2024, 3, 1), True),
    ComplaintOutcome("b1", "B", date(2024, 4, 15), True),  # b1 has no served count for April
]
SERVED = [
    ServedCount("a1", "A", date(2024, 3, 1), 100),
    ServedCount("a1", "A", date(2024, 4, 1), 50),
    ServedCount("a2", "A", date(2024, 3, 1), 40),
    ServedCount("b1", "B", date(2024, 3, 1), 10),
]


def values(scope: Scope) -> dict[str, tuple]:
    table = indicator_table(ANSWERS, COMPLAINTS, SERVED, scope)
    assert tuple(r.id for r in table) == APPENDIX_3_ROWS
    return {r.id: (r.value_percent, r.responses, r.too_few) for r in table}


def test_the_shipped_table_knows_no_number_it_has_no_source_for():
    ind = load_indicators()
    assert load_indicators() is ind
    assert (ind.satisfied_from, ind.min_responses) == (4, 5)
    assert [(r.id, r.measure) for r in ind.rows] == [
        ("1.1", "share_yes"),
        ("2.1", "share_satisfied"),
        ("3.1", "share_satisfied"),
        ("3.2", "sourced"),
        ("4.1", "complaints"),
        ("5.1", "share_satisfied"),
    ]
    for row in ind.rows:
        assert row.normative is None and "Appendix 3" in row.normative_source
        assert row.target_next_year is None and "§19" in row.target_source
        for text in (row.group, row.title, row.definition):
            assert text["kk"].strip() and text["ru"].strip()
    sourced = ind.row("3.2")
    assert sourced.value_percent is None and "§4" in sourced.value_source and "§12" in sourced.value_source


def test_one_office_over_all_days():
    # a1: quality 5,4,3,5,2 -> 3 of 5 satisfied; information 4,3,2,5 and courtesy 5,4,5,1 are 4 answers
    # each and on_time yes,no,yes 3: too few to show.
    assert values(Scope(office_id="a1")) == {
        "1.1": (None, 3, True),
        "2.1": (60.0, 5, False),
        "3.1": (None, 4, True),
        "3.2": (None, None, False),
        "4.1": (1.3, 150, False),  # justified 12.03 and 05.04 over 100 + 50 served
        "5.1": (None, 4, True),
    }


def test_one_department():
    # A: quality 5,4,3,5,2,4,5 -> 5/7; information 4,3,2,5,4,4 -> 4/6; courtesy 5,4,5,1,4,5 -> 5/6;
    # on_time yes,no,yes,yes,yes -> 4/5; complaints: 3 justified over 100 + 50 + 40 served.
    assert values(Scope(department_id="A")) == {
        "1.1": (80.0, 5, False),
        "2.1": (71.4, 7, False),
        "3.1": (66.7, 6, False),
        "3.2": (None, None, False),
        "4.1": (1.6, 190, False),
        "5.1": (83.3, 6, False),
    }


def test_everything():
    # + b1: quality 1,5 -> 6/9; information 1,5 -> 5/8; courtesy 1,5 -> 6/8; on_time no,yes -> 5/7.
    # 4.1: b1's April complaint has no served count and is left out: 4 over 200.
    assert values(Scope()) == {
        "1.1": (71.4, 7, False),
        "2.1": (66.7, 9, False),
        "3.1": (62.5, 8, False),
        "3.2": (None, None, False),
        "4.1": (2.0, 200, False),
        "5.1": (75.0, 8, False),
    }


def test_a_month_of_everything():
    # March only: quality 5,4,3,5,2,4,1 -> 4/7; information 4,3,2,5,4,1 -> 3/6; courtesy 5,4,5,1,4,1 -> 4/6;
    # on_time yes,no,yes,yes,no -> 3/5; 4.1: March's 3 justified over 150 served.
    assert values(Scope(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31))) == {
        "1.1": (60.0, 5, False),
        "2.1": (57.1, 7, False),
        "3.1": (50.0, 6, False),
        "3.2": (None, None, False),
        "4.1": (2.0, 150, False),
        "5.1": (66.7, 6, False),
    }


def test_both_ends_of_the_date_range_are_included():
    inclusive = values(Scope(office_id="a1", date_from=date(2024, 3, 4), date_to=date(2024, 3, 29)))
    assert inclusive["2.1"] == (60.0, 5, False)
    later = values(Scope(office_id="a1", date_from=date(2024, 3, 5), date_to=date(2024, 3, 29)))
    assert later["2.1"] == (None, 4, True)
    earlier = values(Scope(office_id="a1", date_from=date(2024, 3, 4), date_to=date(2024, 3, 28)))
    assert earlier["2.1"] == (None, 4, True)


def test_complaints_count_by_whole_months_of_entered_served_counts():
    # 15.03–14.04 touches March and April: a1's two justified complaints over 150 served.
    a1 = values(Scope(office_id="a1", date_from=date(2024, 3, 15), date_to=date(2024, 4, 14)))
    assert a1["4.1"] == (1.3, 150, False)
    assert values(Scope(office_id="b1", date_from=date(2024, 3, 1), date_to=date(2024, 3, 31)))["4.1"] == (
        10.0,
        10,
        False,
    )
    unknown = values(Scope(office_id="b1", date_from=date(2024, 4, 1), date_to=date(2024, 4, 30)))
    assert unknown["4.1"] == (None, 0, True)  # no served count entered: unknown, not 0%
    assert values(Scope(office_id="nowhere"))["4.1"] == (None, 0, True)


def test_two_served_counts_for_one_office_month_are_refused():
    twice = [*SERVED, ServedCount("a1", "A", date(2024, 3, 1), 5)]
    with pytest.raises(ValueError, match="two counts for office 'a1' in 2024-03"):
        indicator_table(ANSWERS, COMPLAINTS, twice)


def test_as_dict_keeps_the_contract_fields():
    row = indicator_table(ANSWERS, COMPLAINTS, SERVED, Scope(department_id="A"))[0]
    assert row.as_dict() == {
        "id": "1.1",
        "title": load_indicators().row("1.1").title.as_dict(),
        "normative": None,
        "target_next_year": None,
        "value_percent": 80.0,
        "responses": 5,
        "too_few": False,
    }


def test_monthly_series_of_the_satisfaction_rows():
    series = monthly_series(ANSWERS, Scope(date_from=date(2024, 2, 1), date_to=date(2024, 4, 30)))
    assert set(series) == {"2.1", "3.1", "5.1"}
    feb, mar, apr = (date(2024, m, 1) for m in (2, 3, 4))
    assert series["2.1"] == [
        MonthPoint(feb, None, 0, True),
        MonthPoint(mar, 57.1, 7, False),
        MonthPoint(apr, None, 2, True),
    ]
    assert series["5.1"][1] == MonthPoint(mar, 66.7, 6, False)
    open_ended = monthly_series(ANSWERS, Scope(department_id="A"))
    assert [p.month for p in open_ended["3.1"]] == [mar, apr]  # from the first answer to the last
    assert open_ended["3.1"][0] == MonthPoint(mar, 60.0, 5, False)  # 4,3,2,5 (a1) and 4 (a2): 3 of 5
    assert monthly_series([], Scope()) == {"2.1": [], "3.1": [], "5.1": []}


def test_series_across_a_year_end():
    december = [answers("a1", "A", date(2023, 12, d), quality=5) for d in range(1, 6)]
    series = monthly_series([*december, answers("a1", "A", date(2024, 1, 9), quality=1)], Scope())
    assert [(p.month, p.value_percent, p.responses) for p in series["2.1"]] == [
        (date(2023, 12, 1), 100.0, 5),
        (date(2024, 1, 1), None, 1),
    ]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (SurveyAnswers("a1", "A", date(2024, 3, 1), {"quality": 6}), r"answers\[0\]\.quality: 6 is not"),
        (SurveyAnswers("a1", "A", date(2024, 3, 1), {"on_time": "yes"}), r"answers\[0\]\.on_time: 'yes'"),
        (SurveyAnswers("a1", "A", date(2024, 3, 1), {"mood": 3}), r"answers\[0\]\.mood"),
    ],
)
def test_an_answer_the_survey_does_not_allow_is_a_bug_not_a_statistic(record, message):
    with pytest.raises(ValueError, match=message):
        indicator_table([record], [], [])


def test_bad_scopes_and_counts():
    with pytest.raises(ValueError, match="not both"):
        Scope(office_id="a1", department_id="A")
    with pytest.raises(ValueError, match="after date_to"):
        Scope(date_from=date(2024, 4, 1), date_to=date(2024, 3, 1))
    with pytest.raises(ValueError, match="first day of a month"):
        ServedCount("a1", "A", date(2024, 3, 2), 10)
    with pytest.raises(ValueError, match="0 or more"):
        ServedCount("a1", "A", date(2024, 3, 1), -1)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(2, 3, 66.7), (1, 3, 33.3), (5, 7, 71.4), (1, 8, 12.5), (1, 16, 6.3), (0, 5, 0.0), (5, 5, 100.0)],
)
def test_percent_has_one_decimal_with_halves_rounded_up(part, whole, expected):
    assert percent(part, whole) == expected


# --- the file ------------------------------------------------------------------------------------


@pytest.fixture()
def raw() -> dict:
    return tomllib.loads(INDICATORS_FILE.read_text(encoding="utf-8"))


def test_a_sourced_value_is_shown_as_given(raw):
    raw["rows"][3]["value_percent"] = 100
    ind = parse_model(Indicators, raw, "indicators.toml", IndicatorsError)
    row = indicator_table([], [], [], indicators=ind)[3]
    assert (row.id, row.value_percent, row.responses, row.too_few) == ("3.2", 100, None, False)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.update(colour="red"), "(top): unknown key 'colour'"),
        (lambda r: r["rows"][0].pop("target_source"), "rows[0]: missing key 'target_source'"),
        (lambda r: r["rows"][1]["title"].pop("kk"), "rows[1].title: missing key 'kk'"),
        (lambda r: r["rows"][3].pop("value_source"), "rows[3]: a sourced row needs value_source"),
        (
            lambda r: r["rows"][0].update(value_percent=90),
            "rows[0]: value_percent and value_source are for sourced rows, not 'share_yes'",
        ),
        (lambda r: r["rows"][0].update(normative=120), "rows[0].normative: Input should be less"),
        (lambda r: r["rows"].reverse(), "rows: expected the rows of Appendix 3 in order"),
        (lambda r: r["rows"][0].update(measure="guess"), "rows[0].measure: Input should be"),
        (lambda r: r.update(min_responses=0), "min_responses: Input should be greater than or equal to 1"),
    ],
)
def test_a_broken_file_stops_loading_with_one_line_naming_the_place(raw, mutate, message):
    mutate(raw)
    with pytest.raises(IndicatorsError) as exc:
        parse_model(Indicators, raw, "indicators.toml", IndicatorsError)
    assert str(exc.value).startswith(f"indicators.toml: {message}"), str(exc.value)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_must_agree_with_its_survey(tmp_path: Path):
    text = INDICATORS_FILE.read_text(encoding="utf-8")
    survey_raw = tomllib.loads((SURVEY_DIR / "after_visit.toml").read_text(encoding="utf-8"))
    survey_raw["questions"][2]["indicator"] = "3.1"  # courtesy now feeds 3.1, and nothing feeds 5.1
    survey = parse_survey(survey_raw, SURVEY_DIR / "after_visit.toml")
    with pytest.raises(IndicatorsError, match=r"^indicators.toml: rows\[2\].measure: 'share_satisfied'"):
        load_indicators_file(write(tmp_path, text), survey)
    bad_threshold = text.replace("satisfied_from = 4", "satisfied_from = 6")
    with pytest.raises(IndicatorsError, match="satisfied_from: 6 is outside the survey's scale 1–5"):
        load_indicators_file(write(tmp_path, bad_threshold))
    yes_no_as_scale = text.replace('measure = "share_yes"', 'measure = "share_satisfied"')
    with pytest.raises(IndicatorsError, match=r"rows\[0\].measure: 'share_satisfied' needs exactly one"):
        load_indicators_file(write(tmp_path, yes_no_as_scale))
    assert load_indicators_file(write(tmp_path, text)).rows[0].id == "1.1"
