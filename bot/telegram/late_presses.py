"""A button press answered after Telegram stopped waiting for the answer is not a failure.

Telegram keeps a press answerable for a few seconds only. Presses redelivered after downtime, or
handled behind a slow update of the same user, are past that: answerCallbackQuery then fails with
"query is too old and response timeout expired or query ID is invalid". The answer only stops the
button's spinner or shows a toast, and the client has long given up on both; the screen the handler
sent or edited is what the user sees. So this session middleware takes that refusal as done (logged,
not raised), wherever the answer comes from (CallbackAnswerMiddleware after the handler, the
language prompt, the throttle, the private-chat guard), instead of turning a shown screen into
"something went wrong" after it.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger("bot.telegram.late_presses")

TOO_OLD = "query is too old"


class LatePresses(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as error:
            if not isinstance(method, AnswerCallbackQuery) or TOO_OLD not in error.message:
                raise
            log.info("a press was answered too late for Telegram: taken as answered")
            return True  # type: ignore[return-value]  # what answerCallbackQuery returns on success


def install(bot: Bot) -> None:
    """Attach LatePresses to the bot's session once."""
    if not any(isinstance(existing, LatePresses) for existing in bot.session.middleware):
        bot.session.middleware(LatePresses())
