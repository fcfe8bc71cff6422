"""A stored complaint presented: local times and the command line's record.

Pure: reads only the stored row and the terms' due dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from bot.clock import KZ_TZ
from bot.complaints import talon
from bot.complaints.draft import TEXT_FIELDS
from bot.complaints.terms import is_overdue


def local_time_text(stored_utc: str) -> str:
    """A stored UTC timestamp as Almaty local time, ISO 8601 with its offset."""
    return datetime.fromisoformat(stored_utc).astimezone(KZ_TZ).isoformat(timespec="seconds")


def local_time(stored_utc: str) -> datetime:
    return datetime.fromisoformat(stored_utc).astimezone(KZ_TZ)


def public_record(row: Mapping[str, Any], today: date) -> dict[str, Any]:
    """A stored complaint in the command line's contract: its §24 fields, talon, status and dates."""
    record: dict[str, Any] = {"talon": talon.format_talon(row["talon"])}
    record.update({name: row[name] for name in TEXT_FIELDS})
    record.update(
        status=row["status"],
        registered_at=local_time_text(row["registered_at"]),
        due_date=row["due_date"],
        overdue=is_overdue(row["status"], date.fromisoformat(row["due_date"]), today),
        accepted_by=row["accepted_by"],
        assignee_user_id=row["assignee_user_id"],
        answer_text=row["answer_text"],
        answered_at=local_time_text(row["answered_at"]) if row["answered_at"] else None,
        department_id=row["department_id"],
    )
    return record
