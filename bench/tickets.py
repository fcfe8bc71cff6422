"""Talon lookup in a database of a million complaints, and durable registrations per second.

The big database is built once with `db.complaints.import_rows` (one transaction) and cached in
var/bench/ (gitignored), keyed by its size and the schema version, so later runs only look up.
Registrations use `db.complaints.register` exactly as the bot does: each one its own durable
transaction (WAL, synchronous=FULL), talon included.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot import PROJECT_ROOT
from bot.complaints import talon
from bot.storage import bulk
from bot.storage.database import Database
from bot.storage.schema import SCHEMA_VERSION
from bot.storage.timestamps import utc_text

CACHE_DIR = PROJECT_ROOT / "var" / "bench"
BATCH = 100_000
OFFICES = [f"office-{n}" for n in range(223)]
CATEGORIES = ("rude_service", "long_wait", "late_decision", "extra_documents", "refusal", "other")


def _row(sequence: int, rng: random.Random, start: datetime) -> dict[str, Any]:
    at = utc_text(start + timedelta(seconds=sequence * 7))
    return {
        "talon": talon.issue(sequence), "sequence": sequence, "idempotency_key": None,
        "citizen_user_id": 10_000_000 + sequence % 300_000, "locale": "kk" if sequence % 2 else "ru",
        "kind": "individual", "surname": "Surname", "name": "Name", "patronymic": None,
        "postal_address": "Street 1, flat 2", "entity_name": None, "outgoing_number": None,
        "outgoing_date": None, "office_id": rng.choice(OFFICES), "department_id": None, "channel": "bot",
        "category": rng.choice(CATEGORIES), "text": "A complaint text of about a sentence or two.",
        "status": "closed", "registered_at": at, "due_date": "2026-01-01", "accepted_by": None,
        "assignee_user_id": None, "answer_text": None, "answered_at": None, "updated_at": at,
    }


def batches(size: int) -> Iterator[list[dict[str, Any]]]:
    """The `size` complaints of the benchmark, BATCH at a time (the same rows on every run)."""
    rng = random.Random(25)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for first in range(1, size + 1, BATCH):
        last = min(size, first + BATCH - 1)
        yield [_row(s, rng, start) for s in range(first, last + 1)]


async def big_database(size: int) -> Path:
    """The cached database of `size` complaints (built now if missing)."""
    path = CACHE_DIR / f"complaints-{size}-v{SCHEMA_VERSION}.sqlite3"
    if path.exists():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in CACHE_DIR.glob(partial.name + "*"):
        leftover.unlink()
    db = await Database.open(partial)
    await bulk.load_sqlite_scratch(db, batches(size))
    await db.close()
    partial.rename(path)
    return path


async def timed_lookups(db: Database, size: int, lookups: int) -> tuple[float, float]:
    """(p99, p50) of `db.complaints.by_talon` over random talons of the first `size`, in ms (warm)."""
    rng = random.Random(7)
    wanted = [talon.issue(rng.randint(1, size)) for _ in range(lookups)]
    for code in wanted[:50]:
        await db.complaints.by_talon(code)
    timings = []
    for code in wanted:
        start = time.perf_counter()
        row = await db.complaints.by_talon(code)
        timings.append(time.perf_counter() - start)
        if row is None:
            raise AssertionError(f"talon {code} not found in the benchmark database")
    timings.sort()
    return timings[int(len(timings) * 0.99)] * 1000, timings[len(timings) // 2] * 1000


async def lookup_ms(path: Path, lookups: int) -> tuple[float, float]:
    """(p99, p50) of `db.complaints.by_talon` over random talons, in ms."""
    db = await Database.open(path)
    try:
        return await timed_lookups(db, await db.complaints.total(), lookups)
    finally:
        await db.close()


async def complaints_per_s(workdir: Path, count: int) -> float:
    """Sequential registrations, each durable on return (as the bot's dialogue does)."""
    db = await Database.open(workdir / "register.sqlite3")
    fields = {"kind": "individual", "surname": "Surname", "name": "Name", "patronymic": None,
              "postal_address": "Street 1", "office_id": "office-1", "channel": "bot",
              "category": "other", "text": "A complaint."}
    now = datetime.now(UTC)
    start = time.perf_counter()
    for n in range(count):
        await db.complaints.register(fields, registered_at=now, due_date=now.date(), actor="bench",
                                    citizen_user_id=n, locale="kk", idempotency_key=f"bench-{n}")
    spent = time.perf_counter() - start
    await db.close()
    return count / spent


async def run(workdir: Path, *, size: int, lookups: int, registrations: int) -> dict[str, Any]:
    started = time.perf_counter()
    path = await big_database(size)
    built_s = time.perf_counter() - started
    p99, p50 = await lookup_ms(path, lookups)
    return {
        "ticket_db_complaints": size,
        "ticket_db_build_s": round(built_s, 1),
        "ticket_lookup_ms": round(p99, 3),
        "ticket_lookup_ms_p50": round(p50, 3),
        "complaints_per_s": round(await complaints_per_s(workdir, registrations), 1),
    }
