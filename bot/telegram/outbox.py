"""The outbox: notices that must arrive (talons, staff answers, status changes) are stored, then sent.

`Outbox.send` first writes the notice to the database (table `outbox`, one row per `key`), then tries
to send it at once; a complaint's change stores its notices in its own transaction instead
(bot.complaints.workflow), and `deliver_now` makes that first attempt. If Telegram is down, rate-limits
us or the process dies, the row stays unsent and `OutboxWorker` sends it later, also after a restart.
Delivery is at-least-once with a dedupe key: the same key never makes a second row, a row is marked
sent only after Telegram accepted it, so the one case of a repeat is a crash between Telegram's "ok"
and the mark. Failures that will not pass
(the user blocked the bot, the chat is gone) mark the row failed and are not retried.

Every attempt first claims its rows for LEASE (bot.storage.outbox `claim`), whoever makes it: a
handler, this process's worker or another replica's. A claimed row is nobody else's until its
outcome is marked or the lease runs out (its claimer died), so no two senders send it at once.

Texts are rendered by the caller in the recipient's language, as HTML (user input escaped), before
they are stored: the worker needs no i18n and sends exactly what the handler meant. Logs name the
row id and the error class, never the text or the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import InlineKeyboardMarkup

from bot.storage.database import Database
from bot.storage.outbox import OutboxRow

log = logging.getLogger("bot.telegram.outbox")

# Waits before the 1st, 2nd, … retry of an unsent notice; the last one repeats.
RETRY_SCHEDULE = (timedelta(seconds=5), timedelta(seconds=15), timedelta(minutes=1), timedelta(minutes=5),
                  timedelta(minutes=15))
PERMANENT = (TelegramForbiddenError, TelegramBadRequest, TelegramNotFound)
# How long a claim keeps a row from other senders: far longer than one attempt (the retrying session
# gives up within a minute), short enough that a dead replica's rows go out soon after.
LEASE = timedelta(minutes=2)
# A sent (or refused) notice is kept this long as the record that it went out, then deleted.
KEEP_FINISHED = timedelta(days=30)

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Outbox:
    """Store-then-send of notices on one database; `send` is what handlers call.

    `Outbox.of(db)` is the one outbox of a database in this process (the worker's too, whose `wake`
    it shares).
    """

    _of: weakref.WeakKeyDictionary[Database, Outbox] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, db: Database) -> Outbox:
        if db not in cls._of:
            cls._of[db] = cls(db)
        return cls._of[db]

    def __init__(self, db: Database, *, clock: Clock = _utc_now) -> None:
        self.db = db
        self.clock = clock
        self.wake = asyncio.Event()
        # Work that stores notices when their day comes (the visit reminders), run before each pass
        # of the worker; by name, so a dispatcher built again on the same database replaces its own.
        self.passes: dict[str, Callable[[Bot], Awaitable[Any]]] = {}

    async def run_passes(self, bot: Bot) -> None:
        """Each scheduled pass once; one that fails is logged and does not stop the others."""
        for name, run in list(self.passes.items()):
            try:
                await run(bot)
            except Exception as error:
                log.error("outbox pass %s failed: %s", name, type(error).__name__)

    async def send(
        self, bot: Bot, chat_id: int, text: str, *, key: str, reply_markup: InlineKeyboardMarkup | None = None
    ) -> bool:
        """Store the notice under `key` (once) and try to deliver it now; True when it is delivered.

        False means it is stored and will be retried (or was refused for good); the caller need not act.
        """
        payload: dict[str, Any] = {"text": text}
        if reply_markup is not None:
            payload["reply_markup"] = reply_markup.model_dump(mode="json", exclude_none=True)
        row, _ = await self.db.outbox.add(key, chat_id, payload, self.clock())
        if row.sent_at is not None:
            return True
        if row.failed_at is not None:
            return False
        return await self.deliver_now(bot, [key]) == 1

    async def deliver_now(self, bot: Bot, keys: Sequence[str]) -> int:
        """One attempt at each unsent row of these keys that nobody else holds (the notices a change
        has just committed), so they need not wait for the worker; what fails stays for the worker.
        Returns how many went."""
        delivered = 0
        for row in await self.db.outbox.claim(self.clock(), LEASE, len(keys), keys=keys):
            delivered += await self._attempt(bot, row)
        return delivered

    async def _attempt(self, bot: Bot, row: OutboxRow) -> bool:
        """One attempt at one claimed row; the row records the outcome (and is no longer claimed)."""
        payload = row.payload
        markup = payload.get("reply_markup")
        try:
            await bot.send_message(
                row.chat_id, payload["text"], parse_mode=ParseMode.HTML,
                reply_markup=InlineKeyboardMarkup.model_validate(markup) if markup else None,
            )
        except PERMANENT as error:
            log.warning("outbox %s refused for good: %s", row.id, type(error).__name__)
            await self.db.outbox.mark_failed(row.id, self.clock(), type(error).__name__)
            return False
        except TelegramUnauthorizedError:
            raise
        except TelegramAPIError as error:
            wait = RETRY_SCHEDULE[min(row.attempts, len(RETRY_SCHEDULE) - 1)]
            if isinstance(error, TelegramRetryAfter):
                wait = max(wait, timedelta(seconds=error.retry_after))
            log.warning("outbox %s not sent (%s), attempt %d; next in %s", row.id, type(error).__name__,
                        row.attempts + 1, wait)
            await self.db.outbox.mark_retry(row.id, self.clock() + wait, type(error).__name__)
            return False
        await self.db.outbox.mark_sent(row.id, self.clock())
        return True

    async def forget_finished(self) -> int:
        """Delete rows sent or refused more than KEEP_FINISHED ago (the worker does it at start)."""
        return await self.db.outbox.forget(self.clock() - KEEP_FINISHED)

    async def deliver_due(self, bot: Bot, limit: int = 50, *, everything: bool = False,
                          stop: Callable[[], bool] = lambda: False) -> int:
        """Claim and send every row that is due now (with `everything`, every unsent row, whatever its
        schedule) and held by nobody, oldest first, until `stop()` (rows claimed but not tried are
        let go); returns how many were delivered."""
        delivered = 0
        now = self.clock()
        due_by = now + (timedelta(days=3650) if everything else timedelta(0))
        rows = await self.db.outbox.claim(now, LEASE, limit, due_by=due_by)
        for index, row in enumerate(rows):
            if stop():
                await self.db.outbox.release([r.id for r in rows[index:]])
                break
            delivered += await self._attempt(bot, row)
        return delivered


class OutboxWorker:
    """Runs `deliver_due` now and then: at start (every unsent row), then every `interval`
    or as soon as `outbox.wake` is set. `stop()` lets the row being sent finish and be marked."""

    def __init__(self, outbox: Outbox, bot: Bot, *, interval: float = 5.0) -> None:
        self.outbox = outbox
        self.bot = bot
        self.interval = interval
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="outbox-worker")

    async def stop(self, timeout: float = 10.0) -> None:
        if self._task is None:
            return
        self._stopping = True
        self.outbox.wake.set()
        try:
            await asyncio.wait_for(self._task, timeout)
        except TimeoutError:
            log.warning("outbox worker did not stop in %.0f s: cancelled", timeout)
        self._task = None

    async def _run(self) -> None:
        first = True  # after a restart, whatever the dead process left is tried at once
        while not self._stopping:
            try:
                if first:
                    await self.outbox.forget_finished()
                await self.outbox.run_passes(self.bot)
                await self.outbox.deliver_due(self.bot, 500 if first else 50, everything=first,
                                              stop=lambda: self._stopping)
                first = False
            except Exception as error:  # the worker must outlive a bad row or a database hiccup
                log.error("outbox pass failed: %s", type(error).__name__)
            if self._stopping:
                return
            self.outbox.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.outbox.wake.wait(), self.interval)
