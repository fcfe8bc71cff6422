"""Many processes filing complaints into one database at once (an SQLite file; a PostgreSQL server, each
process filing through its pool concurrently): every talon distinct, none lost."""

import json
import subprocess
import sys
import textwrap

from bot.complaints import talon
from bot.storage.database import Database

# (processes, complaints each) per backend
LOAD = {"sqlite": (8, 25), "postgresql": (2, 20)}

CHILD = textwrap.dedent(
    """
    import asyncio, json, pathlib, sys, time
    from datetime import UTC, date, datetime
    from bot.storage.database import Database

    path, go, worker, count = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    fields = dict(kind="individual", surname="Test", name="Worker", postal_address="Address",
                  office_id="ast-1", channel="post", category="other", text="Concurrent registration")

    async def main():
        db = await Database.open(path)
        while not go.exists():
            time.sleep(0.005)
        async def one(i):
            stored, created = await db.complaints.register(
                fields, registered_at=datetime.now(UTC), due_date=date(2026, 12, 10), actor="cli",
                idempotency_key=f"w{worker}:{i}")
            assert created
            return stored.talon

        talons = await asyncio.gather(*(one(i) for i in range(count)))
        await db.close()
        print(json.dumps(talons))

    asyncio.run(main())
    """
)


async def test_processes_registering_at_once_get_distinct_talons(db_url, tmp_path):
    path = db_url
    processes, each = LOAD["postgresql" if str(path).startswith("postgresql") else "sqlite"]
    go = tmp_path / "go"
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(go), str(n), str(each)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(processes)
    ]
    go.touch()
    talons = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        talons += json.loads(out)
    assert len(talons) == processes * each == len(set(talons))
    assert all(talon.is_valid(t) for t in talons)

    db = await Database.open(path)
    try:
        rows = await db.complaints.export()
        assert sorted(r.talon for r in rows) == sorted(talons)
        assert sorted(r.sequence for r in rows) == list(range(1, processes * each + 1))
    finally:
        await db.close()
