"""data/kz_boundary.json read through a strict model: a broken file is one line naming the place in
it, through load_boundary and through `offices nearest` (exit 2, one line on stderr)."""

from __future__ import annotations

import copy
import json

import pytest

import bot.cli.offices as cli_offices
from bot.cli import main as cli_main
from bot.offices.territory import BOUNDARY_FILE, BoundaryError, load_boundary

DATA = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))

BROKEN = [
    pytest.param(lambda d: d.update(srid=4326), "(top): unknown key 'srid'", id="unknown-key"),
    pytest.param(lambda d: d.pop("source"), "(top): missing key 'source'", id="missing-source"),
    pytest.param(lambda d: d["rings"][1][3].__setitem__(1, 95.0),
                 "rings[1][3][1]: Input should be less than or equal to 90", id="bad-latitude"),
    pytest.param(lambda d: d["rings"][1][3].__setitem__(0, "70.1"),
                 "rings[1][3][0]: Input should be a valid number", id="coordinate-as-text"),
    pytest.param(lambda d: d["rings"][1][3].append(0.0),
                 "rings[1][3]: Tuple should have at most 2 items", id="three-numbers"),
    pytest.param(lambda d: d["rings"][2].pop(), "rings[2]: not closed", id="open-ring"),
    pytest.param(lambda d: d.update(rings=[]), "rings: List should have at least 1 item", id="no-rings"),
]


def _write(tmp_path, mutate):
    broken = copy.deepcopy(DATA)
    mutate(broken)
    path = tmp_path / "kz_boundary.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, line", BROKEN)
def test_load_boundary_names_the_place_in_one_line(tmp_path, mutate, line):
    path = _write(tmp_path, mutate)
    with pytest.raises(BoundaryError) as caught:
        load_boundary(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {line}") and "\n" not in message, message


@pytest.mark.parametrize("mutate, line", BROKEN[:3])
def test_offices_nearest_exits_2_with_one_line(capsys, tmp_path, monkeypatch, mutate, line):
    path = _write(tmp_path, mutate)
    monkeypatch.setattr(cli_offices, "inside_kazakhstan",
                        lambda lat, lon: load_boundary(path).contains(lat, lon))
    assert cli_main(["offices", "nearest", "--lat", "43.2", "--lon", "76.9"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"{path}: {line}") and err.count("\n") == 1, err


def test_not_json_and_missing_files_are_one_line(tmp_path):
    path = tmp_path / "kz_boundary.json"
    path.write_text('{"rings": [', encoding="utf-8")
    with pytest.raises(BoundaryError, match=r": Invalid JSON: EOF while parsing"):
        load_boundary(path)
    with pytest.raises(BoundaryError, match=r": cannot read: No such file or directory$"):
        load_boundary(tmp_path / "missing.json")


def test_the_committed_boundary_reads_through_the_model():
    boundary = load_boundary()
    assert boundary.contains(43.24, 76.95) and not boundary.contains(41.30, 69.24)
