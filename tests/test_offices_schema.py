"""data/offices.json read through strict models: a maintainer's mistake is one line naming the office
and the field, through load_directory and through the CLI (exit 2, one line on stderr)."""

from __future__ import annotations

import copy
import json

import pytest

import bot.cli.offices as cli_offices
from bot.cli import main as cli_main
from bot.offices.check import check_directory
from bot.offices.directory import DATA_FILE, Directory, load_directory
from bot.offices.schema import DirectoryError

DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _office(data, office_id):
    return next(o for o in data["offices"] if o["id"] == office_id)


BROKEN = [
    pytest.param(lambda d: _office(d, "alm-06")["phones_intl"].update(reception=[None]),
                 "offices[alm-06].phones_intl: unknown key 'reception'", id="unknown-phone-kind"),
    pytest.param(lambda d: _office(d, "alm-06").update(fax="8-72772"),
                 "offices[alm-06]: unknown key 'fax'", id="unknown-key"),
    pytest.param(lambda d: _office(d, "kar-02").pop("address"),
                 "offices[kar-02]: missing key 'address'", id="missing-field"),
    pytest.param(lambda d: _office(d, "kar-02")["name"].pop("ru"),
                 "offices[kar-02].name: missing key 'ru'", id="missing-text"),
    pytest.param(lambda d: _office(d, "ast-01")["phones_intl"].update(migration=["+7 7172 71-68-63"]),
                 "offices[ast-01].phones_intl.migration[0]: expected an E.164 number", id="bad-phone"),
    pytest.param(lambda d: _office(d, "ast-01")["phones"].update(migration=["call us"]),
                 "offices[ast-01].phones.migration[0]: expected a local number", id="bad-local-phone"),
    pytest.param(lambda d: _office(d, "vos-04")["location"].update(lat=143.2),
                 "offices[vos-04].location.lat: Input should be less than or equal to 90", id="bad-lat"),
    pytest.param(lambda d: _office(d, "vos-04")["location"].update(lon="84.27"),
                 "offices[vos-04].location.lon: Input should be a valid number", id="coordinate-as-text"),
    pytest.param(lambda d: d["regions"][2].update(bbox=[43.05, 43.45, 76.7]),
                 "regions[ala].bbox: List should have at least 4 items", id="region-bbox"),
    pytest.param(lambda d: d["new_places"][0].update(formed=2010),
                 "new_places[nauryzbay].formed: Input should be greater than 2013", id="new-place-year"),
    pytest.param(lambda d: d.pop("abroad_note"), "(top): missing key 'abroad_note'", id="missing-note"),
]


def _write(tmp_path, mutate):
    broken = copy.deepcopy(DATA)
    mutate(broken)
    path = tmp_path / "offices.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, line", BROKEN)
def test_load_directory_names_the_office_and_field_in_one_line(tmp_path, mutate, line):
    path = _write(tmp_path, mutate)
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {line}") and "\n" not in message, message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("mutate, line", BROKEN)
def test_check_exits_2_with_one_line(capsys, tmp_path, mutate, line):
    path = _write(tmp_path, mutate)
    assert cli_main(["offices", "check", "--file", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"{path}: {line}") and err.count("\n") == 1, err


@pytest.mark.parametrize("mutate, line", BROKEN)
def test_the_builders_check_agrees(mutate, line):
    broken = copy.deepcopy(DATA)
    mutate(broken)
    assert check_directory(broken)[0].startswith(f"offices.json: {line}")


@pytest.mark.parametrize("mutate, line", BROKEN)
def test_the_builders_check_words_a_shape_mistake_once(mutate, line):
    """The shape is the models' alone: the checks across records do not report it again in other words."""
    broken = copy.deepcopy(DATA)
    mutate(broken)
    problems = check_directory(broken)
    assert len(problems) == 1 and problems[0].startswith(f"offices.json: {line}"), problems


def test_the_committed_file_is_named_as_a_maintainer_types_it():
    broken = copy.deepcopy(DATA)
    _office(broken, "alm-06")["location"].update(lat=-91.0)
    with pytest.raises(DirectoryError, match=r"^data/offices\.json: offices\[alm-06\]\.location\.lat: "):
        Directory.from_data(broken)


def test_the_other_commands_read_the_directory_the_same_way(capsys, tmp_path, monkeypatch):
    path = _write(tmp_path, lambda d: _office(d, "alm-06").update(fax="8-72772"))
    monkeypatch.setattr(cli_offices, "load_directory", lambda: load_directory(path))
    for argv in (["nearest", "--lat", "43.2", "--lon", "76.9"], ["search", "Қонаев"], ["list"]):
        assert cli_main(["offices", *argv]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err == f"{path}: offices[alm-06]: unknown key 'fax'\n"


@pytest.mark.parametrize("text, line", [
    ("{\"offices\": [", "not valid JSON"),
    ("[]", "(top): expected a table"),
])
def test_a_file_that_is_not_a_directory_is_one_line(tmp_path, text, line):
    path = tmp_path / "offices.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert str(caught.value).startswith(f"{path}: {line}") and "\n" not in str(caught.value)


def test_an_unreadable_path_is_one_line(tmp_path):
    with pytest.raises(DirectoryError, match=r": cannot read: No such file or directory$"):
        load_directory(tmp_path / "missing.json")


def test_the_committed_file_reads_through_the_models_unchanged():
    directory = load_directory()
    assert [office.to_dict() for office in directory.all()] == DATA["offices"]
    assert isinstance(directory.get("ast-01").phones["migration"], tuple)
    assert [r.id for r in directory.regions()] == [r["id"] for r in DATA["regions"]]
    assert dict(directory.abroad_note) == {k: DATA["abroad_note"][k] for k in ("kk", "ru")}
    place = directory.new_place("Наурызбай ауданы")
    assert place is not None and list(place.offer) == DATA["new_places"][0]["offer"]
