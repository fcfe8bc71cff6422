"""Phones a phone can dial: each office's numbers with their area code in E.164 (`phones_intl`), shown
as "+7 7172 71-68-63" on the office card, the talon text and the talon picture, the Appendix's local
form where no source gives the code."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest
from dialogue_support import LANGS, frozen_clock  # noqa: F401  (fixture)
from test_complaints_bot import file_individual, talon_in
from test_offices_dialogue import open_card

from bot.cli import main as cli_main
from bot.complaints import talon
from bot.offices.check import check_directory
from bot.offices.directory import DATA_FILE, international, load_directory
from bot.telegram.locale import make_i18n
from handlers.complaints.talon_render import talon_card

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from offices_phones import Prefix, dial, dial_any, district_places, match_town  # noqa: E402

DIRECTORY = load_directory()


@pytest.fixture(scope="module")
def data():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def test_every_number_has_its_international_form_or_null(data):
    dialled = left = 0
    for o in data["offices"]:
        assert set(o["phones_intl"]) == set(o["phones"]), o["id"]
        for kind, numbers in o["phones"].items():
            for local, e164 in zip(numbers, o["phones_intl"][kind], strict=True):
                if e164 is None:
                    left += 1
                    continue
                assert re.fullmatch(r"\+7\d{10}", e164) and e164.endswith(re.sub(r"\D", "", local))
                dialled += 1
    assert dialled > 450 and left < 60, (dialled, left)


@pytest.mark.parametrize("office_id, kind, expected", [
    ("ast-01", "secretariat", ["+77172716863"]),                    # Astana 7172 + six digits
    ("ala-00", "secretariat", ["+77272544155", "+77272544224"]),    # Almaty 727 + seven digits
    ("alm-06", "secretariat", ["+77277241798"]),                    # Капчагай (Қонаев) 72772 + five
    ("kar-03", "migration", [None]),          # Temirtau 7213, but "5-43-15" has five digits: no code
    ("pav-04", "secretariat", ["+77184121287", None]),  # "39-19-06" does not fit Aktogay's 71841
    ("man-06", "secretariat", [None]),       # the data has no prefix for Munaily district
])
def test_known_codes_and_numbers_left_local(office_id, kind, expected):
    assert list(DIRECTORY.get(office_id).phones_intl[kind]) == expected


def test_shown_form_keeps_the_appendix_grouping():
    assert international("71-68-63", "+77172716863") == "+7 7172 71-68-63"
    assert international("254-41-55", "+77272544155") == "+7 727 254-41-55"
    assert international("4-17-98", None) == "4-17-98"
    assert DIRECTORY.get("kar-03").shown_phones("migration") == ["5-43-15"]


@pytest.mark.parametrize("mutate, problem, line", [
    (lambda o: o.pop("phones_intl"), "missing key 'phones_intl'",
     "offices[ast-01]: missing key 'phones_intl'"),
    (lambda o: o["phones_intl"].pop("migration"), "missing key 'migration'",
     "offices[ast-01].phones_intl: missing key 'migration'"),
    (lambda o: o["phones_intl"]["secretariat"].append(None), "as many numbers",
     "offices[ast-01]: phones_intl.secretariat must list as many numbers as phones.secretariat"),
    (lambda o: o["phones_intl"].update(secretariat=["87172716863"]), "E.164",
     "offices[ast-01].phones_intl.secretariat[0]: expected an E.164 number"),
    (lambda o: o["phones_intl"].update(secretariat=["+7717271686"]), "E.164",
     "offices[ast-01].phones_intl.secretariat[0]: expected an E.164 number"),
    (lambda o: o["phones_intl"].update(secretariat=["+77172999999"]), "does not dial",
     "offices[ast-01]: phones_intl.secretariat: +77172999999 does not dial 71-68-63"),
])
def test_check_validates_phones_intl(data, mutate, problem, line, tmp_path, capsys):
    """The builder's check lists the problem; the CLI, reading the file's shape first, exits 2 with
    one line naming the office and the field."""
    broken = copy.deepcopy(data)
    mutate(next(o for o in broken["offices"] if o["id"] == "ast-01"))
    assert any(problem in p for p in check_directory(broken)), check_directory(broken)
    path = tmp_path / "offices.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    assert cli_main(["offices", "check", "--file", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith(f"{path}: {line}"), err


# --- the builder's matching ---------------------------------------------------------------------

def test_a_local_number_takes_the_code_that_completes_ten_digits():
    assert dial("71-68-63", "7172") == "+77172716863"
    assert dial("254-41-55", "7272") == "+77272544155"   # the prefix holds the code 727 and a digit
    assert dial("395-05-43", "7272") is None             # ... which this number does not start with
    assert dial("71-68-63", "717") is None               # too short a prefix to give a 4-digit code
    assert dial("2-12-87", "7182") is None               # five digits need a five-digit code
    assert dial("39-19-06", "71841") is None             # six digits do not fit a five-digit code


def test_a_town_with_two_codes_for_the_same_number_is_a_conflict():
    almaty = (Prefix("7272", "Алматы", "Almaty"), Prefix("7273", "Алматы", "Almaty"))
    assert dial_any("254-41-55", almaty) == ("+77272544155", {"+77272544155"})
    kostanay = (Prefix("7142", "Костанай", "Kostanai"), Prefix("7149", "Костанай", "Kostanai"))
    chosen, found = dial_any("52-60-19", kostanay)
    assert chosen is None and len(found) == 2


def test_match_by_town_then_by_district():
    prefixes = [Prefix("71837", "Аксуский р-н", "Aksu"), Prefix("71841", "Актогайский р-н", "Aktogai"),
                Prefix("71838", "Майский р-он", "Koktobe"), Prefix("71842", "Майский р-он", "Koktobe")]
    assert match_town(["Ақсу", "Аксу", "Aksu"], [], prefixes).kind == "town"
    districts = district_places("Отдел внутренних дел Актогайского района")
    assert districts == ["Актогайский р-н"]
    found = match_town(["Ақтоғай", "Актогай"], districts, prefixes[1:])
    assert found.kind == "district" and found.prefixes[0].digits == "71841"
    assert match_town(["Шалдай"], ["Майский р-он"], prefixes).kind == "ambiguous"
    assert match_town(["Маңғыстау"], ["Мунайлинский р-н"], prefixes).kind == "none"


# --- what the citizen sees ----------------------------------------------------------------------

@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("lang", LANGS)
async def test_office_card_shows_numbers_a_phone_can_dial(harness, lang):
    user = harness.user(lang)
    card = (await open_card(user, lang, 0, "ast-01")).messages[-2].text
    assert "+7 7172 71-68-63" in card and "+7 7172 71-67-37" in card
    card = (await open_card(user, lang, 9, "kar-03")).messages[-2].text
    assert "+7 7213 98-43-15" in card
    assert "5-43-15" in card and "+7 7213 5-43-15" not in card  # no code rather than a guess


@pytest.mark.parametrize("lang", LANGS)
async def test_talon_text_and_picture_show_international_numbers(harness, lang):
    user = harness.user(lang)
    filed = await file_individual(user, lang)  # about the office of Қапшағай (Қонаев), alm-06
    assert "+7 72772 4-17-98" in filed.text and "+7 72772 4-10-98" in filed.text
    row = await harness.db.complaints.by_talon(talon.parse(talon_in(filed.text)))
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale(lang):
        card = talon_card(row, DIRECTORY.get("alm-06"))
    contacts = dict(card.rows)
    assert any("+7 72772 4-17-98" in value for value in contacts.values()), card.rows
