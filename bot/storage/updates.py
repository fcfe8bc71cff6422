"""The processed-updates aggregate (bot.telegram.dedupe): which update ids were handled, with a digest
of their content, so an update Telegram delivers again after a crash has no second effect."""

from __future__ import annotations

from datetime import datetime

from bot.storage.engine import PostgresEngine, SqliteEngine
from bot.storage.timestamps import utc_text
from bot.storage.update_writes import UpdateWrites

_MARK = ("INSERT INTO processed_update (update_id, digest, at) VALUES (?, ?, ?) "
         "ON CONFLICT(update_id) DO UPDATE SET digest = excluded.digest, at = excluded.at")


class ProcessedUpdates:
    def __init__(self, engine: SqliteEngine | PostgresEngine) -> None:
        self.engine = engine

    def writes(self) -> UpdateWrites:
        """A list for the dialogue writes of an update about to be handled, closed by its mark."""
        return UpdateWrites(self.engine)

    async def mark_update_handled(self, update_id: int, digest: str, at: datetime, *,
                                  writes: UpdateWrites | None = None) -> None:
        """Record a handled update, with the update's dialogue `writes` in one transaction when given.

        Without an fsync on SQLite (synchronous=NORMAL): the record must survive the process, not the
        machine, and an fsync per update would halve the bot's throughput."""
        params = (update_id, digest, utc_text(at))
        if writes is not None:
            await writes.commit(_MARK, params)
        else:
            await self.engine.execute(_MARK, params)

    async def handled_update_digest(self, update_id: int) -> str | None:
        """The digest recorded for a handled update id, None when the id was not handled."""
        return await self.engine.fetch_val("SELECT digest FROM processed_update WHERE update_id = ?",
                                           (update_id,))

    async def last_handled_update(self) -> int | None:
        value = await self.engine.fetch_val("SELECT MAX(update_id) FROM processed_update")
        return None if value is None else int(value)

    async def forget_updates(self, before: datetime) -> int:
        """Drop records older than Telegram keeps undelivered updates (a day); returns how many."""
        return await self.engine.execute("DELETE FROM processed_update WHERE at < ?", (utc_text(before),))
