"""A stored complaint and its audit trail as the domain reads them, and presented: local times and
the command line's record.

Pure: the repository (bot.storage.complaints) builds these from its rows; nothing here reads storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.clock import KZ_TZ
from bot.complaints import talon
from bot.complaints.draft import TEXT_FIELDS
from bot.complaints.terms import is_overdue


@dataclass(frozen=True, slots=True)
class Complaint:
    """One complaint as stored: the §24 fields as filed, where it is, its status and its dates.

    Times are UTC-aware datetimes; `due_date` is an Almaty day; `version` is the revision every change
    raises (the compare-and-set of the staff actions); `justified` is None until asked at closing.
    """

    id: int
    talon: str
    sequence: int
    idempotency_key: str | None
    citizen_user_id: int | None
    locale: str | None
    kind: str
    surname: str | None
    name: str | None
    patronymic: str | None
    postal_address: str
    entity_name: str | None
    outgoing_number: str | None
    outgoing_date: str | None  # as filed (ISO day text), like the other §24 fields
    office_id: str
    department_id: str | None
    channel: str
    category: str
    text: str
    status: str
    registered_at: datetime
    due_date: date
    accepted_by: str | None
    assignee_user_id: int | None
    answer_text: str | None
    answered_at: datetime | None
    updated_at: datetime
    version: int
    justified: bool | None

    def text_fields(self) -> dict[str, str | None]:
        """The §24 fields as filed, by the draft's field names."""
        return {name: getattr(self, name) for name in TEXT_FIELDS}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit record: who did what and when; `complaint_id` is None for staff changes and purges."""

    at: datetime
    actor: str
    action: str
    complaint_id: int | None
    detail: dict[str, Any]


def local_time_text(moment: datetime) -> str:
    """A stored moment as Almaty local time, ISO 8601 with its offset."""
    return moment.astimezone(KZ_TZ).isoformat(timespec="seconds")


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(KZ_TZ)


def public_record(row: Complaint, today: date) -> dict[str, Any]:
    """A stored complaint in the command line's contract: its §24 fields, talon, status and dates."""
    record: dict[str, Any] = {"talon": talon.format_talon(row.talon)}
    record.update(row.text_fields())
    record.update(
        status=row.status,
        registered_at=local_time_text(row.registered_at),
        due_date=row.due_date.isoformat(),
        overdue=is_overdue(row.status, row.due_date, today),
        accepted_by=row.accepted_by,
        assignee_user_id=row.assignee_user_id,
        answer_text=row.answer_text,
        answered_at=local_time_text(row.answered_at) if row.answered_at else None,
        department_id=row.department_id,
        justified=row.justified,
    )
    return record
