"""Russian names of Kazakhstan's days off (data/holidays_ru.toml): complete for every year the bot covers."""

import re
from datetime import date, datetime

import holidays
import pytest

from bot.clock import KZ_TZ
from bot.rules.holiday_names import (
    HOLIDAYS_RU_FILE,
    HolidayNamesError,
    load_holiday_names,
    parse_holiday_names,
)
from bot.rules.hours import LAST_YEAR, russian_holiday_name, status_at

YEARS = range(2013, LAST_YEAR + 1)  # from the ruleset's start to the last year bot.rules.hours answers for
GOOD = {
    "names": {"Victory Day": "День Победы"},
    "labels": {"%s (observed)": "{name} (перенесённый выходной)"},
    "substituted": {
        "label": "Day off (substituted from %s)",
        "date_format": "%m/%d/%Y",
        "ru": "Выходной ({date})",
    },
}


def emitted_names(years) -> set[str]:
    names = set()
    for year in years:
        calendar = holidays.country_holidays("KZ", years=year, language="en_US")
        for day in calendar:
            names.update(calendar.get_list(day))
    return names


def test_every_name_the_package_gives_has_a_russian_name():
    table = load_holiday_names()
    assert {2013, 2027} <= set(YEARS)
    missing = sorted(name for name in emitted_names(YEARS) if table.russian(name) is None)
    assert not missing, f"add these to {HOLIDAYS_RU_FILE.name}: {missing}"


def test_russian_names_are_russian_and_every_entry_is_used():
    table = load_holiday_names()
    emitted = emitted_names(range(2013, 2028))
    for name in emitted:
        assert not re.search("[A-Za-z]", table.russian(name)), name
    bases = {re.sub(r" \((observed|estimated|observed, estimated)\)$", "", n) for n in emitted}
    assert set(table.names) <= bases  # no stale line in the table


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("Independence Day", "День Независимости"),
        ("Kazakhstan's People Solidarity Holiday", "Праздник единства народа Казахстана"),
        ("Nowruz Holiday (observed)", "Наурыз мейрамы (перенесённый выходной)"),
        ("Eid al-Adha (estimated)", "Курбан айт (дата предварительная)"),
        ("Eid al-Adha (observed, estimated)", "Курбан айт (перенесённый выходной, дата предварительная)"),
        ("Day off (substituted from 05/04/2024)", "Выходной день (перенесён с 04.05.2024)"),
        ("Day off (substituted from 13/45/2024)", None),
        ("Some New Holiday", None),
        ("Some New Holiday (observed)", None),
    ],
)
def test_translation(english, russian):
    assert load_holiday_names().russian(english) == russian


def test_the_days_of_2024_to_2027_are_named_in_russian_in_the_same_order_as_in_kazakh():
    for year in range(2024, 2028):
        kk = holidays.country_holidays("KZ", years=year, language="kk")
        for day in kk:
            assert len(russian_holiday_name(day).split("; ")) == len(kk.get_list(day))
    assert russian_holiday_name(date(2024, 5, 8)) == "Выходной день (перенесён с 04.05.2024)"
    assert russian_holiday_name(date(2026, 10, 26)) == "День Республики (перенесённый выходной)"
    assert russian_holiday_name(date(2026, 11, 25)) is None  # not a holiday


def test_hours_status_carries_the_name_in_both_languages():
    status = status_at(datetime(2026, 12, 16, 10, 0, tzinfo=KZ_TZ))
    names = (status.holiday_name_in("kk"), status.holiday_name_in("ru"))
    assert names == ("Тәуелсіздік күні", "День Независимости")
    status = status_at(datetime(2027, 3, 15, 10, 0, tzinfo=KZ_TZ))  # the new Constitution's day
    assert status.holiday_name_in("ru") == "День Конституции Республики Казахстан"
    open_day = status_at(datetime(2026, 11, 25, 10, 0, tzinfo=KZ_TZ))
    assert (open_day.holiday_name_in("kk"), open_day.holiday_name_in("ru")) == (None, None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extra": {}}, "(top): unknown key 'extra'"),
        ({"names": {}}, "names: Dictionary should have at least 1 item"),
        ({"names": {"Victory Day": " "}}, "names.Victory Day: expected a non-empty string"),
        ({"labels": {"(observed)": "{name}"}}, "labels: '(observed)': a label holds %s exactly once"),
        ({"labels": {"%s (observed)": "перенесённый"}}, "labels: '%s (observed)': must hold {name}"),
        (
            {"labels": {"%s (observed)": "{name} {date}"}},
            "labels: '%s (observed)': only {name} may be filled in",
        ),
        (
            {"substituted": {"label": "Day off (%s)", "ru": "{date}"}},
            "substituted: missing key 'date_format'",
        ),
        (
            {"substituted": {**GOOD["substituted"], "date_format": "mm/dd"}},
            "substituted.date_format: expected a strptime format",
        ),
        ({"substituted": {**GOOD["substituted"], "ru": "Выходной"}}, "substituted.ru: must hold {date}"),
        ({"substituted": {**GOOD["substituted"], "label": "Day off"}}, "substituted.label: a label holds %s"),
        ({"labels": []}, "labels: Input should be a valid dictionary"),
    ],
)
def test_the_table_is_read_strictly(change, message):
    with pytest.raises(HolidayNamesError, match="^" + re.escape(f"holidays_ru.toml: {message}")):
        parse_holiday_names({**GOOD, **change}, "holidays_ru.toml")


def test_a_good_table_parses():
    names = parse_holiday_names(GOOD, "x")
    assert names.russian("Victory Day (observed)") == "День Победы (перенесённый выходной)"
