"""The office directory of Appendix 1: regions, departments, their offices, text search, nearest.

Pure domain: reads data/offices.json once (built by tools/build_offices.py, see the README) and
answers from memory. Office texts stay {"kk": ..., "ru": ...} mappings, the way every data text of
the project is shaped, so callers pick the reader's language with bot.formatting.pick.

§13 of the standard: documents are handed in at the office of the place of permanent residence, which
need not be the nearest one. Callers showing `nearest` results show RESIDENCE_PARAGRAPH with them
(the directory's `residence_note` holds the sentence in both languages).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from geopy.distance import geodesic

from bot import DATA_DIR
from bot.offices.new_places import NewPlace, NewPlaceIndex
from bot.offices.schema import DirectoryError, Note, OfficeRow, read_directory, shown
from bot.offices.search import MATCH_SCORE, OfficeIndex
from bot.offices.territory import inside_kazakhstan
from bot.strict_data import LocalText

DATA_FILE = DATA_DIR / "offices.json"
RESIDENCE_PARAGRAPH = "§13"
EARTH_RADIUS_KM = 6371.0088
_TEXT_FIELDS = ("region", "name", "address", "settlement")
# Farther than this from every office, a shared location is not a place anyone applies from: the
# phone sent a wrong point or the user is abroad. The longest trip to a district office is ~250 km.
FAR_KM = 300.0
# geopy's geodesic on WGS-84; `measure(a, b)` gives km without building a Distance per call.
_GEODESIC = geodesic()


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(
        {k: tuple(v) if isinstance(v, list) else v for k, v in mapping.items()}
    )


def _texts(text: LocalText | Note) -> Mapping[str, str]:
    return MappingProxyType({"kk": text.kk, "ru": text.ru})


@dataclass(frozen=True, eq=False)
class Office:
    """One row of Appendix 1 (the packed Shymkent row is three offices, see `seed_row`).

    Texts are read-only {"kk", "ru"} mappings; `phones` maps "secretariat"/"migration" to tuples of
    numbers as the seed writes them, `phones_intl` the same keys to each number in E.164 or None
    where no source gives its area code; `location` maps "lat", "lon", "source". `settlement_now` is
    today's name of a settlement renamed since the Appendix (Қапшағай → Қонаев), else None.
    """

    id: str
    department: str | None
    region_id: str
    region: Mapping[str, str]
    name: Mapping[str, str]
    address: Mapping[str, str]
    settlement: Mapping[str, str]
    website: str | None
    phones: Mapping[str, tuple[str, ...]]
    location: Mapping[str, Any]
    aliases: tuple[str, ...]
    seed_row: str
    settlement_now: Mapping[str, str] | None = None
    phones_intl: Mapping[str, tuple[str | None, ...]] | None = None

    @property
    def is_department(self) -> bool:
        return self.department is None

    @property
    def lat(self) -> float:
        return float(self.location["lat"])

    @property
    def lon(self) -> float:
        return float(self.location["lon"])

    def to_dict(self) -> dict[str, Any]:
        """The office in the schema of data/offices.json (for JSON output)."""
        return {
            "id": self.id,
            "department": self.department,
            "region_id": self.region_id,
            **{f: dict(getattr(self, f)) for f in _TEXT_FIELDS},
            "settlement_now": dict(self.settlement_now) if self.settlement_now else None,
            "website": self.website,
            "phones": {k: list(v) for k, v in self.phones.items()},
            "phones_intl": {k: list(v) for k, v in (self.phones_intl or {}).items()},
            "location": dict(self.location),
            "aliases": list(self.aliases),
            "seed_row": self.seed_row,
        }

    @classmethod
    def from_row(cls, row: OfficeRow) -> Office:
        return cls(
            id=row.id,
            department=row.department,
            region_id=row.region_id,
            **{f: _texts(getattr(row, f)) for f in _TEXT_FIELDS},
            website=row.website,
            phones=_frozen(row.phones.model_dump()),
            location=_frozen(row.location.model_dump()),
            aliases=tuple(row.aliases),
            seed_row=row.seed_row,
            settlement_now=_texts(row.settlement_now) if row.settlement_now else None,
            phones_intl=_frozen(row.phones_intl.model_dump()),
        )

    def shown_phones(self, kind: str) -> list[str]:
        """The numbers of a kind ("secretariat", "migration") as a phone dials them from anywhere,
        "+7 7172 71-68-63" (Telegram makes them tappable); as the Appendix writes them where no
        source gives the area code."""
        local = self.phones.get(kind, ())
        intl = (self.phones_intl or {}).get(kind) or (None,) * len(local)
        return [international(n, e164) for n, e164 in zip(local, intl, strict=True)]


def international(local: str, e164: str | None) -> str:
    """"+7", the area code and the local number grouped as the Appendix writes it."""
    if e164 is None:
        return local
    digits = sum(ch.isdigit() for ch in local)
    return f"{e164[:2]} {e164[2:len(e164) - digits]} {local}"


@dataclass(frozen=True)
class Region:
    """A department's area as the Appendix has it (2013 borders), for menus."""

    id: str
    name: Mapping[str, str]
    department: str


