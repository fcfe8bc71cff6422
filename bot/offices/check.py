"""Validate the office directory (data/offices.json) field by field.

Used by `python -m bot offices check`, by the builder before it writes the file, and by the tests,
so the three can never disagree about what a valid directory is. Returns problems, never raises. The
shape of each record (keys, types, phones, coordinates) is bot.offices.schema's, which loading checks
too; here come the checks across records (ids, departments, Appendix rows, regions' boxes).
"""

from __future__ import annotations

import math
import re
from typing import Any

from bot.offices.schema import DirectoryError, read_directory

APPENDIX_ROWS = 221  # rows of Appendix 1: 16 departments and 205 subordinate offices
DEPARTMENTS = 16
KAZAKHSTAN_BOX = (40.5, 55.5, 46.4, 87.4)  # lat_min, lat_max, lon_min, lon_max with a small margin
ID = re.compile(r"^[a-z]{3}-\d{2}[a-z]?$")
PHONE = re.compile(r"^\d[\d-]*\d$")
E164 = re.compile(r"^\+7\d{10}$")  # Kazakhstan: +7 and the 10-digit national number
SOURCE = re.compile(r"^(geonames:\d+|manual:\S.*)$")
KAZAKH_ONLY_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
TEXT_FIELDS = ("region", "name", "address", "settlement")


def _in_box(lat: float, lon: float, box) -> bool:
    return box[0] <= lat <= box[1] and box[2] <= lon <= box[3]


def _text_problems(oid: str, field: str, value: Any) -> list[str]:
    if not isinstance(value, dict) or set(value) != {"kk", "ru"}:
        return [f"{oid}: {field} must be an object with exactly kk and ru"]
    problems = [f"{oid}: {field}.{k} is empty" for k in ("kk", "ru")
                if not isinstance(value[k], str) or not value[k].strip()]
    if not problems and KAZAKH_ONLY_LETTERS & set(value["ru"]):
        problems.append(f"{oid}: {field}.ru has Kazakh letters (not Russian): {value['ru']!r}")
    return problems


def _intl_problems(oid: str, phones: Any, intl: Any) -> list[str]:
    """phones_intl mirrors phones: the same keys and as many entries, each E.164 or null (no code)."""
    if not isinstance(phones, dict):
        return []
    if not isinstance(intl, dict) or set(intl) != set(phones):
        return [f"{oid}: phones_intl must have the same keys as phones"]
    problems = []
    for kind, numbers in intl.items():
        if not isinstance(numbers, list) or len(numbers) != len(phones[kind] or []):
            problems.append(f"{oid}: phones_intl.{kind} must list as many numbers as phones.{kind}")
        elif not all(n is None or (isinstance(n, str) and E164.match(n)) for n in numbers):
            problems.append(f"{oid}: phones_intl.{kind} must hold E.164 numbers (+7 and 10 digits) or null")
        elif any(n and not n.endswith(re.sub(r"\D", "", local))
                 for n, local in zip(numbers, phones[kind], strict=True)):
            problems.append(f"{oid}: phones_intl.{kind} does not end with the local number it dials")
    return problems


def _office_problems(o: Any, boxes: dict[str, Any]) -> list[str]:
    if not isinstance(o, dict):
        return ["an office is not an object"]
    oid = o.get("id")
    if not isinstance(oid, str) or not ID.match(oid):
        return [f"bad id {oid!r} (want e.g. 'akm-07')"]
    problems = []
    for field in TEXT_FIELDS:
        problems += _text_problems(oid, field, o.get(field))
    if o.get("settlement_now") is not None:
        problems += _text_problems(oid, "settlement_now", o["settlement_now"])
    if o.get("region_id") not in boxes:
        problems.append(f"{oid}: unknown region_id {o.get('region_id')!r}")
    if not oid.startswith(f"{o.get('region_id')}-"):
        problems.append(f"{oid}: id does not start with its region_id")
    website = o.get("website")
    if website is not None and (not isinstance(website, str) or " " in website or "@" in website):
        problems.append(f"{oid}: website must be a host name or null")
    phones = o.get("phones")
    if not isinstance(phones, dict) or set(phones) != {"secretariat", "migration"}:
        problems.append(f"{oid}: phones must have exactly secretariat and migration")
    else:
        for kind, numbers in phones.items():
            if not isinstance(numbers, list) or not numbers:
                problems.append(f"{oid}: phones.{kind} must be a non-empty list")
            elif not all(isinstance(n, str) and PHONE.match(n) for n in numbers):
                problems.append(f"{oid}: phones.{kind} has a malformed number: {numbers}")
    problems += _intl_problems(oid, phones, o.get("phones_intl"))
    aliases = o.get("aliases")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(f"{oid}: aliases must be a list of non-empty strings")
    elif len({a.casefold() for a in aliases}) != len(aliases):
        problems.append(f"{oid}: duplicate aliases")
    loc = o.get("location")
    if not isinstance(loc, dict) or set(loc) != {"lat", "lon", "source"}:
        return [*problems, f"{oid}: location must have exactly lat, lon and source"]
    lat, lon = loc["lat"], loc["lon"]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (lat, lon)):
        return [*problems, f"{oid}: location lat/lon must be numbers"]
    if not isinstance(loc["source"], str) or not SOURCE.match(loc["source"]):
        problems.append(f"{oid}: location.source must be 'geonames:<id>' or 'manual:<why>'")
    if not _in_box(lat, lon, KAZAKHSTAN_BOX):
        problems.append(f"{oid}: point {lat}, {lon} is outside Kazakhstan")
    elif o.get("region_id") in boxes and not _in_box(lat, lon, boxes[o["region_id"]]):
        problems.append(f"{oid}: point {lat}, {lon} is outside its region {o['region_id']}")
    return problems


