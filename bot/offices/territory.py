"""Whether a point is in Kazakhstan, by its real boundary rather than a box.

A box around Kazakhstan holds Tashkent, Bishkek, Orenburg, Omsk and Ürümqi; people there (or a phone
that sent a wrong point) must be told the point is abroad, not handed the "nearest" office as if it
were theirs. data/kz_boundary.json is Natural Earth's boundary simplified at build time
(tools/build_boundary.py); here it is only read and tested by ray casting, in pure Python.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationError

from bot import DATA_DIR
from bot.offices.schema import shown
from bot.strict_data import NonEmpty, StrictModel, one_line

BOUNDARY_FILE = DATA_DIR / "kz_boundary.json"

Point = tuple[Annotated[float, Field(ge=-180.0, le=180.0)], Annotated[float, Field(ge=-90.0, le=90.0)]]


class BoundaryError(ValueError):
    """The boundary file cannot be read; the message is one line naming the place in it."""


def _closed(ring: list[Point]) -> list[Point]:
    if ring[0] != ring[-1]:
        raise ValueError(f"not closed: it ends at {list(ring[-1])}, not at its start {list(ring[0])}")
    return ring


Ring = Annotated[list[Point], Field(min_length=4), AfterValidator(_closed)]


class BoundaryFile(StrictModel):
    """The file tools/build_boundary.py writes: its provenance and closed rings of [lon, lat]."""

    source: NonEmpty
    country: NonEmpty
    tolerance_deg: Annotated[float, Field(gt=0.0)]
    rule: NonEmpty
    rings: Annotated[list[Ring], Field(min_length=1)]


class Boundary:
    """Rings of [lon, lat] points under the even-odd rule (an island is one more ring)."""

    def __init__(self, rings: list[list[list[float]]]):
        self._rings = [[(float(x), float(y)) for x, y in ring] for ring in rings]
        xs = [x for ring in self._rings for x, _y in ring]
        ys = [y for ring in self._rings for _x, y in ring]
        self._box = (min(ys), max(ys), min(xs), max(xs))

    def contains(self, lat: float, lon: float) -> bool:
        lat_min, lat_max, lon_min, lon_max = self._box
        if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
            return False
        inside = False
        for ring in self._rings:
            x1, y1 = ring[-1]
            for x2, y2 in ring:
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
                x1, y1 = x2, y2
        return inside


@lru_cache(maxsize=2)
def load_boundary(path: Path | str = BOUNDARY_FILE) -> Boundary:
    """The boundary from data/kz_boundary.json (or another file), read once per path; a file that is
    not the builder's shape raises BoundaryError with one line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BoundaryError(f"{shown(path)}: cannot read: {exc.strerror}") from None
    try:
        model = BoundaryFile.model_validate_json(text)
    except ValidationError as exc:
        raise BoundaryError(f"{shown(path)}: {one_line(exc)}") from None
    return Boundary([list(ring) for ring in model.rings])


def inside_kazakhstan(lat: float, lon: float) -> bool:
    return load_boundary().contains(lat, lon)
