"""Survey answers without a user id (Appendix 3, §18): once stored, nobody can tell who gave them.

A minimal stand-in for the i-stats branch's module of the same path and API (`add_survey_response`);
at merge its version is taken, keeping `insert_survey_response`, which the visit repository calls
inside its own transaction (the answers stored and the user's progress deleted together).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.storage.engine import Session
from bot.storage.timestamps import utc_text

CHANNELS = ("bot", "paper")


async def add_survey_response(
    db, *, office_id: str, department_id: str | None, visited_on: date, quality: int | None,
    information: int | None, courtesy: int | None, on_time: bool | None, channel: str,
    idempotency_key: str | None,
) -> bool:
    """Store one questionnaire (True if new); a key already used stores nothing."""
    async with db.engine.transaction() as tx:
        return await insert_survey_response(
            tx, office_id=office_id, department_id=department_id, visited_on=visited_on, quality=quality,
            information=information, courtesy=courtesy, on_time=on_time, channel=channel,
            idempotency_key=idempotency_key, at=datetime.now(UTC))


async def insert_survey_response(
    tx: Session, *, office_id: str, department_id: str | None, visited_on: date, quality: int | None,
    information: int | None, courtesy: int | None, on_time: bool | None, channel: str,
    idempotency_key: str | None, at: datetime,
) -> bool:
    """The row of `add_survey_response` inside the caller's transaction."""
    if channel not in CHANNELS:
        raise ValueError(f"channel: expected one of {CHANNELS}, got {channel!r}")
    return await tx.execute(
        "INSERT INTO survey_response (office_id, department_id, visited_on, quality, information, courtesy, "
        "on_time, channel, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (idempotency_key) DO NOTHING",
        (office_id, department_id, visited_on.isoformat(), quality, information, courtesy,
         None if on_time is None else int(on_time), channel, idempotency_key, utc_text(at)),
    ) == 1