def check_directory(data: Any) -> list[str]:
    """Every problem found in a parsed data/offices.json; an empty list means valid. The first
    problem of the file's shape (bot.offices.schema, what loading the directory checks) comes first."""
    try:
        read_directory(data, "offices.json")
    except DirectoryError as exc:
        return [str(exc), *_problems(data)]
    return _problems(data)


def _problems(data: Any) -> list[str]:
    if not isinstance(data, dict) or not isinstance(data.get("offices"), list):
        return ["the directory must be an object with an 'offices' list"]
    regions = data.get("regions")
    if not isinstance(regions, list) or len(regions) != DEPARTMENTS:
        return [f"the directory must list {DEPARTMENTS} regions"]
    boxes = {r.get("id"): r.get("bbox") for r in regions if isinstance(r, dict)}
    if not all(isinstance(b, list) and len(b) == 4 for b in boxes.values()):
        return ["every region needs a bbox [lat_min, lat_max, lon_min, lon_max]"]
    offices = data["offices"]
    problems = [p for o in offices for p in _office_problems(o, boxes)]
    if problems:
        return problems
    by_id = {o["id"]: o for o in offices}
    if len(by_id) != len(offices):
        problems.append("office ids are not unique")
    departments = [o for o in offices if o.get("department") is None]
    if len(departments) != DEPARTMENTS or any(not d["id"].endswith("-00") for d in departments):
        problems.append(f"want {DEPARTMENTS} department rows (department null, id '<region>-00')")
    for r in regions:
        if by_id.get(r.get("department"), {}).get("department", "missing") is not None:
            problems.append(f"region {r.get('id')}: {r.get('department')!r} is not a department row")
    for o in offices:
        dep = o.get("department")
        if dep is not None and (dep not in by_id or by_id[dep]["department"] is not None
                                or by_id[dep]["region_id"] != o["region_id"]):
            problems.append(f"{o['id']}: department {dep!r} is not the department row of its region")
    rows = {o.get("seed_row") for o in offices}
    if len(rows) != APPENDIX_ROWS or data.get("seed_rows") != APPENDIX_ROWS:
        problems.append(f"want {APPENDIX_ROWS} Appendix rows, found {len(rows)} "
                        f"(seed_rows={data.get('seed_rows')})")
    split = data.get("split_rows", {})
    for row in rows:
        ids = [o["id"] for o in offices if o.get("seed_row") == row]
        if len(ids) > 1 and split.get(row) != ids:
            problems.append(f"Appendix row {row} holds {ids} but split_rows does not say so")
    for note in ("residence_note", "abroad_note"):
        for key in ("kk", "ru"):
            if not isinstance(data.get(note, {}).get(key), str):
                problems.append(f"{note}.{key} is missing")
    problems += [p for place in data.get("new_places", []) for p in _new_place_problems(place, by_id)]
    return problems


def _new_place_problems(place: Any, by_id: dict[str, Any]) -> list[str]:
    """A place formed after the Appendix: named in both languages, dated after 2013, pointing at
    offices that exist (those that served it, or those of its town to offer), with its source."""
    if not isinstance(place, dict) or not isinstance(place.get("id"), str):
        return ["a new place must be an object with an id"]
    pid = f"new place {place['id']}"
    problems = [p for field in ("name", "where") for p in _text_problems(pid, field, place.get(field))]
    if not isinstance(place.get("formed"), int) or place["formed"] <= 2013:
        problems.append(f"{pid}: formed must be a year after 2013 (the Appendix's)")
    for field in ("covered_by", "offer"):
        ids = place.get(field)
        if not isinstance(ids, list) or not all(i in by_id for i in ids):
            problems.append(f"{pid}: {field} must list office ids of the directory")
    if not place.get("offer") or (place.get("covered_by") and place["covered_by"] != place["offer"]):
        problems.append(f"{pid}: offer must be covered_by when a source names them, else the town's offices")
    if not isinstance(place.get("source"), str) or not place["source"].strip():
        problems.append(f"{pid}: source is missing")
    return problems
