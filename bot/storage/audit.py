"""The audit log: who did what and when, written in the transaction of the change it records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.storage.engine import Session
from bot.storage.timestamps import json_text


async def record(tx: Session, at: str, actor: str, action: str, complaint_id: int | None,
                 detail: Mapping[str, Any]) -> None:
    await tx.execute(
        "INSERT INTO audit_log (at, actor, action, complaint_id, detail) VALUES (?, ?, ?, ?, ?)",
        (at, actor, action, complaint_id, json_text(detail)),
    )
