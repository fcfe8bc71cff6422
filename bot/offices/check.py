"""Validate the office directory (data/offices.json) across its records.

Used by `python -m bot offices check`, by the builder before it writes the file, and by the tests,
so the three can never disagree about what a valid directory is. Returns problems, never raises. The
shape of each record (keys, types, phones, coordinates) is bot.offices.schema's, which loading checks
too and which comes first; here come the checks across records (ids, departments, Appendix rows,
regions' boxes) and of the texts' language.
"""

from __future__ import annotations

from typing import Any

from bot.offices.schema import DirectoryError, DirectoryFile, NewPlaceRow, OfficeRow, read_directory
from bot.strict_data import LocalText

APPENDIX_ROWS = 221  # rows of Appendix 1: 16 departments and 205 subordinate offices
DEPARTMENTS = 16
KAZAKHSTAN_BOX = (40.5, 55.5, 46.4, 87.4)  # lat_min, lat_max, lon_min, lon_max with a small margin
KAZAKH_ONLY_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
TEXT_FIELDS = ("region", "name", "address", "settlement", "settlement_now")


def _in_box(lat: float, lon: float, box) -> bool:
    return box[0] <= lat <= box[1] and box[2] <= lon <= box[3]


def _text_problems(oid: str, field: str, value: LocalText | None) -> list[str]:
    if value is not None and KAZAKH_ONLY_LETTERS & set(value.ru):
        return [f"{oid}: {field}.ru has Kazakh letters (not Russian): {value.ru!r}"]
    return []


def _office_problems(o: OfficeRow, boxes: dict[str, list[float]]) -> list[str]:
    oid = o.id
    problems = [p for field in TEXT_FIELDS for p in _text_problems(oid, field, getattr(o, field))]
    if o.region_id not in boxes:
        problems.append(f"{oid}: unknown region_id {o.region_id!r}")
    if not oid.startswith(f"{o.region_id}-"):
        problems.append(f"{oid}: id does not start with its region_id")
    if len({a.casefold() for a in o.aliases}) != len(o.aliases):
        problems.append(f"{oid}: duplicate aliases")
    lat, lon = o.location.lat, o.location.lon
    if not _in_box(lat, lon, KAZAKHSTAN_BOX):
        problems.append(f"{oid}: point {lat}, {lon} is outside Kazakhstan")
    elif o.region_id in boxes and not _in_box(lat, lon, boxes[o.region_id]):
        problems.append(f"{oid}: point {lat}, {lon} is outside its region {o.region_id}")
    return problems


def check_directory(data: Any) -> list[str]:
    """Every problem found in a parsed data/offices.json; an empty list means valid. A file that is
    not of the directory's shape (bot.offices.schema, what loading checks) has that one problem."""
    try:
        directory = read_directory(data, "offices.json")
    except DirectoryError as exc:
        return [str(exc)]
    return _problems(directory)


def _problems(d: DirectoryFile) -> list[str]:
    if len(d.regions) != DEPARTMENTS:
        return [f"the directory must list {DEPARTMENTS} regions"]
    boxes = {r.id: r.bbox for r in d.regions}
    offices = d.offices
    problems = [p for o in offices for p in _office_problems(o, boxes)]
    if problems:
        return problems
    by_id = {o.id: o for o in offices}
    if len(by_id) != len(offices):
        problems.append("office ids are not unique")
    departments = [o for o in offices if o.department is None]
    if len(departments) != DEPARTMENTS or any(not o.id.endswith("-00") for o in departments):
        problems.append(f"want {DEPARTMENTS} department rows (department null, id '<region>-00')")
    for r in d.regions:
        if r.department not in by_id or by_id[r.department].department is not None:
            problems.append(f"region {r.id}: {r.department!r} is not a department row")
    for o in offices:
        dep = o.department
        if dep is not None and (dep not in by_id or by_id[dep].department is not None
                                or by_id[dep].region_id != o.region_id):
            problems.append(f"{o.id}: department {dep!r} is not the department row of its region")
    rows = {o.seed_row for o in offices}
    if len(rows) != APPENDIX_ROWS or d.seed_rows != APPENDIX_ROWS:
        problems.append(f"want {APPENDIX_ROWS} Appendix rows, found {len(rows)} (seed_rows={d.seed_rows})")
    for row in rows:
        ids = [o.id for o in offices if o.seed_row == row]
        if len(ids) > 1 and d.split_rows.get(row) != ids:
            problems.append(f"Appendix row {row} holds {ids} but split_rows does not say so")
    problems += [p for place in d.new_places for p in _new_place_problems(place, by_id)]
    return problems


def _new_place_problems(place: NewPlaceRow, by_id: dict[str, OfficeRow]) -> list[str]:
    """A place formed after the Appendix points at offices that exist (those that served it, or those
    of its town to offer)."""
    pid = f"new place {place.id}"
    problems = [p for field in ("name", "where") for p in _text_problems(pid, field, getattr(place, field))]
    for field in ("covered_by", "offer"):
        if not all(i in by_id for i in getattr(place, field)):
            problems.append(f"{pid}: {field} must list office ids of the directory")
    if not place.offer or (place.covered_by and place.covered_by != place.offer):
        problems.append(f"{pid}: offer must be covered_by when a source names them, else the town's offices")
    return problems
