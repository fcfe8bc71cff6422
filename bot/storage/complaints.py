"""The complaint aggregate (§20–§25): complaints with their talons, the talon counter, and the audit
records of their changes.

Every change to a complaint, its audit record and the notices it causes are one transaction; the
talon comes from talon_sequence inside the same transaction as the insert, so it is never lost or
reused, whichever replica files it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from bot.complaints import talon
from bot.complaints.notice import OutboxNotice
from bot.complaints.permissions import Reach
from bot.complaints.record import AuditEntry, Complaint
from bot.storage import audit
from bot.storage.engine import PostgresEngine, SqliteEngine
from bot.storage.outbox import store_notices
from bot.storage.timestamps import parse_utc_text, utc_text

# Renders the notices a change causes from the complaint as that change leaves it (called inside the
# transaction, so it must not touch the database).
NoticesFor = Callable[[Complaint], Sequence[OutboxNotice]]

_FIELDS = (
    "kind", "surname", "name", "patronymic", "postal_address", "entity_name",
    "outgoing_number", "outgoing_date", "office_id", "channel", "category", "text",
)


class Complaints:
    def __init__(self, engine: SqliteEngine | PostgresEngine) -> None:
        self.engine = engine

    async def register(
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
    ) -> tuple[Complaint, bool]:
        """Store a validated complaint with a fresh talon, its audit record and the notices it causes
        (`notices` of the stored row), all in one transaction; (complaint, True).

        With an idempotency key already used (a double tap, a repeated update) nothing is stored and
        the earlier complaint comes back: (complaint, False); its notices were stored with it.
        """
        at = utc_text(registered_at)
        async with self.engine.transaction() as tx:
            if tx.dialect == "postgresql":  # filings queue here (SQLite's BEGIN IMMEDIATE already did)
                await tx.execute("SELECT last_value FROM talon_sequence WHERE name = 'complaint' FOR UPDATE")
            if idempotency_key is not None:
                existing = await tx.fetch_one(
                    "SELECT * FROM complaint WHERE idempotency_key = ?", (idempotency_key,)
                )
                if existing is not None:
                    return complaint(existing), False
            sequence = int(await tx.fetch_val(
                "UPDATE talon_sequence SET last_value = last_value + 1 WHERE name = 'complaint' "
                "RETURNING last_value"
            ))
            values = {name: fields.get(name) for name in _FIELDS}
            values.update(
                talon=talon.issue(sequence), sequence=sequence, idempotency_key=idempotency_key,
                citizen_user_id=citizen_user_id, locale=locale, department_id=department_id,
                status="registered", registered_at=at, due_date=due_date.isoformat(),
                accepted_by=accepted_by, updated_at=at,
            )
            complaint_id = int(await tx.fetch_val(
                f"INSERT INTO complaint ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)}) "
                "RETURNING id",
                tuple(values.values()),
            ))
            await audit.record(tx, at, actor, "registered", complaint_id, {"status": "registered"})
            stored = complaint(await tx.fetch_one("SELECT * FROM complaint WHERE id = ?", (complaint_id,)))
            await store_notices(tx, notices(stored) if notices else (), at)
        return stored, True

    async def by_talon(self, compact_talon: str) -> Complaint | None:
        return await self._one("SELECT * FROM complaint WHERE talon = ?", (compact_talon,))

    async def by_idempotency_key(self, key: str) -> Complaint | None:
        return await self._one("SELECT * FROM complaint WHERE idempotency_key = ?", (key,))

    async def by_id(self, complaint_id: int) -> Complaint | None:
        return await self._one("SELECT * FROM complaint WHERE id = ?", (complaint_id,))

    async def _one(self, sql: str, params: Sequence[Any]) -> Complaint | None:
        row = await self.engine.fetch_one(sql, params)
        return complaint(row) if row is not None else None

    async def _all(self, sql: str, params: Sequence[Any]) -> list[Complaint]:
        return [complaint(row) for row in await self.engine.fetch_all(sql, params)]

    async def events(self, complaint_id: int) -> list[AuditEntry]:
        """The audit trail of one complaint, oldest first."""
        rows = await self.engine.fetch_all(
            "SELECT at, actor, action, complaint_id, detail FROM audit_log WHERE complaint_id = ? "
            "ORDER BY id",
            (complaint_id,),
        )
        return [audit.entry(row) for row in rows]

    async def assignee_name(self, complaint_id: int, user_id: int) -> str | None:
        """The name recorded when `user_id` last took this complaint (kept after their grant goes)."""
        for event in reversed(await self.events(complaint_id)):
            if event.detail.get("assignee") == user_id and event.detail.get("assignee_name") is not None:
                return event.detail["assignee_name"]
        return None

    async def of_citizen(self, user_id: int, limit: int = 50) -> list[Complaint]:
        """The complaints a citizen filed through the bot, newest first."""
        return await self._all(
            "SELECT * FROM complaint WHERE citizen_user_id = ? ORDER BY registered_at DESC, id DESC LIMIT ?",
            (user_id, limit),
        )

    async def in_reach(
        self,
        *,
        statuses: Sequence[str],
        reach: Reach,
        limit: int = 100,
    ) -> list[Complaint]:
        """Complaints in `statuses` within a staff member's reach (bot.complaints.permissions), oldest
        first."""
        where, params = _reach_sql(statuses, reach)
        return await self._all(
            f"SELECT * FROM complaint WHERE {where} ORDER BY registered_at, id LIMIT ?", [*params, limit]
        )

    async def count_in_reach(
        self,
        *,
        statuses: Sequence[str],
        due_before: date,
        reach: Reach,
    ) -> tuple[int, int]:
        """How many complaints in `statuses` are within the reach (as `in_reach`), and how many
        of them were due before `due_before`: all of them, not only those a list shows."""
        where, params = _reach_sql(statuses, reach)
        row = await self.engine.fetch_one(
            f"SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE due_date < ?) AS late FROM complaint "
            f"WHERE {where}",
            [due_before.isoformat(), *params],
        )
        return int(row["total"]), int(row["late"] or 0)

    async def change(
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
        justified: bool | None = None,
        notices: NoticesFor | None = None,
    ) -> Complaint | None:
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
        if justified is not None:
            sets["justified"] = int(justified)
        assignment = ", ".join(f"{column} = ?" for column in sets)
        async with self.engine.transaction() as tx:
            current = await tx.fetch_one("SELECT status, version FROM complaint WHERE id = ?",
                                         (complaint_id,))
            if current is None or (expected_status is not None and current["status"] != expected_status) \
                    or (expected_version is not None and current["version"] != expected_version):
                return None
            changed = await tx.execute(
                f"UPDATE complaint SET {assignment}, version = version + 1 WHERE id = ? AND version = ?",
                (*sets.values(), complaint_id, current["version"]),
            )
            if changed != 1:
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
            if justified is not None:
                detail["justified"] = justified
            await audit.record(tx, when, actor, action, complaint_id, detail)
            new = complaint(await tx.fetch_one("SELECT * FROM complaint WHERE id = ?", (complaint_id,)))
            await store_notices(tx, notices(new) if notices else (), when)
            return new

    async def move(
        self,
        complaint_id: int,
        *,
        expected_version: int,
        actor: str,
        at: datetime,
        action: str,
        office_id: str,
        department_id: str | None,
        status: str,
        assignee_user_id: int | None,
        detail: Mapping[str, Any],
        notices: NoticesFor | None = None,
    ) -> Complaint | None:
        """Forwarding and its recall: the complaint changes office, department, status and assignee at
        once, a compare-and-set on `expected_version` like `change`, with its audit record (`detail`:
        the hop) and notices in the same transaction. The new row, or None when stale."""
        when = utc_text(at)
        async with self.engine.transaction() as tx:
            changed = await tx.execute(
                "UPDATE complaint SET office_id = ?, department_id = ?, status = ?, assignee_user_id = ?, "
                "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                (office_id, department_id, status, assignee_user_id, when, complaint_id, expected_version),
            )
            if changed != 1:
                return None
            await audit.record(tx, when, actor, action, complaint_id, detail)
            new = complaint(await tx.fetch_one("SELECT * FROM complaint WHERE id = ?", (complaint_id,)))
            await store_notices(tx, notices(new) if notices else (), when)
            return new

    async def export(self) -> list[Complaint]:
        return await self._all("SELECT * FROM complaint ORDER BY id", ())

    async def purge(self, finished_before: datetime, *, actor: str) -> int:
        """Delete complaints closed before the cut-off (retention), logging how many (a sweep that found
        nothing leaves no record: replicas sweep hourly). A forwarded one is still being worked by its
        new office."""
        cutoff = utc_text(finished_before)
        async with self.engine.transaction() as tx:
            count = await tx.execute(
                "DELETE FROM complaint WHERE status = 'closed' AND updated_at < ?", (cutoff,)
            )
            if count:
                await audit.record(tx, utc_text(datetime.now(UTC)), actor, "purged", None, {"count": count})
        return count

    async def import_rows(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert complete complaint rows (talon and sequence included) in one transaction (restoring
        an export; the benchmark's database of a million complaints).

        The talon sequence moves past the highest imported sequence, so later talons stay unique.
        No audit records: the rows carry their history from where they were exported.
        """
        if not rows:
            return 0
        columns = [c for c in rows[0] if c != "id"]
        marks = ", ".join("?" for _ in columns)
        top = "SELECT COALESCE(MAX(sequence), 0) FROM complaint"
        async with self.engine.transaction() as tx:
            await tx.execute_many(
                f"INSERT INTO complaint ({', '.join(columns)}) VALUES ({marks})",
                [tuple(row[c] for c in columns) for row in rows],
            )
            await tx.execute(
                f"UPDATE talon_sequence SET last_value = CASE WHEN last_value >= ({top}) THEN last_value "
                f"ELSE ({top}) END WHERE name = 'complaint'"
            )
        return len(rows)

    async def total(self) -> int:
        return int(await self.engine.fetch_val("SELECT COUNT(*) FROM complaint"))


