"""What Appendix 3 is computed from: survey answers, citizens served per office and month, and the
justified mark of closed complaints, as the records bot.visits.indicators takes (`db.surveys`).

A survey answer row holds no user id: once stored, nobody can tell who gave it (the bot's survey keeps
who was asked in its own dialogue, not here). Re-entering a month's served count replaces it and is
written to the audit log with the count it replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.clock import KZ_TZ
from bot.storage import audit
from bot.storage.engine import PostgresEngine, Session, SqliteEngine
from bot.storage.timestamps import parse_utc_text, utc_text
from bot.visits.indicators import (
    ComplaintOutcome,
    MonthPoint,
    RowValue,
    Scope,
    ServedCount,
    SurveyAnswers,
    indicator_table,
    monthly_series,
)

if TYPE_CHECKING:
    from bot.storage.database import Database

CHANNELS = ("bot", "paper")
ANSWER_COLUMNS = ("quality", "information", "courtesy", "on_time")


@dataclass(frozen=True)
class ServedEntry:
    """What `Surveys.set_served_count` did: the count now stored and the one it replaced (None if new)."""

    office_id: str
    month: str
    count: int
    previous: int | None


@dataclass(frozen=True)
class IndicatorRecords:
    """Everything Appendix 3 is computed from, for bot.visits.indicators.indicator_table."""

    answers: list[SurveyAnswers]
    complaints: list[ComplaintOutcome]
    served: list[ServedCount]


class Surveys:
    def __init__(self, engine: SqliteEngine | PostgresEngine) -> None:
        self.engine = engine

    async def add_response(
        self,
        *,
        office_id: str,
        department_id: str | None,
        visited_on: date,
        quality: int | None,
        information: int | None,
        courtesy: int | None,
        on_time: bool | None,
        channel: str,
        idempotency_key: str | None,
    ) -> bool:
        """Store one questionnaire (True if new); a key already used stores nothing (a double tap, a
        paper form entered twice). Values out of range are refused by the table (StorageError)."""
        async with self.engine.transaction() as tx:
            return await insert_survey_response(
                tx, office_id=office_id, department_id=department_id, visited_on=visited_on,
                quality=quality, information=information, courtesy=courtesy, on_time=on_time,
                channel=channel, idempotency_key=idempotency_key, at=datetime.now(UTC))

    async def set_served_count(
        self, *, office_id: str, month: date, count: int, entered_by: str, at: datetime
    ) -> ServedEntry:
        """Record how many citizens an office served in a month (`month` is its first day); a second
        entry for the same month replaces the first, and both are in the audit log."""
        if month.day != 1:
            raise ValueError(f"month: expected the first day of a month, got {month.isoformat()}")
        if count < 0:
            raise ValueError(f"count: expected 0 or more, got {count}")
        key = month.strftime("%Y-%m")
        when = utc_text(at)
        async with self.engine.transaction() as tx:
            # Two officials entering one month at once: the row lock makes the second read the first's.
            lock = " FOR UPDATE" if tx.dialect == "postgresql" else ""
            previous = await tx.fetch_val(
                f"SELECT count FROM served_count WHERE office_id = ? AND month = ?{lock}", (office_id, key)
            )
            await tx.execute(
                "INSERT INTO served_count (office_id, month, count, entered_by, entered_at) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (office_id, month) DO UPDATE SET count = excluded.count, "
                "entered_by = excluded.entered_by, entered_at = excluded.entered_at",
                (office_id, key, count, entered_by, when),
            )
            previous = None if previous is None else int(previous)
            await audit.record(tx, when, entered_by, "served_entered", None,
                               {"office_id": office_id, "month": key, "count": count, "previous": previous})
        return ServedEntry(office_id, key, count, previous)

    async def answers(self, *, date_from: date | None = None, date_to: date | None = None
                      ) -> list[SurveyAnswers]:
        """Every stored questionnaire the days cover (inclusive), as the indicators read them: a skipped
        question is absent; a response without a department counts only for its office. The bot's
        rows know the month of the visit only, so they count by whole months: every month the days
        touch (bot.visits.indicators.SurveyAnswers.whole_month); a paper form by its day."""
        paper_where, paper_params = _days("visited_on", date_from, date_to)
        bot_where, bot_params = _days("visited_on", date_from and date_from.replace(day=1),
                                      date_to and _month_end(date_to))
        rows = await self.engine.fetch_all(
            "SELECT office_id, department_id, visited_on, quality, information, courtesy, on_time, channel "
            f"FROM survey_response WHERE (channel = 'bot' AND {bot_where}) "
            f"OR (channel <> 'bot' AND {paper_where}) ORDER BY visited_on, id",
            [*bot_params, *paper_params],
        )
        out = []
        for row in rows:
            answers = {k: row[k] for k in ANSWER_COLUMNS if row[k] is not None}
            if "on_time" in answers:
                answers["on_time"] = bool(answers["on_time"])
            out.append(SurveyAnswers(row["office_id"], row["department_id"] or "",
                                     date.fromisoformat(row["visited_on"]), answers,
                                     whole_month=row["channel"] == "bot"))
        return out

    async def complaint_outcomes(self) -> list[ComplaintOutcome]:
        """Closed complaints marked justified or not (4.1), each on the Almaty day it was closed (its
        last change: a closed complaint changes again only when reopened, and then it is not closed)."""
        rows = await self.engine.fetch_all(
            "SELECT office_id, department_id, updated_at, justified FROM complaint "
            "WHERE status = 'closed' AND justified IS NOT NULL ORDER BY id"
        )
        return [
            ComplaintOutcome(row["office_id"], row["department_id"] or "",
                             parse_utc_text(row["updated_at"]).astimezone(KZ_TZ).date(),
                             bool(row["justified"]))
            for row in rows
        ]

    async def served_counts(self, department_of: Callable[[str], str | None]) -> list[ServedCount]:
        """Every entered month; `department_of` names each office's department (the office directory)."""
        rows = await self.engine.fetch_all(
            "SELECT office_id, month, count FROM served_count ORDER BY office_id, month"
        )
        return [
            ServedCount(row["office_id"], department_of(row["office_id"]) or "",
                        date.fromisoformat(row["month"] + "-01"), int(row["count"]))
            for row in rows
        ]

    async def records(
        self, department_of: Callable[[str], str | None], *,
        date_from: date | None = None, date_to: date | None = None,
    ) -> IndicatorRecords:
        """The answers within the days, and every complaint outcome and served count (4.1 picks its
        whole months from them)."""
        return IndicatorRecords(
            await self.answers(date_from=date_from, date_to=date_to),
            await self.complaint_outcomes(),
            await self.served_counts(department_of),
        )

    async def purge(self, visited_before: date) -> int:
        """Delete answers about visits before the day (the complaints' retention); returns how many."""
        return await self.engine.execute(
            "DELETE FROM survey_response WHERE visited_on < ?", (visited_before.isoformat(),)
        )


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _days(column: str, date_from: date | None, date_to: date | None) -> tuple[str, list[str]]:
    parts, params = ["1 = 1"], []
    if date_from is not None:
        parts.append(f"{column} >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        parts.append(f"{column} <= ?")
        params.append(date_to.isoformat())
    return " AND ".join(parts), params


async def insert_survey_response(
    tx: Session, *, office_id: str, department_id: str | None, visited_on: date, quality: int | None,
    information: int | None, courtesy: int | None, on_time: bool | None, channel: str,
    idempotency_key: str | None, at: datetime,
) -> bool:
    """One questionnaire row inside the caller's transaction (the visit's survey stores its answers and
    forgets the user's progress together); a key already used stores nothing."""
    if channel not in CHANNELS:
        raise ValueError(f"channel: expected one of {CHANNELS}, got {channel!r}")
    return await tx.execute(
        "INSERT INTO survey_response (office_id, department_id, visited_on, quality, information, courtesy, "
        "on_time, channel, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (idempotency_key) DO NOTHING",
        (office_id, department_id, visited_on.isoformat(), quality, information, courtesy,
         None if on_time is None else int(on_time), channel, idempotency_key, utc_text(at)),
    ) == 1



async def indicators(
    db: Database, scope: Scope, department_of: Callable[[str], str | None]
) -> list[RowValue]:
    """The Appendix 3 table for the scope from what is stored (`indicators --json`, /stats)."""
    records = await db.surveys.records(department_of, date_from=scope.date_from, date_to=scope.date_to)
    return indicator_table(records.answers, records.complaints, records.served, scope)


async def satisfaction_by_month(db: Database, scope: Scope) -> dict[str, list[MonthPoint]]:
    """The satisfaction rows month by month over the scope's days (the /stats chart)."""
    answers = await db.surveys.answers(date_from=scope.date_from, date_to=scope.date_to)
    return monthly_series(answers, scope)
