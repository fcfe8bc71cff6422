"""`python -m bot offices nearest|search|list|check`: JSON out, exit 2 with one line on bad input."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.offices.directory import DATA_FILE


def run(capsys, *argv):
    code = main(["offices", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_passes_on_the_committed_file(capsys):
    code, out, _err = run(capsys, "check")
    result = json.loads(out)
    assert code == 0 and result["ok"] is True
    assert (result["offices"], result["departments"], result["appendix_rows"]) == (223, 16, 221)


def test_check_reports_a_broken_file(capsys, tmp_path):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["offices"][3]["location"]["lat"] = 10.0
    broken = tmp_path / "offices.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    code, out, _err = run(capsys, "check", "--file", str(broken))
    result = json.loads(out)
    assert code == 1 and result["ok"] is False and any("outside Kazakhstan" in p for p in result["problems"])


def test_nearest_lists_offices_with_distance_and_the_residence_note(capsys):
    code, out, err = run(capsys, "nearest", "--lat", "43.87", "--lon", "77.07", "--limit", "2")
    found = json.loads(out)
    assert code == 0 and err == ""
    assert [o["id"] for o in found][0] == "alm-06" and len(found) == 2
    assert found[0]["distance_km"] < 2 < found[1]["distance_km"]
    assert found[0]["note"]["paragraph"] == "§13" and found[0]["note"]["text"]["ru"].startswith("§13")
    assert found[0]["name"]["ru"] == "Отдел внутренних дел города Капчагая"
    assert set(found[0]["location"]) == {"lat", "lon", "source"}


def test_search_best_match_first(capsys):
    code, out, _err = run(capsys, "search", "Усть-Каменогорск", "--limit", "1")
    found = json.loads(out)
    assert code == 0 and len(found) == 1 and found[0]["id"] == "vos-00" and found[0]["score"] == 100


def test_search_without_a_match_is_an_empty_list(capsys):
    code, out, _err = run(capsys, "search", "qwxzvj")
    assert code == 0 and json.loads(out) == []


def test_list_all_and_one_region(capsys):
    code, out, _err = run(capsys, "list")
    assert code == 0 and len(json.loads(out)) == 223
    code, out, _err = run(capsys, "list", "--region", "akm")
    ids = [o["id"] for o in json.loads(out)]
    assert ids[0] == "akm-00" and len(ids) == 19
    code, out, _err = run(capsys, "list", "--region", "Акмолинская область")
    assert [o["id"] for o in json.loads(out)] == ids


@pytest.mark.parametrize("argv", [
    ["nearest", "--lat", "91", "--lon", "70"],
    ["nearest", "--lat", "50", "--lon", "-181"],
    ["nearest", "--lat", "nan", "--lon", "70"],
    ["nearest", "--lat", "north", "--lon", "70"],
    ["nearest", "--lat", "50"],
    ["nearest", "--lat", "50", "--lon", "70", "--limit", "0"],
    ["search", "Астана", "--limit", "1000"],
    ["search", "  ..  "],
    ["list", "--region", "atlantis"],
    ["check", "--file", "/nonexistent/offices.json"],
    ["teleport"],
])
def test_bad_input_exits_2_with_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.strip() and len(err.strip().splitlines()) == 1


def test_search_never_gives_a_guess_as_a_match(capsys):
    code, out, _err = run(capsys, "search", "Наурзумск")
    assert code == 0 and [(o["id"], o["guess"]) for o in json.loads(out)] == [("kus-16", True)]
    code, out, _err = run(capsys, "search", "Kokshetau")
    assert all(o["guess"] is False for o in json.loads(out))


def test_search_a_place_formed_after_the_appendix(capsys):
    code, out, _err = run(capsys, "search", "Наурызбай", "--limit", "20")
    found = json.loads(out)
    assert code == 0 and [o["id"] for o in found] == [f"ala-{n:02d}" for n in range(8)]
    assert found[0]["new_place"]["formed"] == 2014 and found[0]["new_place"]["covered_by"] == []
    assert "kus-16" not in {o["id"] for o in found}
