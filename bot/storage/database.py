"""The one module that owns SQL: connection set-up, versioned migrations, and every query.

SQLite through aiosqlite, in WAL mode with foreign keys on. Migrations are numbered scripts applied
in order inside a transaction; `PRAGMA user_version` records the schema version reached.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.complaints import talon

# aiosqlite logs every statement with its parameters at DEBUG: names, addresses and complaint texts.
# Those must never reach a log, whatever level the operator chooses for the rest.
logging.getLogger("aiosqlite").setLevel(logging.INFO)

# Append only: never edit a migration that has shipped; add the next one instead.
MIGRATIONS: Sequence[str] = (
    # 1: dialogue state (aiogram FSM, JSON) and the user's chosen language.
    """
    CREATE TABLE fsm_state (
        key TEXT PRIMARY KEY,
        state TEXT,
        data TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE user_pref (
        user_id INTEGER PRIMARY KEY,
        locale TEXT NOT NULL CHECK (locale IN ('kk', 'ru'))
    );
    """,
    # 2: complaints (§20–§25) with their talons, staff and their scopes, and the audit log.
    # Times are UTC ('YYYY-MM-DDTHH:MM:SS.ffffffZ', so text order is time order); dates are Almaty days.
    """
    CREATE TABLE talon_sequence (
        name TEXT PRIMARY KEY,
        last_value INTEGER NOT NULL CHECK (last_value >= 0)
    );
    INSERT INTO talon_sequence (name, last_value) VALUES ('complaint', 0);
    CREATE TABLE complaint (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        talon TEXT NOT NULL UNIQUE,
        sequence INTEGER NOT NULL UNIQUE,
        idempotency_key TEXT UNIQUE,
        citizen_user_id INTEGER,
        locale TEXT CHECK (locale IS NULL OR locale IN ('kk', 'ru')),
        kind TEXT NOT NULL CHECK (kind IN ('individual', 'legal_entity')),
        surname TEXT,
        name TEXT,
        patronymic TEXT,
        postal_address TEXT NOT NULL,
        entity_name TEXT,
        outgoing_number TEXT,
        outgoing_date TEXT,
        office_id TEXT NOT NULL,
        department_id TEXT,
        channel TEXT NOT NULL CHECK (channel IN ('post', 'email', 'hand', 'bot')),
        category TEXT NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'registered'
            CHECK (status IN ('registered', 'in_review', 'answered', 'closed', 'forwarded')),
        registered_at TEXT NOT NULL,
        due_date TEXT NOT NULL,
        accepted_by TEXT,
        assignee_user_id INTEGER,
        answer_text TEXT,
        answered_at TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX complaint_office_status ON complaint (office_id, status, registered_at);
    CREATE INDEX complaint_department_status ON complaint (department_id, status, registered_at);
    CREATE INDEX complaint_status_registered ON complaint (status, registered_at);
    CREATE INDEX complaint_citizen ON complaint (citizen_user_id, registered_at);
    CREATE INDEX complaint_registered_at ON complaint (registered_at);
    CREATE TABLE staff_member (
        user_id INTEGER PRIMARY KEY,
        display_name TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL
    );
    CREATE TABLE staff_grant (
        user_id INTEGER NOT NULL REFERENCES staff_member (user_id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('office_staff', 'department_supervisor', 'admin')),
        scope TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL,
        PRIMARY KEY (user_id, role, scope),
        CHECK ((role = 'admin') = (scope = ''))
    );
    CREATE INDEX staff_grant_scope ON staff_grant (role, scope);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        complaint_id INTEGER REFERENCES complaint (id) ON DELETE CASCADE,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_complaint ON audit_log (complaint_id, id);
    CREATE INDEX audit_log_at ON audit_log (at);
    """,
    # 3: the outbox of notices that must reach a citizen or staff member (talons, answers, status
    # changes), sent by the outbox worker with retries; and the update ids already handled (dedupe),
    # so an update Telegram delivers again after a crash has no second effect.
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dedupe_key TEXT NOT NULL UNIQUE,
        chat_id INTEGER NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        sent_at TEXT,
        failed_at TEXT
    );
    CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
    CREATE TABLE processed_update (
        update_id INTEGER PRIMARY KEY,
        at TEXT NOT NULL
    );
    CREATE INDEX processed_update_at ON processed_update (at);
    """,
    # 4: a digest of each handled update's content: a new update that reuses an id (Telegram picks
    # ids at random after a week without updates; the terminal mode starts its fake Telegram afresh)
    # is told apart from the same update delivered again.
    """
    ALTER TABLE processed_update ADD COLUMN digest TEXT NOT NULL DEFAULT '';
    """,
    # 5: a revision counter on each complaint, raised by every change: a staff action carries the
    # revision the official saw and is applied only to that revision (compare-and-set on the whole row).
    """
    ALTER TABLE complaint ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: whether a closed complaint was justified (Appendix 3, indicator 4.1), asked when it is closed;
    # NULL for complaints closed before it was asked.
    """
    ALTER TABLE complaint ADD COLUMN justified INTEGER CHECK (justified IS NULL OR justified IN (0, 1));
    """,
    # 7: the survey answers of Appendix 3 (bot and paper), kept apart from who gave them (no user id),
    # and the citizens each office served per month (4.1), entered by staff (bot.storage.surveys).
    """
    CREATE TABLE survey_response (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        office_id TEXT NOT NULL,
        department_id TEXT,
        visited_on TEXT NOT NULL,
        quality INTEGER CHECK (quality IS NULL OR quality BETWEEN 1 AND 5),
        information INTEGER CHECK (information IS NULL OR information BETWEEN 1 AND 5),
        courtesy INTEGER CHECK (courtesy IS NULL OR courtesy BETWEEN 1 AND 5),
        on_time INTEGER CHECK (on_time IS NULL OR on_time IN (0, 1)),
        channel TEXT NOT NULL CHECK (channel IN ('bot', 'paper')),
        idempotency_key TEXT UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE INDEX survey_response_office ON survey_response (office_id, visited_on);
    CREATE INDEX survey_response_department ON survey_response (department_id, visited_on);
    CREATE INDEX survey_response_visited ON survey_response (visited_on);
    CREATE TABLE served_count (
        office_id TEXT NOT NULL,
        month TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count >= 0),
        entered_by TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        PRIMARY KEY (office_id, month)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)



@dataclass(frozen=True)
class OutboxNotice:
    """A notice to store in the outbox in the same transaction as the change that causes it."""

    dedupe_key: str
    chat_id: int
    payload: Mapping[str, Any]


# Renders the notices a change causes from the complaint as that change leaves it (called inside the
# transaction, so it must not touch the database).
NoticesFor = Callable[[Mapping[str, Any]], Sequence[OutboxNotice]]


# How many users' language choices are kept in memory before the memory starts afresh.
LOCALE_MEMORY = 100_000


class Database:
    """One open connection; every method is a short transaction."""

    def __init__(self, conn: aiosqlite.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self._tx_lock = asyncio.Lock()
        # Bumped whenever many dialogue rows change at once, so a cache of them (bot.storage.dialogues) knows.
        self.fsm_generation = 0
        self._locales: dict[int, str | None] = {}

    @classmethod
    async def open(cls, path: Path | str, *, upgrade: bool = True) -> Database:
        """Open (creating the file and its folder), set pragmas, and migrate unless told not to."""
        target = Path(path) if str(path) != ":memory:" else None
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
        if target is not None and target.is_dir():
            raise sqlite3.OperationalError(f"{target} is a folder, not a database file")
        try:
            conn = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error:
            await asyncio.sleep(0.05)  # aiosqlite stops its worker thread: let it finish while we run
            raise
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA busy_timeout=10000")  # first: other processes may hold the lock
            await conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL survives a crash of the process (dialogue state, handled updates); the writes
            # that must survive the machine too (complaints, staff, outbox) switch to FULL in _write().
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            db = cls(conn, target)
            if upgrade:
                await db.upgrade()
        except BaseException:  # e.g. not a database: close, or its thread keeps the process alive
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self.conn.close()

    async def ping(self) -> None:
        """Raise unless the database answers a query (the webhook server's /healthz)."""
        await self._one("SELECT 1")

    async def schema_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0])

    async def upgrade(self, target: int = SCHEMA_VERSION) -> tuple[int, int]:
        """Apply the migrations after the current version up to `target`; returns (from, to)."""
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            start = await self.schema_version()
            for version in range(start + 1, target + 1):
                for statement in _split_sql(MIGRATIONS[version - 1]):
                    await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version={version}")
            await self.conn.execute("COMMIT")
        except BaseException:
            await self.conn.execute("ROLLBACK")
            raise
        return start, max(start, target)

    # --- dialogue state (used by bot.storage.dialogues) ---------------------------------------------

    async def fsm_get(self, key: str) -> tuple[str | None, dict[str, Any]]:
        async with self.conn.execute("SELECT state, data FROM fsm_state WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return None, {}
        return row["state"], json.loads(row["data"])

    async def fsm_set_state(self, key: str, state: str | None) -> None:
        async with self._tx_lock:  # never inside an open complaint transaction
            await self.conn.execute(
                "INSERT INTO fsm_state (key, state) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                (key, state),
            )

    async def fsm_set_data(self, key: str, data: dict[str, Any]) -> None:
        async with self._tx_lock:  # never inside an open complaint transaction
            await self.conn.execute(
                "INSERT INTO fsm_state (key, data) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (key, json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
            )

    async def fsm_name_bot(self, bot_id: int) -> int:
        """Move the rows keyed before keys named the bot ("fsm:chat:user:destiny") under this bot's id
        ("fsm:bot:chat:user:destiny"), so people mid-dialogue keep their place after the upgrade; a row
        already kept under the new key wins. Returns how many rows moved."""
        legacy = "key >= 'fsm:' AND key < 'fsm;' AND length(key) - length(replace(key, ':', '')) = 3"
        async with self._write():
            async with self.conn.execute(
                f"UPDATE OR IGNORE fsm_state SET key = 'fsm:' || ? || substr(key, 4) WHERE {legacy}",
                (str(bot_id),),
            ) as cur:
                moved = cur.rowcount
            await self.conn.execute(f"DELETE FROM fsm_state WHERE {legacy}")
        self.fsm_generation += 1
        return moved

    # --- user preferences ----------------------------------------------------------------------

    async def get_locale(self, user_id: int) -> str | None:
        """Asked on every update: answered from memory once read (only set_locale changes it)."""
        if user_id in self._locales:
            return self._locales[user_id]
        async with self.conn.execute("SELECT locale FROM user_pref WHERE user_id = ?", (user_id,)) as cur:
            row = await cur.fetchone()
        if len(self._locales) >= LOCALE_MEMORY:
            self._locales.clear()
        self._locales[user_id] = locale = row["locale"] if row else None
        return locale

    async def set_locale(self, user_id: int, locale: str) -> None:
        async with self._tx_lock:
            await self.conn.execute(
                "INSERT INTO user_pref (user_id, locale) VALUES (?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET locale = excluded.locale",
                (user_id, locale),
            )
        self._locales[user_id] = locale

    # --- complaints (§20–§25) -------------------------------------------------------------------
    # Every change to a complaint and its audit record are one transaction; the talon comes from
    # talon_sequence inside the same transaction as the insert, so it is never lost or reused.

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE … COMMIT, one at a time on this connection (other processes wait on the lock)."""
        async with self._tx_lock:
            await self.conn.execute("PRAGMA synchronous=FULL")  # fsync at COMMIT: durable once shown
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    await self.conn.execute("ROLLBACK")
                    raise
                await self.conn.execute("COMMIT")
            finally:
                await self.conn.execute("PRAGMA synchronous=NORMAL")

    async def _audit(
        self, at: str, actor: str, action: str, complaint_id: int | None, detail: Mapping[str, Any]
    ) -> None:
        await self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, complaint_id, detail) VALUES (?, ?, ?, ?, ?)",
            (at, actor, action, complaint_id, _json(detail)),
        )

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        async with self.conn.execute(sql, params) as cur:
            row = await cur.fetchone()
        return dict(row) if row is not None else None

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        async with self.conn.execute(sql, params) as cur:
            return [dict(row) for row in await cur.fetchall()]

    async def register_complaint(
        self,
        fields: Mapping[str, str | None],
        *,
        registered_at: datetime,
        due_date: date,
        actor: str,
        department_id: str | None = None,
        citizen_user_id: int | None = None,
        locale: str | None = None,
        accepted_by: str | None = None,
        idempotency_key: str | None = None,
        notices: NoticesFor | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """Store a validated complaint with a fresh talon, its audit record and the notices it causes
        (`notices` of the stored row), all in one transaction; (complaint, True).

        With an idempotency key already used (a double tap, a repeated update) nothing is stored and
        the earlier complaint comes back: (complaint, False); its notices were stored with it.
        """
        at = utc_text(registered_at)
        async with self._write():
            if idempotency_key is not None:
                existing = await self._one(
                    "SELECT * FROM complaint WHERE idempotency_key = ?", (idempotency_key,)
                )
                if existing is not None:
                    return existing, False
            async with self.conn.execute(
                "UPDATE talon_sequence SET last_value = last_value + 1 WHERE name = 'complaint' "
                "RETURNING last_value"
            ) as cur:
                sequence = int((await cur.fetchone())[0])
            values = {name: fields.get(name) for name in _COMPLAINT_FIELDS}
            values.update(
                talon=talon.issue(sequence), sequence=sequence, idempotency_key=idempotency_key,
                citizen_user_id=citizen_user_id, locale=locale, department_id=department_id,
                status="registered", registered_at=at, due_date=due_date.isoformat(),
                accepted_by=accepted_by, updated_at=at,
            )
            columns = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            async with self.conn.execute(
                f"INSERT INTO complaint ({columns}) VALUES ({marks}) RETURNING id", tuple(values.values())
            ) as cur:
                complaint_id = int((await cur.fetchone())[0])
            await self._audit(at, actor, "registered", complaint_id, {"status": "registered"})
            stored = await self._one("SELECT * FROM complaint WHERE id = ?", (complaint_id,))
            await self._store_notices(notices(stored) if notices else (), at)
        return stored, True

    async def _store_notices(self, notices: Sequence[OutboxNotice], when: str) -> None:
        """Outbox rows inside the caller's transaction; a key already stored is kept as it is."""
        await self.conn.executemany(
            "INSERT INTO outbox (dedupe_key, chat_id, payload, created_at, next_attempt_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING",
            [(n.dedupe_key, n.chat_id, _json(n.payload), when, when) for n in notices],
        )

    async def complaint_by_talon(self, compact_talon: str) -> dict[str, Any] | None:
        return await self._one("SELECT * FROM complaint WHERE talon = ?", (compact_talon,))

    async def complaint_by_idempotency_key(self, key: str) -> dict[str, Any] | None:
        return await self._one("SELECT * FROM complaint WHERE idempotency_key = ?", (key,))

    async def complaint_by_id(self, complaint_id: int) -> dict[str, Any] | None:
        return await self._one("SELECT * FROM complaint WHERE id = ?", (complaint_id,))

    async def complaint_events(self, complaint_id: int) -> list[dict[str, Any]]:
        """The audit trail of one complaint, oldest first (detail decoded from JSON)."""
        rows = await self._all(
            "SELECT at, actor, action, detail FROM audit_log WHERE complaint_id = ? ORDER BY id",
            (complaint_id,),
        )
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows

    async def complaint_assignee_name(self, complaint_id: int, user_id: int) -> str | None:
        """The name recorded when `user_id` last took this complaint (kept after their grant goes)."""
        row = await self._one(
            "SELECT json_extract(detail, '$.assignee_name') AS name FROM audit_log "
            "WHERE complaint_id = ? AND json_extract(detail, '$.assignee') = ? "
            "AND json_extract(detail, '$.assignee_name') IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (complaint_id, user_id),
        )
        return row["name"] if row else None

    async def citizen_complaints(self, user_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The complaints a citizen filed through the bot, newest first."""
        return await self._all(
            "SELECT * FROM complaint WHERE citizen_user_id = ? ORDER BY registered_at DESC, id DESC LIMIT ?",
            (user_id, limit),
        )

    async def open_complaints(
        self,
        *,
        statuses: Sequence[str],
        office_ids: Sequence[str] = (),
        office_hidden_categories: Sequence[str] = (),
        department_ids: Sequence[str] = (),
        everything: bool = False,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Complaints in `statuses` within a staff member's reach, oldest first.

        Office staff reach their offices' complaints except `office_hidden_categories` (§22);
        supervisors their departments'; `everything` is the admin's reach.
        """
        where, params = _reach_sql(statuses, office_ids, office_hidden_categories, department_ids, everything)
        return await self._all(
            f"SELECT * FROM complaint WHERE {where} ORDER BY registered_at, id LIMIT ?", [*params, limit]
        )

    async def count_complaints(
        self,
        *,
        statuses: Sequence[str],
        due_before: date,
        office_ids: Sequence[str] = (),
        office_hidden_categories: Sequence[str] = (),
        department_ids: Sequence[str] = (),
        everything: bool = False,
    ) -> tuple[int, int]:
        """How many complaints in `statuses` are within the reach (as `open_complaints`), and how many
        of them were due before `due_before`: all of them, not only those a list shows."""
        where, params = _reach_sql(statuses, office_ids, office_hidden_categories, department_ids, everything)
        row = await self._one(
            f"SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE due_date < ?) AS late FROM complaint "
            f"WHERE {where}",
            [due_before.isoformat(), *params],
        )
        return int(row["total"]), int(row["late"] or 0)

    async def change_complaint(
        self,
        complaint_id: int,
        *,
        actor: str,
        at: datetime,
        action: str,
        expected_version: int | None = None,
        expected_status: str | None = None,
        status: str | None = None,
        assignee_user_id: int | None = None,
        assignee_name: str | None = None,
        answer_text: str | None = None,
        due_date: date | None = None,
        note: str | None = None,
        notices: NoticesFor | None = None,
    ) -> dict[str, Any] | None:
        """Compare-and-set: apply the change only if the complaint is still at `expected_version` (the
        revision the official saw; every change raises it) and, if given, in `expected_status`. Two
        officials pressing at once: one wins, whatever the action changes. The change, its audit
        record and the notices it causes (`notices` of the new row) are one transaction. Returns the
        new row, or None when nothing was changed.
        """
        if expected_version is None and expected_status is None:
            raise ValueError("a change must say which revision or status it expects")
        when = utc_text(at)
        sets: dict[str, Any] = {"updated_at": when}
        if status is not None:
            sets["status"] = status
        if assignee_user_id is not None:
            sets["assignee_user_id"] = assignee_user_id
        if answer_text is not None:
            sets["answer_text"] = answer_text
            sets["answered_at"] = when
        if due_date is not None:
            sets["due_date"] = due_date.isoformat()
        assignment = ", ".join(f"{column} = ?" for column in sets)
        async with self._write():
            current = await self._one("SELECT status, version FROM complaint WHERE id = ?", (complaint_id,))
            if current is None or (expected_status is not None and current["status"] != expected_status) \
                    or (expected_version is not None and current["version"] != expected_version):
                return None
            async with self.conn.execute(
                f"UPDATE complaint SET {assignment}, version = version + 1 WHERE id = ? AND version = ?",
                (*sets.values(), complaint_id, current["version"]),
            ) as cur:
                if cur.rowcount != 1:
                    return None
            detail: dict[str, Any] = {"from": current["status"], "to": status or current["status"]}
            if assignee_user_id is not None:
                detail["assignee"] = assignee_user_id
            if assignee_name is not None:
                detail["assignee_name"] = assignee_name
            if due_date is not None:
                detail["due_date"] = due_date.isoformat()
            if note is not None:
                detail["note"] = note
            await self._audit(when, actor, action, complaint_id, detail)
            new = await self._one("SELECT * FROM complaint WHERE id = ?", (complaint_id,))
            await self._store_notices(notices(new) if notices else (), when)
            return new

    async def export_complaints(self) -> list[dict[str, Any]]:
        return await self._all("SELECT * FROM complaint ORDER BY id")

    async def purge_complaints(self, finished_before: datetime, *, actor: str) -> int:
        """Delete complaints closed or forwarded before the cut-off (retention), logging how many."""
        cutoff = utc_text(finished_before)
        async with self._write():
            async with self.conn.execute(
                "DELETE FROM complaint WHERE status IN ('closed', 'forwarded') AND updated_at < ?",
                (cutoff,),
            ) as cur:
                count = cur.rowcount
            await self._audit(utc_text(datetime.now(UTC)), actor, "purged", None, {"count": count})
        return count

    async def forget_dialogue_part(self, part: str, idle_before: datetime) -> int:
        """Drop one part of the dialogue data (e.g. an abandoned complaint draft, which holds names and
        addresses) from every dialogue untouched since `idle_before`; returns how many were cleared."""
        path = f"$.{part}"
        async with self.conn.execute(
            "UPDATE fsm_state SET data = json_remove(data, ?) "
            "WHERE updated_at < ? AND json_type(data, ?) IS NOT NULL AND json_type(data, ?) != 'null'",
            (path, utc_text(idle_before), path, path),
        ) as cur:
            cleared = cur.rowcount
        self.fsm_generation += 1
        return cleared

    # --- staff ------------------------------------------------------------------------------------

    async def staff_add(
        self, user_id: int, role: str, scope: str, *, display_name: str | None, actor: str, at: datetime
    ) -> bool:
        """Grant a role (True if new). The display name (surname and initials, §25) is kept if None."""
        when = utc_text(at)
        async with self._write():
            await self.conn.execute(
                "INSERT INTO staff_member (user_id, display_name, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET display_name = "
                "COALESCE(?, staff_member.display_name)",
                (user_id, display_name or "", when, display_name),
            )
            async with self.conn.execute(
                "INSERT INTO staff_grant (user_id, role, scope, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (user_id, role, scope, when),
            ) as cur:
                added = cur.rowcount == 1
            if added:
                await self._audit(when, actor, "staff_granted", None, {"user_id": user_id, "role": role,
                                                                     "scope": scope})
        return added

    async def staff_remove(
        self, user_id: int, *, role: str | None, scope: str | None, actor: str, at: datetime
    ) -> int:
        """Withdraw one grant, or all of a member's grants when role is None; returns how many."""
        when = utc_text(at)
        async with self._write():
            if role is None:
                async with self.conn.execute("DELETE FROM staff_grant WHERE user_id = ?", (user_id,)) as cur:
                    removed = cur.rowcount
            else:
                async with self.conn.execute(
                    "DELETE FROM staff_grant WHERE user_id = ? AND role = ? AND scope = ?",
                    (user_id, role, scope or ""),
                ) as cur:
                    removed = cur.rowcount
            await self.conn.execute(
                "DELETE FROM staff_member WHERE user_id = ? "
                "AND NOT EXISTS (SELECT 1 FROM staff_grant WHERE staff_grant.user_id = staff_member.user_id)",
                (user_id,),
            )
            if removed:
                await self._audit(when, actor, "staff_revoked", None, {"user_id": user_id, "role": role,
                                                                     "scope": scope, "count": removed})
        return removed

    async def staff_grants(self, user_id: int) -> list[tuple[str, str]]:
        """(role, scope) pairs of one user: what every staff handler checks, on every update."""
        rows = await self._all(
            "SELECT role, scope FROM staff_grant WHERE user_id = ? ORDER BY role, scope", (user_id,)
        )
        return [(row["role"], row["scope"]) for row in rows]

    async def staff_covering(self, office_id: str, department_id: str | None) -> list[tuple[int, str, str]]:
        """(user id, role, scope) of the office's staff and its department's supervisors (not admins)."""
        rows = await self._all(
            "SELECT user_id, role, scope FROM staff_grant WHERE (role = 'office_staff' AND scope = ?) "
            "OR (role = 'department_supervisor' AND scope = ?) ORDER BY user_id",
            (office_id, department_id or ""),
        )
        return [(row["user_id"], row["role"], row["scope"]) for row in rows]

    async def staff_changes(self, after: int = 0) -> tuple[int, list[int]]:
        """Users whose grants changed (granted or revoked) after audit record `after`, and the newest
        record's id: how a running bot learns of `python -m bot staff add/remove` run beside it."""
        rows = await self._all(
            "SELECT id, json_extract(detail, '$.user_id') AS user_id FROM audit_log "
            "WHERE id > ? AND action IN ('staff_granted', 'staff_revoked') ORDER BY id",
            (after,),
        )
        return (rows[-1]["id"] if rows else after), list(dict.fromkeys(int(r["user_id"]) for r in rows))

    async def staff_member(self, user_id: int) -> dict[str, Any] | None:
        return await self._one("SELECT * FROM staff_member WHERE user_id = ?", (user_id,))

    async def staff_list(self) -> list[dict[str, Any]]:
        """Every staff member with their grants."""
        members = await self._all("SELECT user_id, display_name FROM staff_member ORDER BY user_id")
        grants = await self._all("SELECT user_id, role, scope FROM staff_grant ORDER BY user_id, role, scope")
        for member in members:
            member["grants"] = [
                {"role": g["role"], "scope": g["scope"]} for g in grants if g["user_id"] == member["user_id"]
            ]
        return members

    async def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest audit records (complaints and staff changes)."""
        rows = await self._all(
            "SELECT at, actor, action, complaint_id, detail FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows

    # --- bulk import (restoring an export; the benchmark's database of a million complaints) -----

    async def import_complaints(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert complete complaint rows (talon and sequence included) in one transaction.

        The talon sequence moves past the highest imported sequence, so later talons stay unique.
        No audit records: the rows carry their history from where they were exported.
        """
        if not rows:
            return 0
        columns = [c for c in rows[0] if c != "id"]
        marks = ", ".join("?" for _ in columns)
        async with self._write():
            await self.conn.executemany(
                f"INSERT INTO complaint ({', '.join(columns)}) VALUES ({marks})",
                [tuple(row[c] for c in columns) for row in rows],
            )
            await self.conn.execute(
                "UPDATE talon_sequence SET last_value = "
                "MAX(last_value, (SELECT COALESCE(MAX(sequence), 0) FROM complaint)) WHERE name = 'complaint'"
            )
        return len(rows)

    async def complaint_count(self) -> int:
        async with self.conn.execute("SELECT COUNT(*) FROM complaint") as cur:
            return int((await cur.fetchone())[0])

    # --- outbox (bot.telegram.outbox): notices stored first, then sent; at-least-once, one row per key ----

    async def outbox_add(self, dedupe_key: str, chat_id: int, payload: Mapping[str, Any], at: datetime
                         ) -> tuple[dict[str, Any], bool]:
        """Store a notice unless one with this key exists; (row, True if new)."""
        when = utc_text(at)
        async with self._write():
            async with self.conn.execute(
                "INSERT INTO outbox (dedupe_key, chat_id, payload, created_at, next_attempt_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING",
                (dedupe_key, chat_id, _json(payload), when, when),
            ) as cur:
                created = cur.rowcount == 1
            row = await self._one("SELECT * FROM outbox WHERE dedupe_key = ?", (dedupe_key,))
        return _outbox_row(row), created

    async def outbox_due(self, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        """Unsent, not given up, and due by `now`; oldest first."""
        rows = await self._all(
            "SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? "
            "ORDER BY next_attempt_at, id LIMIT ?",
            (utc_text(now), limit),
        )
        return [_outbox_row(row) for row in rows]

    async def outbox_unsent(self, dedupe_keys: Sequence[str]) -> list[dict[str, Any]]:
        """The rows of these keys not yet sent nor given up (what a change just stored), oldest first."""
        marks = ", ".join("?" for _ in dedupe_keys)
        rows = await self._all(
            f"SELECT * FROM outbox WHERE dedupe_key IN ({marks}) AND sent_at IS NULL AND failed_at IS NULL "
            "ORDER BY id",
            list(dedupe_keys),
        ) if dedupe_keys else []
        return [_outbox_row(row) for row in rows]

    async def outbox_get(self, dedupe_key: str) -> dict[str, Any] | None:
        row = await self._one("SELECT * FROM outbox WHERE dedupe_key = ?", (dedupe_key,))
        return _outbox_row(row) if row is not None else None

    async def outbox_mark_sent(self, outbox_id: int, at: datetime) -> None:
        async with self._write():
            await self.conn.execute(
                "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                (utc_text(at), outbox_id),
            )

    async def outbox_mark_retry(self, outbox_id: int, next_attempt_at: datetime, error: str) -> None:
        async with self._write():
            await self.conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                (utc_text(next_attempt_at), error, outbox_id),
            )

    async def outbox_mark_failed(self, outbox_id: int, at: datetime, error: str) -> None:
        """Give up (the chat blocked the bot or does not exist): kept for staff to see, never retried."""
        async with self._write():
            await self.conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?",
                (utc_text(at), error, outbox_id),
            )

    async def outbox_forget(self, finished_before: datetime) -> int:
        """Delete notices sent or given up before the cut-off (they hold answer texts); returns how many."""
        cutoff = utc_text(finished_before)
        async with self._write():
            async with self.conn.execute(
                "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < ?) "
                "OR (failed_at IS NOT NULL AND failed_at < ?)",
                (cutoff, cutoff),
            ) as cur:
                return cur.rowcount

    async def outbox_counts(self) -> dict[str, int]:
        row = await self._one(
            "SELECT COUNT(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL) AS pending, "
            "COUNT(*) FILTER (WHERE sent_at IS NOT NULL) AS sent, "
            "COUNT(*) FILTER (WHERE failed_at IS NOT NULL) AS failed FROM outbox"
        )
        return {k: int(v or 0) for k, v in (row or {}).items()}

    # --- updates already handled (bot.telegram.dedupe) ------------------------------------------------------

    async def mark_update_handled(self, update_id: int, digest: str, at: datetime) -> None:
        """Record a handled update, without an fsync (the connection's synchronous=NORMAL): the
        record must survive the process, not the machine, and an fsync per update would halve the
        bot's throughput. The transaction lock keeps it out of an open complaint transaction."""
        async with self._tx_lock:
            await self.conn.execute(
                "INSERT INTO processed_update (update_id, digest, at) VALUES (?, ?, ?) "
                "ON CONFLICT(update_id) DO UPDATE SET digest = excluded.digest, at = excluded.at",
                (update_id, digest, utc_text(at)),
            )

    async def handled_update_digest(self, update_id: int) -> str | None:
        """The digest recorded for a handled update id, None when the id was not handled."""
        sql = "SELECT digest FROM processed_update WHERE update_id = ?"
        async with self.conn.execute(sql, (update_id,)) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]

    async def last_handled_update(self) -> int | None:
        async with self.conn.execute("SELECT MAX(update_id) FROM processed_update") as cur:
            row = await cur.fetchone()
        return None if row[0] is None else int(row[0])

    async def forget_updates(self, before: datetime) -> int:
        """Drop records older than Telegram keeps undelivered updates (a day); returns how many."""
        async with self.conn.execute("DELETE FROM processed_update WHERE at < ?", (utc_text(before),)) as cur:
            return cur.rowcount


def _reach_sql(statuses: Sequence[str], office_ids: Sequence[str], office_hidden_categories: Sequence[str],
               department_ids: Sequence[str], everything: bool) -> tuple[str, list[Any]]:
    """The WHERE clause of complaints in `statuses` within a staff member's reach, and its parameters."""
    params: list[Any] = list(statuses)
    if everything:
        reach = "1"
    else:
        parts = []
        if office_ids:
            hidden = ", ".join("?" for _ in office_hidden_categories) or "NULL"
            offices = ", ".join("?" for _ in office_ids)
            parts.append(f"(office_id IN ({offices}) AND category NOT IN ({hidden}))")
            params += [*office_ids, *office_hidden_categories]
        if department_ids:
            parts.append(f"department_id IN ({', '.join('?' for _ in department_ids)})")
            params += list(department_ids)
        reach = " OR ".join(parts) or "0"
    return f"status IN ({', '.join('?' for _ in statuses)}) AND ({reach})", params


def _outbox_row(row: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["payload"] = json.loads(out["payload"])
    return out


_COMPLAINT_FIELDS = (
    "kind", "surname", "name", "patronymic", "postal_address", "entity_name",
    "outgoing_number", "outgoing_date", "office_id", "channel", "category", "text",
)


def utc_text(moment: datetime) -> str:
    """A stored timestamp: UTC with fixed width, so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc_text(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _json(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (ours contain no semicolons inside literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]
