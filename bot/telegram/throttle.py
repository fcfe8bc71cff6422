"""Flood control that answers politely, once per burst, instead of dropping silently.

A token bucket per user in a private chat, per chat elsewhere: `burst` updates at once, refilled at
`rate` per second. Within the limit nothing changes. Past it, in a private chat:
- the first message of the burst gets "you are sending too fast, wait a few seconds" in the user's
  language (in both when it is not known yet); the messages after it in the same burst are dropped, by
  design: answering each would be the flood Telegram rate-limits us for (about one message a second
  per chat);
- every button press is answered with the same words as a short notice (a press must never spin),
  and not acted on;
- once the bucket has a token again the user is served as usual and the next burst is announced again.
A group or channel has one small bucket for everyone in it (`group_policy`): it gets a few pointers
to the private chat, then silence, however many members send /start.

An outer middleware on message, edited_message and callback_query, registered before every other one
(bot.app): a flood costs no language prompt, no pointer, no database read of the dialogue. It finds the
user's language itself, and only when it refuses. Buckets idle long enough to be full are dropped, so
memory stays bounded by the users and chats active in the last minutes.

With several replicas the buckets live in Redis instead (`shared`, bot.storage.redis_buckets), per bot:
the load balancer spreading a flood over the replicas does not multiply what it may send.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES
from bot.telegram.locale import N_

log = logging.getLogger("bot.telegram.throttle")

NOTICE = N_("You are sending messages too fast. Please wait a few seconds: then I will answer again.")

LocaleOf = Callable[[User], Awaitable[str | None]]


class SharedBuckets(Protocol):
    """(allowed, first refusal of this burst) for one more update under `key`, as `allow`."""

    async def take(self, key: str, burst: float, rate: float) -> tuple[bool, bool]: ...


@dataclass(frozen=True)
class Policy:
    """`burst` updates at once, `rate` more per second after that."""

    burst: float = 30.0
    rate: float = 1.0


@dataclass
class Bucket:
    tokens: float
    at: float
    policy: Policy
    warned: bool = False


class ThrottleMiddleware(BaseMiddleware):
    """`locale_of(user)` is the user's language or None when unknown (then the notice is bilingual)."""

    def __init__(self, i18n: I18n, locale_of: LocaleOf, policy: Policy | None = None, *,
                 group_policy: Policy | None = None, clock: Callable[[], float] = time.monotonic,
                 shared: SharedBuckets | None = None) -> None:
        self.i18n = i18n
        self.locale_of = locale_of
        self.policy = policy or Policy()
        self.group_policy = group_policy or Policy(burst=3.0, rate=1 / 60)
        self.clock = clock
        self.shared = shared
        self.buckets: dict[int, Bucket] = {}
        self.throttled = 0
        self._sweep_at = 0.0

    def allow(self, key: int, policy: Policy | None = None) -> tuple[bool, bool]:
        """(allowed, first refusal of this burst) for one more update counted under `key` now."""
        now = self.clock()
        self._sweep(now)
        policy = policy or self.policy
        bucket = self.buckets.get(key)
        if bucket is None or bucket.policy != policy:
            bucket = self.buckets[key] = Bucket(policy.burst, now, policy)
        bucket.tokens = min(policy.burst, bucket.tokens + (now - bucket.at) * policy.rate)
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
        self.buckets = {key: bucket for key, bucket in self.buckets.items()
                        if now - bucket.at < bucket.policy.burst / bucket.policy.rate}
        self._sweep_at = now + 60.0

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("event_from_user")
        chat = data.get("event_chat")
        private = chat is None or chat.type == "private"
        if private and user is None:
            return await handler(event, data)
        key, policy = (user.id, self.policy) if private else (chat.id, self.group_policy)
        if self.shared is None:
            allowed, first = self.allow(key, policy)
        else:
            allowed, first = await self.shared.take(f"{data['bot'].id}:{key}", policy.burst, policy.rate)
        if allowed:
            return await handler(event, data)
        self.throttled += 1
        try:
            if isinstance(event, CallbackQuery):
                await event.answer(await self.notice(event.from_user))
            elif isinstance(event, Message) and first and private:
                await event.answer(await self.notice(user))
        except TelegramAPIError as error:
            log.warning("could not tell a user they are throttled: %s", type(error).__name__)
        return UNHANDLED

    async def notice(self, user: User) -> str:
        """The notice in the user's language, or in each language when it is not known yet."""
        locale = await self.locale_of(user)
        locales = (locale,) if locale else SUPPORTED_LOCALES
        return "\n".join(self.i18n.gettext(NOTICE, locale=code) for code in locales)