def complaint(row: Mapping[str, Any]) -> Complaint:
    """The one place a complaint row becomes a `Complaint` (both backends return the same columns)."""
    return Complaint(
        id=int(row["id"]), talon=row["talon"], sequence=int(row["sequence"]),
        idempotency_key=row["idempotency_key"], citizen_user_id=_int(row["citizen_user_id"]),
        locale=row["locale"], kind=row["kind"], surname=row["surname"], name=row["name"],
        patronymic=row["patronymic"], postal_address=row["postal_address"], entity_name=row["entity_name"],
        outgoing_number=row["outgoing_number"], outgoing_date=row["outgoing_date"],
        office_id=row["office_id"], department_id=row["department_id"], channel=row["channel"],
        category=row["category"], text=row["text"], status=row["status"],
        registered_at=parse_utc_text(row["registered_at"]), due_date=date.fromisoformat(row["due_date"]),
        accepted_by=row["accepted_by"], assignee_user_id=_int(row["assignee_user_id"]),
        answer_text=row["answer_text"],
        answered_at=parse_utc_text(row["answered_at"]) if row["answered_at"] else None,
        updated_at=parse_utc_text(row["updated_at"]), version=int(row["version"]),
        justified=None if row["justified"] is None else bool(row["justified"]),
    )


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _reach_sql(statuses: Sequence[str], reach: Reach) -> tuple[str, list[Any]]:
    """The WHERE clause of complaints in `statuses` within a staff member's reach, and its parameters."""
    params: list[Any] = list(statuses)
    if reach.everything:
        where = "TRUE"
    else:
        parts = []
        if reach.office_ids:
            offices = f"office_id IN ({', '.join('?' for _ in reach.office_ids)})"
            params += list(reach.office_ids)
            if reach.hidden_categories:
                offices += f" AND category NOT IN ({', '.join('?' for _ in reach.hidden_categories)})"
                params += list(reach.hidden_categories)
            parts.append(f"({offices})")
        if reach.department_ids:
            parts.append(f"department_id IN ({', '.join('?' for _ in reach.department_ids)})")
            params += list(reach.department_ids)
        where = " OR ".join(parts) or "FALSE"
    return f"status IN ({', '.join('?' for _ in statuses)}) AND ({where})", params
