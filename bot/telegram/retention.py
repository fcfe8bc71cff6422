"""The retention sweep: what /privacy promises to delete is deleted while the bot runs, not only when
it restarts.

Finished complaints and survey answers go COMPLAINT_RETENTION_DAYS after, unfinished complaint drafts
(names and addresses) after the terms' draft_days, visit records bot.visits.due.KEEP_DAYS_AFTER_DUE after
the due day. The sweep runs at start-up, before the first update, and then as a pass of the outbox
worker once every SWEEP_EVERY, so a bot that runs for months keeps its word within the hour. Every
deletion is idempotent: several replicas may sweep the same database (or Redis) and nothing is deleted
twice or early.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from aiogram import Bot

from bot import clock
from bot.complaints.terms import load_terms, retention_days
from bot.config import Settings
from bot.storage.database import Database
from bot.visits.due import purge_due_before

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(hours=1)


class DialogueParts(Protocol):
    """Where dialogues live (the FSM storage on the database, or in Redis with several replicas): one part
    of every idle dialogue can be forgotten."""

    async def forget_part(self, part: str, idle_before: datetime) -> int: ...


@dataclass(frozen=True)
class Swept:
    """How many of each were deleted by one sweep."""

    drafts: int
    complaints: int
    answers: int
    visits: int


class RetentionSweep:
    """One sweep over every kind of kept personal data; `__call__` is the outbox worker's pass, which
    sweeps again only once SWEEP_EVERY has gone by since the last sweep of this process."""

    def __init__(self, db: Database, settings: Settings, *, draft_key: str,
                 dialogue_parts: DialogueParts) -> None:
        self.db = db
        self.settings = settings
        self.draft_key = draft_key  # the dialogue part holding a complaint draft (handlers.complaints.form)
        self.parts = dialogue_parts  # the FSM storage: on the database (bot.storage.fsm) or in Redis
        self.last: datetime | None = None

    async def sweep(self) -> Swept:
        now, today = clock.now().astimezone(UTC), clock.today()  # whole days of 24 h; days in Kazakhstan
        self.last = now
        days = retention_days(self.settings.complaint_retention_days)
        idle_drafts = now - timedelta(days=load_terms().draft_days)
        swept = Swept(
            drafts=await self.parts.forget_part(self.draft_key, idle_drafts),
            complaints=await self.db.complaints.purge(now - timedelta(days=days), actor="system"),
            answers=await self.db.surveys.purge(today - timedelta(days=days)),
            visits=await self.db.visits.purge(purge_due_before(today, days), at=now),
        )
        if any(vars(swept).values()):
            log.info("retention sweep deleted %s", vars(swept))
        return swept

    async def on_startup(self, **_: Any) -> None:
        """Before polling starts: whatever expired while the bot was down is gone before anyone asks."""
        await self.sweep()

    async def __call__(self, bot: Bot) -> Swept | None:
        if self.last is not None and clock.now() - self.last < SWEEP_EVERY:
            return None
        return await self.sweep()
