"""Retrying Bot API requests that failed for reasons that pass: 429, 5xx and timeouts.

A session middleware (`bot.session.middleware(RetryMiddleware())`), so every request of the bot goes
through it. Telegram's 429 means "not done, come back in retry_after seconds": any method is retried
after that wait (capped, so one slow chat cannot hold a handler for minutes). A 5xx or a timeout may
come after Telegram did the work, so only methods whose repetition is harmless or wanted are retried:
sending (a notice twice is better than none — the outbox is at-least-once anyway), editing (a repeat
is "message is not modified", which handlers treat as done) and deleting. getUpdates has aiogram's own
backoff and is left alone.

Backoff doubles from `base_delay` up to `max_delay`, for at most `attempts` tries in all. The log line
names the method, the error class and the attempt: never parameters (texts, names) nor the URL, which
holds the bot token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger("bot.telegram.retry")

# Methods retried after a 5xx or a timeout (429 is retried for every method but getUpdates).
REPEATABLE = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "sendVenue", "sendLocation", "sendChatAction",
    "editMessageText", "editMessageReplyMarkup", "editMessageCaption", "deleteMessage",
    "setMyCommands", "deleteMyCommands", "getMe",
})
NEVER = frozenset({"getUpdates"})

Sleep = Callable[[float], Awaitable[Any]]


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(
        self,
        *,
        attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        max_retry_after: float = 60.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after
        self.sleep = sleep

    def delay(self, attempt: int) -> float:
        """The wait after failed attempt number `attempt` (1-based) for a 5xx or a timeout."""
        return min(self.max_delay, self.base_delay * 2 ** (attempt - 1))

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        attempt = 1
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if name in NEVER or attempt >= self.attempts or error.retry_after > self.max_retry_after:
                    raise
                wait = float(error.retry_after)
                reason = "429"
            except (TelegramServerError, TelegramNetworkError) as error:
                if name not in REPEATABLE or attempt >= self.attempts:
                    raise
                wait = self.delay(attempt)
                reason = type(error).__name__
            log.warning("%s failed (%s), attempt %d of %d; retrying in %.1f s",
                        name, reason, attempt, self.attempts, wait)
            await self.sleep(wait)
            attempt += 1


def install(bot: Bot, middleware: RetryMiddleware | None = None) -> RetryMiddleware:
    """Attach a RetryMiddleware to the bot's session once (a second call returns the first)."""
    for existing in bot.session.middleware:
        if isinstance(existing, RetryMiddleware):
            return existing
    middleware = middleware or RetryMiddleware()
    bot.session.middleware(middleware)
    return middleware
