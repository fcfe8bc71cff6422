"""Filters the routers share. Async, because aiogram runs a plain function or a magic F filter used as
a filter in a worker thread, a cost on every update that reaches it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message


async def is_plain_text(message: Message) -> bool:
    """Typed text, not a command: a command reaches its own handler even in the middle of a dialogue."""
    return message.text is not None and not message.text.startswith("/")


def any_press_of(factory: type[CallbackData], *, then: str = ""
                 ) -> Callable[[CallbackQuery], Awaitable[bool]]:
    """A press of any button of this callback factory (after `then`, e.g. a questionnaire's name), also
    one whose value no handler knows (an enum value since removed): registered after the handlers of
    each value, it answers such a press as out of date instead of leaving it to the fallback."""
    prefix = f"{factory.__prefix__}{factory.__separator__}{then}"

    async def pressed(callback: CallbackQuery) -> bool:
        return (callback.data or "").startswith(prefix)

    return pressed
