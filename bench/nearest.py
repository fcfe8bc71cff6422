"""The 3 nearest offices to a point: our 223 offices and 10,000 synthetic ones (Directory).

Points are drawn uniformly over Kazakhstan's bounding box; the synthetic directory repeats our
offices at random points inside it, so the work per office is the same as in production.
"""

from __future__ import annotations

import dataclasses
import random
import time
from types import MappingProxyType

from bot.offices.directory import Directory, load_directory

KZ_BOX = ((40.6, 55.4), (46.5, 87.3))  # (lat range, lon range)


def _points(rng: random.Random, count: int) -> list[tuple[float, float]]:
    (lat0, lat1), (lon0, lon1) = KZ_BOX
    return [(rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)) for _ in range(count)]


def synthetic_directory(size: int, rng: random.Random) -> Directory:
    ours = load_directory()
    offices = []
    for n, (lat, lon) in enumerate(_points(rng, size)):
        template = ours.all()[n % len(ours)]
        location = MappingProxyType({"lat": lat, "lon": lon, "source": "synthetic"})
        offices.append(dataclasses.replace(template, id=f"synthetic-{n}", location=location))
    return Directory(offices, ours.regions(), ours.residence_note)


def p99_ms(directory: Directory, queries: int, rng: random.Random) -> tuple[float, float]:
    """(wall, CPU) p99 in ms: on a busy machine the CPU time shows the cost without preemption."""
    walls, cpus = [], []
    for lat, lon in _points(rng, queries):
        cpu, wall = time.thread_time(), time.perf_counter()
        directory.nearest(lat, lon, 3)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.thread_time() - cpu)
    return _p99(walls) * 1000, _p99(cpus) * 1000


def _p99(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))]


def run(queries: int) -> dict[str, float]:
    rng = random.Random(13)
    ours = load_directory()
    p99_ms(ours, 50, rng)  # warm-up
    big = synthetic_directory(10_000, rng)
    small_ms, small_cpu = p99_ms(ours, queries, rng)
    big_ms, big_cpu = p99_ms(big, max(50, queries // 10), rng)
    return {
        "offices": len(ours),
        "nearest_ms_p99": round(small_ms, 3),
        "nearest_cpu_ms_p99": round(small_cpu, 3),
        "nearest_ms_p99_10k": round(big_ms, 3),
        "nearest_cpu_ms_p99_10k": round(big_cpu, 3),
        # CPU time per office at 10,000 over that at ours: ≤ 1 means it grows no worse than linearly.
        "nearest_growth_vs_linear": round((big_cpu / 10_000) / (small_cpu / len(ours)), 3),
    }
