"""Text a client sent with a lone UTF-16 surrogate (half of an emoji, e.g. "\\udcd0") is mended once,
at the edge, before any handler sees it.

Such a character fits in a Python string but in no UTF-8: storing the dialogue, a complaint or a
staff answer raised UnicodeEncodeError after the next question had already been sent, and the user
was told their answers were saved when they were not. An outer middleware on updates replaces every
lone surrogate in a message's text and caption and in a press's data with U+FFFD (the replacement
character: one UTF-16 unit like the surrogate, so Telegram's entity offsets still hold), so every
field of every dialogue is clean without each handler thinking of it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update

_LONE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
_FIELDS = {Message: ("text", "caption"), CallbackQuery: ("data",)}


def mend(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD (a whole emoji is one code point, untouched)."""
    return _LONE.sub(REPLACEMENT, text)


def _mended(event: TelegramObject) -> TelegramObject | None:
    """A copy of `event` with its typed fields mended, or None when nothing needed it."""
    names = _FIELDS.get(type(event), ())
    changes = {name: mend(value) for name in names
               if isinstance(value := getattr(event, name, None), str) and _LONE.search(value)}
    return event.model_copy(update=changes) if changes else None


class LoneSurrogates(BaseMiddleware):
    """Outer middleware on `dp.update`: the update handed on carries only encodable text."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update):
            for name in ("message", "edited_message", "callback_query"):
                inner = getattr(event, name)
                mended = _mended(inner) if inner is not None else None
                if mended is not None:
                    event = event.model_copy(update={name: mended})
        return await handler(event, data)
