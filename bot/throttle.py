"""Per-user flood control that answers politely, once per burst, instead of dropping silently.

A token bucket per user: `burst` updates at once, refilled at `rate` per second. Within the limit
nothing changes. Past it, in a private chat:
- the first message of the burst gets "you are sending too fast, wait a few seconds" in the user's
  language; the messages after it in the same burst are dropped, by design: answering each would be
  the flood Telegram rate-limits us for (about one message a second per chat);
- every button press is answered with the same words as a short notice (a press must never spin),
  and not acted on;
- once the bucket has a token again the user is served as usual and the next burst is announced again.
Updates outside private chats are not counted here (the bot ignores groups and channels anyway).

An outer middleware on message, edited_message and callback_query, registered after the locale
middleware so the notice is in the user's language. Buckets idle long enough to be full are dropped,
so memory stays bounded by the users active in the last minute.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

log = logging.getLogger("bot.throttle")


def notice_text() -> str:
    return _("You are sending messages too fast. Please wait a few seconds: then I will answer again.")


@dataclass
class Bucket:
    tokens: float
    at: float
    warned: bool = False


@dataclass(frozen=True)
class Policy:
    """`burst` updates at once, `rate` more per second after that."""

    burst: float = 30.0
    rate: float = 1.0


class ThrottleMiddleware(BaseMiddleware):
    def __init__(self, policy: Policy | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or Policy()
        self.clock = clock
        self.buckets: dict[int, Bucket] = {}
        self.throttled = 0
        self._sweep_at = 0.0

    def allow(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, first refusal of this burst) for one more update from `user_id` now."""
        now = self.clock()
        self._sweep(now)
        bucket = self.buckets.get(user_id)
        if bucket is None:
            bucket = self.buckets[user_id] = Bucket(self.policy.burst, now)
        bucket.tokens = min(self.policy.burst, bucket.tokens + (now - bucket.at) * self.policy.rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return True, False
        first = not bucket.warned
        bucket.warned = True
        return False, first

    def _sweep(self, now: float) -> None:
        """Forget buckets that would be full by now (every minute at most)."""
        if now < self._sweep_at:
            return
        full_after = self.policy.burst / self.policy.rate
        self.buckets = {uid: b for uid, b in self.buckets.items() if now - b.at < full_after}
        self._sweep_at = now + 60.0

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("event_from_user")
        chat = data.get("event_chat")
        if user is None or (chat is not None and chat.type != "private"):
            return await handler(event, data)
        allowed, first = self.allow(user.id)
        if allowed:
            return await handler(event, data)
        self.throttled += 1
        try:
            if isinstance(event, CallbackQuery):
                await event.answer(notice_text())
            elif isinstance(event, Message) and first:
                await event.answer(notice_text())
        except TelegramAPIError as error:
            log.warning("could not tell a user they are throttled: %s", type(error).__name__)
        return UNHANDLED
