"""The database: opens the engine named by DATABASE_URL, brings its schema up to date, and exposes
one repository per aggregate (`db.dialogues`, `db.complaints`, `db.staff`, `db.outbox`, `db.updates`,
`db.surveys`, `db.visits`).

SQLite (the embedded default: one process owns the file) or PostgreSQL (several replicas share it);
the repositories write the same SQL for both (bot.storage.engine).
"""

from __future__ import annotations

from pathlib import Path

from bot.storage import schema
from bot.storage.complaints import Complaints
from bot.storage.dialogues import Dialogues
from bot.storage.engine import PostgresEngine, SqliteEngine, open_engine
from bot.storage.outbox import OutboxRows
from bot.storage.staff import Staff
from bot.storage.surveys import Surveys
from bot.storage.updates import ProcessedUpdates
from bot.storage.visits import Visits


class Database:
    def __init__(self, engine: SqliteEngine | PostgresEngine) -> None:
        self.engine = engine
        # One process owns an SQLite file, so what it read last is still true; not so on PostgreSQL.
        self.single_process = engine.dialect == "sqlite"
        self.dialogues = Dialogues(engine, remember=self.single_process)
        self.complaints = Complaints(engine)
        self.staff = Staff(engine)
        self.outbox = OutboxRows(engine)
        self.updates = ProcessedUpdates(engine)
        self.surveys = Surveys(engine)
        self.visits = Visits(engine)

    def share(self) -> None:
        """Other processes write here too (replicas with REDIS_URL, even on one SQLite file): keep
        nothing read in memory that another may change (a user's language, the dialogue cache)."""
        self.single_process = False
        self.dialogues.remember = False

    @classmethod
    async def open(cls, url: Path | str, *, upgrade: bool = True) -> Database:
        """Open `sqlite:///path`, a bare SQLite path (its folder is created) or `postgresql://…`, and
        migrate unless told not to. Raises StorageError when it cannot."""
        engine = await open_engine(url)
        db = cls(engine)
        if upgrade:
            try:
                await db.upgrade()
            except BaseException:
                await engine.close()
                raise
        return db

    @property
    def dialect(self) -> str:
        return self.engine.dialect

    @property
    def path(self) -> Path | None:
        """The SQLite file (None in memory and on PostgreSQL)."""
        return self.engine.path

    async def close(self) -> None:
        await self.engine.close()

    async def ping(self) -> None:
        """Raise unless the database answers a query (the webhook server's /healthz)."""
        await self.engine.fetch_val("SELECT 1")

    async def schema_version(self) -> int:
        return await schema.schema_version(self.engine)

    async def upgrade(self, target: int = schema.SCHEMA_VERSION) -> tuple[int, int]:
        """Apply the migrations after the current version up to `target`; returns (from, to)."""
        return await schema.upgrade(self.engine, target)
