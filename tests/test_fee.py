"""§8: the fee is 100 % of the MRP in force for state duties on the payment day (data/mrp.toml)."""

import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.rules.fee import MRP_FILE, FeeOutOfScope, MrpTableError, fee_on, load_mrp_table, parse_mrp_table

SRC = {"kk": "Заң", "ru": "Закон"}
KNOWN = date(2026, 12, 31)
FEE_CASES = tomllib.loads((Path(__file__).parent / "cases" / "fee.toml").read_text(encoding="utf-8"))["case"]


@pytest.mark.parametrize("case", FEE_CASES, ids=[f"{c['paid']} {c['why']}" for c in FEE_CASES])
def test_fee_on_payment_day(case):
    quote = fee_on(case["paid"])
    expected = (case["mrp"], case["mrp"], case["since"], False)
    assert (quote.mrp_kzt, quote.fee_kzt, quote.valid_from, quote.stale) == expected, case["why"]
    assert quote.source.ru.startswith("Закон Республики Казахстан «О республиканском бюджете на ")
    assert "жылдарға арналған республикалық бюджет туралы» Заңы" in quote.source.kk
    assert (quote.percent_of_mrp, quote.paragraph) == (100, "§8")


def test_2022_keeps_the_record_of_the_benefits_only_rise():
    table = load_mrp_table()
    april = next(v for v in table.values if v.valid_from == date(2022, 4, 1))
    assert (april.value, april.applies_to_duties) == (3180, False)
    assert april not in table.for_duties()
    may, march = fee_on(date(2022, 5, 5)), fee_on(date(2022, 3, 5))
    assert "3180 from 2022-04-01" in may.note
    assert "3180" not in (march.note or "")
    assert may.notes == (table.values[12].note, april.note)  # 3 063 stays; 3 180 was for benefits only
    assert march.notes == (table.values[12].note,)
    assert "3 180" in april.note.ru and "3 180" in april.note.kk


def test_notes_are_of_the_value_that_applies():
    assert fee_on(date(2020, 5, 1)).notes[0].ru.startswith("Повышение в апреле 2020 года")
    assert fee_on(date(2021, 5, 1)).notes == ()


def test_every_value_has_a_legal_source_in_both_languages():
    values = load_mrp_table().values
    assert all(v.source.kk.strip() and v.source.ru.strip() for v in values)
    for v in values:  # each names the budget law of its own year
        assert f"{v.valid_from.year}–{v.valid_from.year + 2}" in v.source.ru
        assert f"{v.valid_from.year}–{v.valid_from.year + 2}" in v.source.kk
    assert len(load_mrp_table().values) == 18


def test_after_the_known_table_the_last_value_is_flagged_stale():
    quote = fee_on(date(2027, 1, 1))
    assert (quote.mrp_kzt, quote.stale, quote.valid_from) == (4325, True, date(2026, 1, 1))
    assert "known only through 2026-12-31" in quote.note


def test_before_the_table_is_out_of_scope():
    with pytest.raises(FeeOutOfScope, match="before 2011-01-01"):
        fee_on(date(2010, 12, 31))


def test_percent_comes_from_the_ruleset(monkeypatch):
    from dataclasses import replace

    from bot.rules.ruleset import load_ruleset

    ruleset = load_ruleset()
    half = replace(ruleset, fee=replace(ruleset.fee, percent_of_mrp=50))
    assert fee_on(date(2022, 1, 1), half).fee_kzt == 1532  # 3063 / 2, rounded half up


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"known_through": date(2026, 12, 31), "values": []}, "values: List should have at least 1 item"),
        (
            {"known_through": KNOWN, "values": [{"from": date(2011, 1, 1), "value": 1, "source": SRC}],
             "x": 1},
            "(top): unknown key 'x'",
        ),
        ({"known_through": date(2026, 12, 31), "values": [{"from": date(2011, 1, 1), "value": 1}]},
         "values[0]: missing key 'source'"),
        (
            {
                "known_through": date(2026, 12, 31),
                "values": [{"from": date(2011, 1, 1), "value": 1, "source": "x"}],
            },
            "values[0].source: expected a table",
        ),
        (
            {
                "known_through": date(2026, 12, 31),
                "values": [{"from": date(2011, 1, 1), "value": 1, "source": {"kk": "a", "ru": " "}}],
            },
            "values[0].source.ru: expected a non-empty string",
        ),
        (
            {
                "known_through": date(2026, 12, 31),
                "values": [
                    {"from": date(2011, 1, 1), "value": 1, "source": {"kk": "a", "ru": "а"}, "note": "x"},
                ],
            },
            "values[0].note: expected a table",
        ),
        (
            {
                "known_through": date(2026, 12, 31),
                "values": [
                    {"from": date(2011, 1, 1), "value": 2, "source": {"kk": "a", "ru": "а"}},
                    {"from": date(2011, 1, 1), "value": 3, "source": {"kk": "b", "ru": "б"}},
                ],
            },
            "values[1].from: dates must increase",
        ),
        (
            {
                "known_through": date(2026, 12, 31),
                "values": [{"from": date(2011, 1, 1), "value": 0, "source": {"kk": "a", "ru": "а"}}],
            },
            "values[0].value: Input should be greater than 0",
        ),
        (
            {
                "known_through": date(2010, 12, 31),
                "values": [{"from": date(2011, 1, 1), "value": 5, "source": {"kk": "a", "ru": "а"}}],
            },
            "known_through: is before the last value",
        ),
        (
            {"known_through": KNOWN, "values": [{"from": "2011-01-01", "value": 1, "source": SRC}]},
            "values[0].from: Input should be a valid date",
        ),
        (
            {"known_through": KNOWN, "values": [{"from": date(2011, 1, 1), "value": True, "source": SRC}]},
            "values[0].value: Input should be a valid integer",
        ),
        (
            {"known_through": date(2026, 12, 31),
             "values": [{"from": date(2011, 1, 1), "value": 1, "source": SRC, "duties": False}]},
            "values[0]: unknown key 'duties'",
        ),
        (
            {"known_through": date(2026, 12, 31),
             "values": [{"from": date(2011, 1, 1), "value": 1, "source": SRC, "applies_to_duties": False}]},
            "values[0].applies_to_duties: the first value must apply to state duties",
        ),
        (
            {"values": [{"from": date(2011, 1, 1), "value": 1, "source": SRC}]},
            "(top): missing key 'known_through'",
        ),
    ],
)
def test_mrp_table_is_read_strictly(data, message):
    with pytest.raises(MrpTableError) as exc:
        parse_mrp_table(data, "mrp.toml")
    assert str(exc.value).startswith(f"mrp.toml: {message}"), exc.value


def test_mrp_file_is_the_data_file():
    assert MRP_FILE == Path(__file__).resolve().parent.parent / "data" / "mrp.toml"
