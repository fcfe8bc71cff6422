"""The same update delivered twice has one effect; and the updates in flight, for a graceful stop.

Telegram delivers an update again when the bot did not confirm it: after a crash or a restart between
handling it and the next getUpdates. `DuplicateUpdates` (an outer middleware on `dp.update`) records
every update once it was handled (bot.storage.database `processed_update`: its id and a digest of its content)
and skips an update whose id and content were recorded; a different update under a recorded id (ids
restart at random after a week of silence) is new. Ids grow, so when this process alone handles the
bot's updates, only ids up to the highest one recorded before it started can be old: the database is
asked about those alone; newer duplicates (none come from polling) are caught by a bounded memory of
recent ids. Replicas behind a load balancer each see only some of the updates: their marks are shared
(`marks`: in Redis, bot.storage.redis_updates, or the one PostgreSQL) and every update is looked up.

An update is recorded after its handler returned or failed (the error handler has answered then), not
before: an update cut short by a crash is handled again after the restart, where it resumes from the
stored dialogue state. So delivery is at-least-once for an update whose handling a crash interrupted,
exactly-once for every update that finished. Pruned after two days (Telegram keeps updates for one).

When this process alone records the updates (SQLite), the dialogue writes an update makes go to the
database with its mark, in one transaction and one trip when it ends (bot.storage.update_writes): a
crash leaves all of a handled update or none of it.

The same middleware knows the updates in flight: `wait_idle()` is what a graceful stop awaits.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update

from bot.storage.database import Database
from bot.storage.update_writes import UpdateWrites, collected_in

log = logging.getLogger("bot.telegram.dedupe")

KEEP = timedelta(days=2)
PRUNE_EVERY = 1000


class UpdateMarks(Protocol):
    """What the database's `db.updates` and bot.storage.redis_updates both offer."""

    async def mark_update_handled(self, update_id: int, digest: str, at: datetime) -> None: ...
    async def handled_update_digest(self, update_id: int) -> str | None: ...
    async def last_handled_update(self) -> int | None: ...
    async def forget_updates(self, before: datetime) -> int: ...

def digest(update: Update) -> str:
    """What tells this update apart from another under the same id: its event's identity and content.

    A message is its chat, id, dates and text; a callback query its id, data and message. Telegram never
    reuses those, but a fake Telegram started afresh (the terminal mode, a test's restart) does reuse
    ids and dates, so the content is part of it. Cheap on every update, and it cannot fail on odd text
    (a lone surrogate in a pasted message made serialising the whole update raise).
    """
    try:
        kind = update.event_type
        event = update.event
    except LookupError:  # a kind of update this aiogram does not know
        kind, event = "unknown", update
    chat = getattr(event, "chat", None)
    if chat is not None and hasattr(event, "message_id"):
        text = getattr(event, "text", None) or getattr(event, "caption", None)
        identity = f"{chat.id}:{event.message_id}:{event.date}:{getattr(event, 'edit_date', None)}:{text}"
    elif kind == "callback_query":
        message = event.message.message_id if event.message is not None else event.inline_message_id
        identity = f"{event.id}:{event.data}:{message}"
    else:
        identity = repr(event)
    raw = f"{kind}|{identity}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(raw, digest_size=12).hexdigest()


class DuplicateUpdates(BaseMiddleware):
    def __init__(self, db: Database, *, marks: UpdateMarks | None = None, memory: int = 10_000,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.marks = marks or db.updates
        self.shared = marks is not None or not db.single_process  # other processes record updates too
        self.local = None if self.shared else db.updates  # its mark can carry the update's dialogue writes
        self.memory = memory
        self.clock = clock
        self.recent: OrderedDict[int, str] = OrderedDict()
        self.in_flight: set[int] = set()
        self.skipped = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._watermark: int | None = None
        self._handled = 0

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        update_id, fingerprint = event.update_id, digest(event)
        if update_id in self.in_flight or self.recent.get(update_id) == fingerprint \
                or await self._recorded(update_id, fingerprint):
            self.skipped += 1
            log.info("update %s delivered again: skipped", update_id)
            return UNHANDLED
        self.in_flight.add(update_id)
        self._idle.clear()
        writes = None if self.local is None else self.local.writes()
        try:
            with collected_in(writes):
                result = await handler(event, data)
        except asyncio.CancelledError:
            if writes is not None:
                writes.discard()
            raise
        except Exception:
            await self._record(update_id, fingerprint, writes)
            raise
        else:
            await self._record(update_id, fingerprint, writes)
            return result
        finally:
            self.in_flight.discard(update_id)
            if not self.in_flight:
                self._idle.set()

    async def _recorded(self, update_id: int, fingerprint: str) -> bool:
        if self._watermark is None:  # the first update of this process
            await self.marks.forget_updates(self.clock() - KEEP)
            self._watermark = await self.marks.last_handled_update() or 0
        return ((self.shared or update_id <= self._watermark)
                and await self.marks.handled_update_digest(update_id) == fingerprint)

    async def _record(self, update_id: int, fingerprint: str, writes: UpdateWrites | None) -> None:
        self.recent[update_id] = fingerprint
        self.recent.move_to_end(update_id)
        if len(self.recent) > self.memory:
            self.recent.popitem(last=False)
        if writes is None or self.local is None:
            await self.marks.mark_update_handled(update_id, fingerprint, self.clock())
        else:
            await self.local.mark_update_handled(update_id, fingerprint, self.clock(), writes=writes)
        self._handled += 1
        if self._handled % PRUNE_EVERY == 0:
            await self.marks.forget_updates(self.clock() - KEEP)

    async def wait_idle(self, timeout: float) -> bool:
        """Wait until no update is being handled; False if some still were after `timeout` seconds."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True
