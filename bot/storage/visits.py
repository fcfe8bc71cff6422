"""The visit aggregate: the office and day a citizen handed in the documents (§14), and what of the
§15 reminder and the survey after the visit has been sent.

One record per user. A correction replaces the record under a new id, so the reminder key of the old
one (`visit:<id>:reminder`) never blocks the new one; unsent notices of the old record are dropped with
it. The survey's progress (sent, answered, done) carries over to the new record: a correction is the
same visit, so no question is asked twice; a card of the old record is stale. The progress lives in
the record only until the survey is over (finished, past its last day, or its record deleted or
purged): then the answers given go to `survey_response` without a user id (bot.storage.surveys), in
the same transaction that empties the progress, once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from bot.complaints.notice import OutboxNotice
from bot.storage.engine import PostgresEngine, SqliteEngine
from bot.storage.outbox import store_notices
from bot.storage.surveys import insert_survey_response
from bot.storage.timestamps import utc_text


@dataclass(frozen=True)
class Visit:
    id: int
    user_id: int
    locale: str  # the dialogue's language when recorded: the notices' when the user chose none
    office_id: str
    department_id: str | None
    accepted_on: date
    due_on: date
    remind_on: date
    reminded: bool
    next_ask_on: date | None
    survey_sent: tuple[str, ...]
    survey_answers: dict[str, Any]
    survey_done: bool


def notice_prefix(visit_id: int) -> str:
    """Every outbox key of a visit starts with this (`visit:<id>:reminder`, `visit:<id>:survey:<q>`)."""
    return f"visit:{visit_id}:"


class Visits:
    def __init__(self, engine: SqliteEngine | PostgresEngine) -> None:
        self.engine = engine

    async def of_user(self, user_id: int) -> Visit | None:
        row = await self.engine.fetch_one("SELECT * FROM visit WHERE user_id = ?", (user_id,))
        return _visit(row) if row is not None else None

    async def get(self, visit_id: int) -> Visit | None:
        row = await self.engine.fetch_one("SELECT * FROM visit WHERE id = ?", (visit_id,))
        return _visit(row) if row is not None else None

    async def record(self, user_id: int, *, locale: str, office_id: str, department_id: str | None,
                     accepted_on: date, due_on: date, remind_on: date, reminded: bool,
                     next_ask_on: date | None, at: datetime) -> Visit:
        """Record (or replace) the user's visit, keeping the survey's progress of the one it replaces
        (the caller's `next_ask_on` reckons with it): never asked twice. `reminded`: the reminder day
        has passed already (nothing to remind of)."""
        when = utc_text(at)
        async with self.engine.transaction() as tx:
            old = await tx.fetch_one("SELECT id, survey_done, survey_sent, survey_answers FROM visit "
                                     "WHERE user_id = ?", (user_id,))
            done = int(old["survey_done"]) if old else 0
            sent = old["survey_sent"] if old else "[]"
            answers = old["survey_answers"] if old else None
            if old is not None:
                await _drop(tx, old["id"])
            row = await tx.fetch_one(
                "INSERT INTO visit (user_id, locale, office_id, department_id, accepted_on, due_on, "
                "remind_on, reminded, next_ask_on, survey_sent, survey_answers, survey_done, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING *",
                (user_id, locale, office_id, department_id, accepted_on.isoformat(), due_on.isoformat(),
                 remind_on.isoformat(), int(reminded),
                 None if done or next_ask_on is None else next_ask_on.isoformat(), sent, answers, done,
                 when, when),
            )
        return _visit(row)

    async def delete(self, user_id: int, *, at: datetime) -> bool:
        """Forget the user's visit and its unsent notices; True if there was one. A survey begun is over:
        the answers given are stored without the user first."""
        async with self.engine.transaction() as tx:
            old = await tx.fetch_one("SELECT * FROM visit WHERE user_id = ?", (user_id,))
            if old is not None:
                await _store_answers(tx, _visit(old), at)
                await _drop(tx, old["id"])
        return old is not None

    async def purge(self, due_before: date, *, at: datetime) -> int:
        """Delete every record whose due day is before `due_before` (the retention, on start), storing
        first the answers of a survey still open: it is over with its record. Returns how many."""
        async with self.engine.transaction() as tx:
            rows = await tx.fetch_all("SELECT * FROM visit WHERE due_on < ? ORDER BY id",
                                      (due_before.isoformat(),))
            for row in rows:
                await _store_answers(tx, _visit(row), at)
                await _drop(tx, row["id"])
        return len(rows)

    async def due(self, today: date, limit: int = 100) -> list[Visit]:
        """Visits with a reminder or a survey question to send by `today`."""
        rows = await self.engine.fetch_all(
            "SELECT * FROM visit WHERE (reminded = 0 AND remind_on <= ?) "
            "OR (next_ask_on IS NOT NULL AND next_ask_on <= ?) ORDER BY id LIMIT ?",
            (today.isoformat(), today.isoformat(), limit),
        )
        return [_visit(row) for row in rows]

    async def mark_sent(self, visit: Visit, *, notices: Sequence[OutboxNotice], reminded: bool,
                        asked: Sequence[str], next_ask_on: date | None, at: datetime) -> bool:
        """Store the notices and what they asked in one transaction, unless the record changed meanwhile
        (corrected, deleted, or another replica got there first); True when stored."""
        when = utc_text(at)
        async with self.engine.transaction() as tx:
            changed = await tx.execute(
                "UPDATE visit SET reminded = ?, survey_sent = ?, next_ask_on = ?, updated_at = ? "
                "WHERE id = ? AND reminded = ? AND survey_sent = ?",
                (int(reminded), _json([*visit.survey_sent, *asked]),
                 next_ask_on.isoformat() if next_ask_on else None, when,
                 visit.id, int(visit.reminded), _json(visit.survey_sent)),
            )
            if changed == 1:
                await store_notices(tx, notices, when)
        return changed == 1

    async def answer(self, visit: Visit, answers: dict[str, Any], *, asked: Sequence[str], at: datetime
                     ) -> bool:
        """Save the survey progress, unless it changed meanwhile (a double tap): True when saved."""
        async with self.engine.transaction() as tx:
            changed = await tx.execute(
                "UPDATE visit SET survey_answers = ?, survey_sent = ?, updated_at = ? "
                "WHERE id = ? AND survey_done = 0 AND COALESCE(survey_answers, '{}') = ?",
                (_json(answers), _json([*visit.survey_sent, *asked]), utc_text(at), visit.id,
                 _json(visit.survey_answers)),
            )
        return changed == 1

    async def finish_survey(self, visit: Visit, answers: dict[str, Any], *, at: datetime) -> bool:
        """The citizen answered the last question: store the answers without a user id and keep only
        "survey done" in the record, in one transaction; False on a double tap."""
        return await self._end_survey(visit, answers, at)

    async def close_survey(self, visit: Visit, *, at: datetime) -> bool:
        """The survey's last day has passed unfinished: store the answers given so far as finish_survey
        does and drop its unsent questions; False if the progress changed meanwhile (a tap)."""
        return await self._end_survey(visit, visit.survey_answers, at)

    async def _end_survey(self, visit: Visit, answers: dict[str, Any], at: datetime) -> bool:
        async with self.engine.transaction() as tx:
            changed = await tx.execute(
                "UPDATE visit SET survey_answers = NULL, survey_done = 1, next_ask_on = NULL, updated_at = ? "
                "WHERE id = ? AND survey_done = 0 AND COALESCE(survey_answers, '{}') = ?",
                (utc_text(at), visit.id, _json(visit.survey_answers)),
            )
            if changed == 1:
                await _store_answers(tx, replace(visit, survey_answers=answers), at)
                await tx.execute(
                    "DELETE FROM outbox WHERE dedupe_key LIKE ? AND sent_at IS NULL AND failed_at IS NULL",
                    (notice_prefix(visit.id) + "survey:%",))
        return changed == 1


async def _store_answers(tx, visit: Visit, at: datetime) -> None:
    """A survey over: its answers (a skipped question stays empty) without a user id, on the first day
    of the month of the visit; nothing when it was done already or nothing was answered."""
    answers = visit.survey_answers
    if visit.survey_done or not answers:
        return
    await insert_survey_response(
        tx, office_id=visit.office_id, department_id=visit.department_id,
        visited_on=visit.accepted_on.replace(day=1), quality=answers.get("quality"),
        information=answers.get("information"), courtesy=answers.get("courtesy"),
        on_time=answers.get("on_time"), channel="bot", idempotency_key=None, at=at)


async def _drop(tx, visit_id: int) -> None:
    await tx.execute("DELETE FROM outbox WHERE dedupe_key LIKE ? AND sent_at IS NULL AND failed_at IS NULL",
                     (notice_prefix(visit_id) + "%",))
    await tx.execute("DELETE FROM visit WHERE id = ?", (visit_id,))


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _visit(row: dict[str, Any]) -> Visit:
    return Visit(
        id=int(row["id"]), user_id=int(row["user_id"]), locale=row["locale"], office_id=row["office_id"],
        department_id=row["department_id"], accepted_on=_day(row["accepted_on"]), due_on=_day(row["due_on"]),
        remind_on=_day(row["remind_on"]), reminded=bool(row["reminded"]),
        next_ask_on=_day(row["next_ask_on"]), survey_sent=tuple(json.loads(row["survey_sent"])),
        survey_answers=json.loads(row["survey_answers"] or "{}"),
        survey_done=bool(row["survey_done"]),
    )
