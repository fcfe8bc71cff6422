"""Screens that may hold more than one Telegram message can (4,096 characters): a complaint of 3,000
characters with an answer of 3,000 does. Such a screen is built as blocks (short lines: a str shown as
it is, a formatting node as formatted; and the long texts people typed as `Prose`) and split into
messages at whole lines, a long text at a line break or between words, each part closing its own tags;
the buttons go under the last part.

Lengths are measured on the HTML itself, in UTF-16 code units as Telegram counts them, which is never
less than what Telegram measures after parsing: a part that fits here fits there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.formatting import Text

from bot.telegram.markup import plain
from bot.telegram.screen import chat_of, replace_or_send

MESSAGE_LIMIT = 4096
# A long text is begun in the current message only if at least this much room is left there.
MIN_START = 300


@dataclass(frozen=True)
class Prose:
    """Text a person typed (escaped here), shown in `tag` (italic), split where it must be."""

    text: str
    tag: str = "i"


def size(html: str) -> int:
    """Telegram's length of a text: UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(html.encode("utf-16-le")) // 2


def _cut(text: str, room: int) -> int:
    """How many characters of `text` to put in `room` (escaped): at a line break, else a space."""
    low, high = 0, len(text)
    while low < high:  # the longest prefix whose escaped form fits
        middle = (low + high + 1) // 2
        if size(plain(text[:middle])) <= room:
            low = middle
        else:
            high = middle - 1
    if low >= len(text):
        return low
    for separator in ("\n", " "):
        at = text.rfind(separator, 0, low + 1)
        if at > low // 2:
            return at + 1
    return max(low, 1)


def split(blocks: Sequence[str | Text | Prose], limit: int = MESSAGE_LIMIT) -> list[str]:
    """The blocks as HTML messages of at most `limit`, joined by line breaks, in order."""
    parts: list[list[str]] = [[]]

    def used() -> int:
        return size("\n".join(parts[-1]))

    def room() -> int:
        return limit - used() - (1 if parts[-1] else 0)

    for block in blocks:
        if not isinstance(block, Prose):
            line = plain(block) if isinstance(block, str) else block.as_html()
            if parts[-1] and room() < size(line):
                parts.append([])
            parts[-1].append(line)
            continue
        text, opening, closing = block.text.strip(), f"<{block.tag}>", f"</{block.tag}>"
        while text:
            space = room() - size(opening + closing)
            if parts[-1] and space < min(MIN_START, size(plain(text))):
                parts.append([])
                continue
            cut = _cut(text, space)
            piece, text = text[:cut].rstrip(), text[cut:].lstrip()
            parts[-1].append(f"{opening}{plain(piece)}{closing}")
            if text:
                parts.append([])
    return ["\n".join(lines).strip("\n") for lines in parts if "".join(lines).strip()]


async def show(target: Message | CallbackQuery, bot: Bot, pages: Sequence[str],
               keyboard: InlineKeyboardMarkup | None) -> None:
    """The pages as messages: a pressed message shows the first (edited), the keyboard is under the last."""
    first, rest = pages[0], list(pages[1:])
    if isinstance(target, CallbackQuery):
        await replace_or_send(target, first, None if rest else keyboard)
        chat_id = chat_of(target)
    else:
        await target.answer(first, reply_markup=None if rest else keyboard)
        chat_id = target.chat.id
    for number, page in enumerate(rest, start=1):
        await bot.send_message(chat_id, page, reply_markup=keyboard if number == len(rest) else None)


async def send(bot: Bot, chat_id: int, pages: Sequence[str], keyboard: InlineKeyboardMarkup | None) -> None:
    """The pages as new messages, the keyboard under the last."""
    for number, page in enumerate(pages, start=1):
        await bot.send_message(chat_id, page, reply_markup=keyboard if number == len(pages) else None)
