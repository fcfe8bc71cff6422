"""The audit log: who did what and when, written in the transaction of the change it records."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.complaints.record import AuditEntry
from bot.storage.engine import Session
from bot.storage.timestamps import json_text, parse_utc_text


async def record(tx: Session, at: str, actor: str, action: str, complaint_id: int | None,
                 detail: Mapping[str, Any]) -> None:
    await tx.execute(
        "INSERT INTO audit_log (at, actor, action, complaint_id, detail) VALUES (?, ?, ?, ?, ?)",
        (at, actor, action, complaint_id, json_text(detail)),
    )


def entry(row: Mapping[str, Any]) -> AuditEntry:
    """An audit_log row (at, actor, action, complaint_id, detail) as an `AuditEntry`."""
    cid = row["complaint_id"]
    return AuditEntry(at=parse_utc_text(row["at"]), actor=row["actor"], action=row["action"],
                      complaint_id=None if cid is None else int(cid), detail=json.loads(row["detail"]))
