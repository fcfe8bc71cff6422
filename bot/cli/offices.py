"""`python -m bot offices nearest|search|list|check`: the office directory of Appendix 1 as JSON.

nearest --lat LAT --lon LON [--limit N]   offices nearest first, each with distance_km, the §13 note and
                                          inside_kazakhstan (the point's, by the real boundary); a point
                                          abroad adds abroad_note {kk, ru}
search TEXT [--limit N]                   best match first, each with its score (0–100); with no
                                          match, near names with "guess": true; a place formed
                                          after the Appendix lists the offices it offers first,
                                          each with "new_place" (its name, year, covered_by)
list [--region ID]                        all offices (or one region's) in the Appendix's order
check [--file PATH]                       validate data/offices.json: a key, type or value out of the
                                          file's shape exits 2 with one line naming the office and
                                          field; exit 1 with the problems across offices
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.cli import UsageError, emit
from bot.offices.check import check_directory
from bot.offices.directory import DATA_FILE, RESIDENCE_PARAGRAPH, Directory, check_point, load_directory
from bot.offices.schema import DirectoryError
from bot.offices.territory import BoundaryError, inside_kazakhstan
from bot.offices.text import fold


def register(sub) -> None:
    group = sub.add_parser("offices", help="the office directory (Appendix 1): nearest, search, list, check")
    cmds = group.add_subparsers(dest="offices_command", required=True)
    near = cmds.add_parser("nearest", help="offices nearest to a point")
    near.add_argument("--lat", type=float, required=True)
    near.add_argument("--lon", type=float, required=True)
    near.add_argument("--limit", type=int, default=3)
    near.set_defaults(func=_nearest)
    find = cmds.add_parser("search", help="offices by a place or office name (kk, ru or Latin)")
    find.add_argument("text")
    find.add_argument("--limit", type=int, default=5)
    find.set_defaults(func=_search)
    listing = cmds.add_parser("list", help="all offices, or one region's, in the Appendix's order")
    listing.add_argument("--region", help="region id (e.g. akm) or the region's name")
    listing.set_defaults(func=_list)
    check = cmds.add_parser("check", help="validate the directory file")
    check.add_argument("--file", type=Path, default=DATA_FILE)
    check.set_defaults(func=_check)


def _directory() -> Directory:
    """The committed directory; a broken file is one line on stderr, not a traceback."""
    try:
        return load_directory()
    except DirectoryError as exc:
        raise UsageError(str(exc)) from None


def _limit(value: int, directory: Directory) -> int:
    if not 1 <= value <= len(directory):
        raise UsageError(f"--limit must be between 1 and {len(directory)}")
    return value


def _nearest(args) -> int:
    directory = _directory()
    limit = _limit(args.limit, directory)
    try:
        lat, lon = check_point(args.lat, args.lon)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    note = {"paragraph": RESIDENCE_PARAGRAPH, "text": dict(directory.residence_note)}
    try:
        inside = inside_kazakhstan(lat, lon)
    except BoundaryError as exc:
        raise UsageError(str(exc)) from None
    where: dict = {"inside_kazakhstan": inside}
    if not inside:
        where["abroad_note"] = dict(directory.abroad_note)
    emit([
        {**office.to_dict(), "distance_km": round(km, 2), "note": note, **where}
        for office, km in directory.nearest(lat, lon, limit=limit)
    ])
    return 0


def _search(args) -> int:
    directory = _directory()
    limit = _limit(args.limit, directory)
    if not fold(args.text):
        raise UsageError("search text must contain letters or digits")
    found = [{**office.to_dict(), "score": score, "guess": False}
             for office, score in directory.search(args.text, limit=limit)]
    place = directory.new_place(args.text)
    if place is not None:
        about = {"id": place.id, "name": dict(place.name), "formed": place.formed,
                 "covered_by": list(place.covered_by), "source": place.source}
        offered = [{**directory.get(i).to_dict(), "score": 100.0, "guess": False, "new_place": about}
                   for i in place.offer]
        found = (offered + [f for f in found if f["id"] not in place.offer])[:limit]
    elif not found:
        found = [{**office.to_dict(), "score": score, "guess": True}
                 for office, score in directory.guesses(args.text, limit=limit)]
    emit(found)
    return 0


def _list(args) -> int:
    directory = _directory()
    if args.region is None:
        emit([office.to_dict() for office in directory.all()])
        return 0
    wanted = fold(args.region)
    for region in directory.regions():
        if wanted in {region.id, *(fold(name) for name in region.name.values())}:
            emit([office.to_dict() for office in directory.in_region(region.id)])
            return 0
    ids = ", ".join(r.id for r in directory.regions())
    raise UsageError(f"unknown region {args.region!r}; use one of: {ids}")


def _check(args) -> int:
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {args.file}: {exc}") from None
    try:
        directory = Directory.from_data(data, str(args.file))
    except DirectoryError as exc:
        raise UsageError(str(exc)) from None
    problems = check_directory(data)
    if problems:
        emit({"ok": False, "file": str(args.file), "problems": problems})
        return 1
    emit({
        "ok": True,
        "file": str(args.file),
        "offices": len(directory),
        "departments": len(directory.departments()),
        "appendix_rows": data["seed_rows"],
        "split_rows": data.get("split_rows", {}),
    })
    return 0
