"""The outbox aggregate: notices stored first, then sent by bot.telegram.outbox; at-least-once, one
row per dedupe key.

A sender claims rows before sending them: `claim` marks due rows as its own until now + lease (on
PostgreSQL skipping rows another replica is claiming at that moment), so two replicas never send one
notice twice, and a dead replica's claims are taken over once the lease has passed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.complaints.notice import OutboxNotice
from bot.storage.engine import PostgresEngine, Session, SqliteEngine
from bot.storage.timestamps import json_text, parse_utc_text, utc_text

_UNFINISHED = "sent_at IS NULL AND failed_at IS NULL"
_INSERT = ("INSERT INTO outbox (dedupe_key, chat_id, payload, created_at, next_attempt_at) "
           "VALUES (?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING")


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A stored notice and its delivery so far: unsent while `sent_at` and `failed_at` are None;
    `claimed_until`, the lease of the sender holding it."""

    id: int
    dedupe_key: str
    chat_id: int
    payload: dict[str, Any]  # {"text": HTML, "reply_markup": JSON or absent}
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
    failed_at: datetime | None
    claimed_until: datetime | None


async def store_notices(tx: Session, notices: Sequence[OutboxNotice], when: str) -> None:
    """Outbox rows inside the caller's transaction; a key already stored is kept as it is."""
    await tx.execute_many(_INSERT, [(n.dedupe_key, n.chat_id, json_text(n.payload), when, when)
                                    for n in notices])


class OutboxRows:
    def __init__(self, engine: SqliteEngine | PostgresEngine) -> None:
        self.engine = engine

    async def add(self, dedupe_key: str, chat_id: int, payload: Mapping[str, Any], at: datetime
                  ) -> tuple[OutboxRow, bool]:
        """Store a notice unless one with this key exists; (row, True if new)."""
        when = utc_text(at)
        async with self.engine.transaction() as tx:
            created = await tx.execute(_INSERT, (dedupe_key, chat_id, json_text(payload), when, when)) == 1
            row = await tx.fetch_one("SELECT * FROM outbox WHERE dedupe_key = ?", (dedupe_key,))
        return _outbox_row(row), created

    async def claim(self, now: datetime, lease: timedelta, limit: int = 50, *, due_by: datetime | None = None,
                    keys: Sequence[str] | None = None) -> list[OutboxRow]:
        """Mark unsent rows that nobody holds (or whose holder's lease ran out by `now`) as held by the
        caller until now + lease, and return them oldest first: due by `due_by` (default `now`), or
        with `keys`, those of the keys whatever their schedule (what a change has just stored)."""
        free = f"{_UNFINISHED} AND (claimed_until IS NULL OR claimed_until <= ?)"
        params: list[Any] = [utc_text(now)]
        where = free
        if keys is not None:
            if not keys:
                return []
            where += f" AND dedupe_key IN ({', '.join('?' for _ in keys)})"
            params += keys
        else:
            where += " AND next_attempt_at <= ?"
            params.append(utc_text(due_by or now))
        # PostgreSQL: rows another claimer has locked are skipped, not waited for, and the picked ids
        # are computed once (MATERIALIZED: a subquery under IN may be run again and pick more).
        pg = self.engine.dialect == "postgresql"
        async with self.engine.transaction() as tx:
            rows = await tx.fetch_all(
                f"WITH picked AS {'MATERIALIZED ' if pg else ''}(SELECT id FROM outbox WHERE {where} "
                f"ORDER BY next_attempt_at, id LIMIT ?{' FOR UPDATE SKIP LOCKED' if pg else ''}) "
                f"UPDATE outbox SET claimed_until = ? WHERE id IN (SELECT id FROM picked) AND {free} "
                "RETURNING *",
                [*params, limit, utc_text(now + lease), utc_text(now)],
            )
        return sorted((_outbox_row(row) for row in rows), key=lambda r: (r.next_attempt_at, r.id))

    async def release(self, outbox_ids: Sequence[int]) -> None:
        """Let go of claimed rows that were not tried after all (the sender is stopping)."""
        if outbox_ids:
            await self.engine.execute(
                f"UPDATE outbox SET claimed_until = NULL WHERE id IN ({', '.join('?' for _ in outbox_ids)}) "
                f"AND {_UNFINISHED}",
                list(outbox_ids),
            )

    async def get(self, dedupe_key: str) -> OutboxRow | None:
        row = await self.engine.fetch_one("SELECT * FROM outbox WHERE dedupe_key = ?", (dedupe_key,))
        return _outbox_row(row) if row is not None else None

    async def mark_sent(self, outbox_id: int, at: datetime) -> None:
        await self._update("sent_at = ?, last_error = NULL", (utc_text(at),), outbox_id)

    async def mark_retry(self, outbox_id: int, next_attempt_at: datetime, error: str) -> None:
        await self._update("next_attempt_at = ?, last_error = ?", (utc_text(next_attempt_at), error),
                           outbox_id)

    async def mark_failed(self, outbox_id: int, at: datetime, error: str) -> None:
        """Give up (the chat blocked the bot or does not exist): kept for staff to see, never retried."""
        await self._update("failed_at = ?, last_error = ?", (utc_text(at), error), outbox_id)

    async def _update(self, assignment: str, params: Sequence[Any], outbox_id: int) -> None:
        """An attempt's outcome; the claim ends with it."""
        async with self.engine.transaction() as tx:
            await tx.execute(
                f"UPDATE outbox SET {assignment}, attempts = attempts + 1, claimed_until = NULL WHERE id = ?",
                (*params, outbox_id),
            )

    async def forget(self, finished_before: datetime) -> int:
        """Delete notices sent or given up before the cut-off (they hold answer texts); returns how many."""
        cutoff = utc_text(finished_before)
        async with self.engine.transaction() as tx:
            return await tx.execute(
                "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < ?) "
                "OR (failed_at IS NOT NULL AND failed_at < ?)",
                (cutoff, cutoff),
            )

    async def counts(self) -> dict[str, int]:
        row = await self.engine.fetch_one(
            f"SELECT COUNT(*) FILTER (WHERE {_UNFINISHED}) AS pending, "
            "COUNT(*) FILTER (WHERE sent_at IS NOT NULL) AS sent, "
            "COUNT(*) FILTER (WHERE failed_at IS NOT NULL) AS failed FROM outbox"
        )
        return {k: int(v or 0) for k, v in (row or {}).items()}


def _outbox_row(row: Mapping[str, Any]) -> OutboxRow:
    return OutboxRow(
        id=int(row["id"]), dedupe_key=row["dedupe_key"], chat_id=int(row["chat_id"]),
        payload=json.loads(row["payload"]), created_at=parse_utc_text(row["created_at"]),
        attempts=int(row["attempts"]), next_attempt_at=parse_utc_text(row["next_attempt_at"]),
        last_error=row["last_error"], sent_at=_moment(row["sent_at"]), failed_at=_moment(row["failed_at"]),
        claimed_until=_moment(row["claimed_until"]),
    )


def _moment(text: str | None) -> datetime | None:
    return parse_utc_text(text) if text else None