def check_point(lat: float, lon: float) -> tuple[float, float]:
    """The point as floats; ValueError with a readable reason when it is not a point on Earth."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValueError("latitude and longitude must be numbers") from None
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError("latitude must be between -90 and 90")
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise ValueError("longitude must be between -180 and 180")
    return lat, lon


def _approx_km(lat: float, lon: float, lats: list[float], lons: list[float]) -> list[float]:
    """Equirectangular distances (radians in, km out): within a few percent here, and cheap."""
    lat, lon = math.radians(lat), math.radians(lon)
    out = []
    for la, lo in zip(lats, lons, strict=True):
        dlon = (lo - lon + math.pi) % math.tau - math.pi
        out.append(EARTH_RADIUS_KM * math.hypot(dlon * math.cos((la + lat) / 2.0), la - lat))
    return out


def _haversine_km(lat: float, lon: float, la: float, lo: float) -> float:
    """Great-circle distance (degrees in): within 0.5% of the geodesic, a hundred times cheaper."""
    lat, lon, la, lo = map(math.radians, (lat, lon, la, lo))
    h = math.sin((la - lat) / 2) ** 2 + math.cos(lat) * math.cos(la) * math.sin((lo - lon) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Directory:
    """All offices in Appendix order, with lookups, search and nearest."""

    def __init__(self, offices: list[Office], regions: list[Region], residence_note: Mapping[str, str],
                 new_places: list[NewPlace] = (), abroad_note: Mapping[str, str] | None = None):
        self._offices = tuple(offices)
        self._new_places = NewPlaceIndex(new_places)
        self._order = {o.id: i for i, o in enumerate(self._offices)}
        self._by_id = {o.id: o for o in self._offices}
        self._regions = tuple(regions)
        self.residence_note = MappingProxyType(dict(residence_note))
        # said with the nearest offices of a point outside Kazakhstan (§13 still applies)
        self.abroad_note = MappingProxyType(dict(abroad_note or residence_note))
        self._at_point: dict[tuple[float, float], list[Office]] = {}
        for office in self._offices:
            self._at_point.setdefault((office.lat, office.lon), []).append(office)
        self._points = list(self._at_point)  # distinct points, in the order of their first office
        self._lats = [math.radians(lat) for lat, _lon in self._points]
        self._lons = [math.radians(lon) for _lat, lon in self._points]
        self._index = OfficeIndex(self._offices)

    @classmethod
    def from_data(cls, data: Any, name: str = "data/offices.json") -> Directory:
        """The directory from a parsed file; DirectoryError (one line naming the place) if it is not
        the file's shape."""
        model = read_directory(data, name)
        offices = [Office.from_row(o) for o in model.offices]
        regions = [Region(r.id, _texts(r.name), r.department) for r in model.regions]
        new_places = [
            NewPlace(id=p.id, name=p.name.as_dict(), where=p.where.as_dict(), formed=p.formed,
                     aliases=tuple(p.aliases), covered_by=tuple(p.covered_by), offer=tuple(p.offer),
                     source=p.source)
            for p in model.new_places
        ]
        note, abroad = (_texts(n) for n in (model.residence_note, model.abroad_note))
        return cls(offices, regions, note, new_places, abroad)

    def __len__(self) -> int:
        return len(self._offices)

    def all(self) -> tuple[Office, ...]:
        return self._offices

    def regions(self) -> list[Region]:
        """The 16 regions (2013 borders) in the Appendix's order."""
        return list(self._regions)

    def departments(self) -> list[Office]:
        """The 16 department offices in the Appendix's order."""
        return [o for o in self._offices if o.department is None]

    def subordinates(self, department_id: str) -> list[Office]:
        """A department's offices in the Appendix's order (empty for an unknown id)."""
        return [o for o in self._offices if o.department == department_id]

    def in_region(self, region_id: str) -> list[Office]:
        """The department and its offices of one region, department first."""
        return [o for o in self._offices if o.region_id == region_id]

    def get(self, office_id: str) -> Office | None:
        return self._by_id.get(office_id)

    def shares_point(self, office: Office) -> bool:
        """Whether other offices stand on the same point: a city's point, not the office's building
        (the district offices of Almaty, Astana, Shymkent ...), so a distance to it is to the city."""
        return len(self._at_point.get((office.lat, office.lon), ())) > 1

    def at_point_of(self, office: Office) -> list[Office]:
        """Every office standing on the office's point (itself included), in the Appendix's order."""
        return list(self._at_point.get((office.lat, office.lon), [office]))

    def search(self, text: str, limit: int = 5) -> list[tuple[Office, float]]:
        """Best matches for a place or office name (kk, ru or Latin; old and new names; typos),
        best first with a score 0–100; ties keep the Appendix's order. A weak near-name is not a
        match (see `guesses`)."""
        return [(o, s) for o, s in self._ranked(text, limit) if s >= MATCH_SCORE][:limit]

    def guesses(self, text: str, limit: int = 5) -> list[tuple[Office, float]]:
        """Near names below MATCH_SCORE, to be offered as "did you mean …?", never as results;
        empty when the text has a real match."""
        ranked = self._ranked(text, limit)
        return [] if any(s >= MATCH_SCORE for _o, s in ranked) else ranked[:limit]

    def _ranked(self, text: str, limit: int) -> list[tuple[Office, float]]:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        scored = self._index.scores(text)
        return sorted(scored.items(), key=lambda item: (-item[1], self._order[item[0].id]))

    def new_place(self, text: str) -> NewPlace | None:
        """A district or town formed after the Appendix, named exactly (bot.offices.new_places)."""
        return self._new_places.find(text)

    def nearest(self, lat: float, lon: float, limit: int = 3) -> list[tuple[Office, float]]:
        """The `limit` offices nearest to the point with geodesic distances in km, nearest first.

        A cheap equirectangular pass picks the candidates; only those get the exact geodesic.
        Offices sharing a point (districts of a city) keep the Appendix's order.
        """
        lat, lon = check_point(lat, lon)
        if limit < 1:
            raise ValueError("limit must be at least 1")
        approx = _approx_km(lat, lon, self._lats, self._lons)
        order = sorted(range(len(approx)), key=approx.__getitem__)
        kth = approx[order[min(limit, len(order)) - 1]]  # fewer points than offices: a safe bound
        near = [(_haversine_km(lat, lon, *self._points[i]), i) for i in order if approx[i] <= kth * 1.05 + 1]
        near.sort()
        bound = near[min(limit, len(near)) - 1][0] * 1.01 + 0.1  # sphere vs ellipsoid: under 0.5%
        exact = sorted((_GEODESIC.measure((lat, lon), self._points[i]), i) for km, i in near if km <= bound)
        found = [(office, km) for km, i in exact for office in self._at_point[self._points[i]]]
        return found[:limit]

    def nearest_whole(self, lat: float, lon: float, limit: int = 3) -> list[tuple[Office, float]]:
        """Like `nearest`, but a point several offices share (a city's) is never split: all of its
        offices are listed, so there may be more than `limit`. Showing three of Almaty's eight
        offices because they happen to come first would hide the one the user may need (§13)."""
        found = self.nearest(lat, lon, limit=limit)
        last, km = found[-1]
        listed = {office.id for office, _km in found}
        return found + [(office, km) for office in self.at_point_of(last) if office.id not in listed]


def is_far(lat: float, lon: float, nearest_km: float) -> bool:
    """Whether a point is outside Kazakhstan (its boundary, bot.offices.territory) or more than FAR_KM from
    the nearest office."""
    return nearest_km > FAR_KM or not inside_kazakhstan(lat, lon)


@lru_cache(maxsize=4)
def load_directory(path: Path | str = DATA_FILE) -> Directory:
    """The directory from data/offices.json (or another file), read once per path; a file that cannot
    be read or is not the directory's shape raises DirectoryError with one line."""
    name = shown(Path(path))
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise DirectoryError(f"{name}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise DirectoryError(f"{name}: not valid JSON: {exc}") from None
    return Directory.from_data(data, name)
