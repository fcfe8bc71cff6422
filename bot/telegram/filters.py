"""Message filters the routers share."""

from __future__ import annotations

from aiogram.types import Message


async def is_plain_text(message: Message) -> bool:
    """Typed text, not a command: a command reaches its own handler even in the middle of a dialogue.
    An async filter because aiogram runs a magic F.text filter in a worker thread."""
    return message.text is not None and not message.text.startswith("/")
