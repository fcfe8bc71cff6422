"""The terminal mode: the real bot (same Dispatcher, routers, storage) talked to from the keyboard.

`make run` without BOT_TOKEN lands here. The bot runs against the in-process fake Telegram; what you
type becomes updates from one user, and what the bot sends is printed, buttons numbered:

    text or /command   a message
    3                  press button 3 (of the newest keyboard, or of the reply keyboard) when
                       there is one; a number past the buttons shown is sent as text (an age)
    '1 or "1           send the rest as typed text, literally (so '1 types 1, not button 1)
    @51.17,71.43       share a location
    Ctrl-D / Ctrl-C    quit

The database is the configured one (var/bot.sqlite3 by default), so your language and your place in
a dialogue are kept between runs, exactly as they would be by the real bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable
from typing import Any, TextIO

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from pydantic import SecretStr

from bot.app import build_bot, build_dispatcher
from bot.config import Settings
from bot.storage.database import Database
from bot.testing.core import FakeTelegram
from bot.testing.records import ChatEvent, SentMessage
from bot.testing.session import FakeSession
from bot.testing.updates import FakeUser

TERMINAL_TOKEN = "1000000:terminal-mode"
TERMINAL_USER_ID = 1
LOCATION_RE = re.compile(r"^@\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
INTRO = (
    "Terminal mode: the bot runs here without Telegram.\n"
    "Type a message or a /command; a number presses that button (a number past the buttons is "
    "sent as text); a leading ' or \" sends the rest as text ('1 types 1); "
    "@51.17,71.43 shares a location; Ctrl-D quits.\n"
)


class Terminal:
    """One chat between the keyboard and the bot."""

    def __init__(self, settings: Settings, out: TextIO) -> None:
        self.settings = settings
        self.out = out
        self.fake = FakeTelegram(token=TERMINAL_TOKEN)
        self.user = FakeUser(self.fake, TERMINAL_USER_ID, first_name="You")
        self.db: Database | None = None
        self.dp: Dispatcher | None = None
        self.bot: Bot | None = None
        self.numbered: list[tuple[str, dict[str, Any], int | None]] = []
        self.seen: dict[int, tuple[str, list]] = {}  # message id → (text, buttons) as last printed

    async def start(self) -> None:
        self.db = await Database.open(self.settings.database)
        self.dp = build_dispatcher(self.settings, self.db)
        settings = self.settings.model_copy(update={"bot_token": SecretStr(TERMINAL_TOKEN)})
        self.bot = build_bot(settings, session=FakeSession(self.fake))

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.session.close()
        if self.db is not None:
            await self.db.close()

    async def handle_line(self, line: str) -> None:
        """Turn one typed line into an update, feed it, print what the bot did."""
        line = line.strip()
        if not line:
            return
        update = self._update_for(line)
        if update is None:
            return
        before = len(self.fake.events(self.user.id))
        await self.dp.feed_update(self.bot, Update.model_validate(update, context={"bot": self.bot}))
        query = update.get("callback_query")
        if query is not None:
            answer = self.fake.callback_queries[query["id"]].get("answer") or {}
            if answer.get("text"):
                self.write(f"  ({answer['text']})")
        self.show(self.fake.events(self.user.id)[before:])

    def _update_for(self, line: str) -> dict[str, Any] | None:
        # A question may want a number (an age) while buttons are shown: only a number that names a
        # shown button presses it; a quote mark forces text for the numbers that do.
        if line[0] in "'\"":
            literal = line[1:].strip()
            return self.user.text(literal) if literal else None
        if line.isdigit() and 1 <= int(line) <= len(self.numbered):
            return self._press(int(line))
        match = LOCATION_RE.match(line)
        if match:
            lat, lon = float(match.group(1)), float(match.group(2))
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                return self.user.location(lat, lon)
            self.write("  (a location is @latitude,longitude, for example @51.17,71.43)")
            return None
        return self.user.text(line)

    def _press(self, number: int) -> dict[str, Any] | None:
        kind, button, message_id = self.numbered[number - 1]
        if kind == "inline":
            if "copy_text" in button:
                self.write(f"  (copied: {button['copy_text']['text']})")
                return None
            if "callback_data" not in button:
                self.write(f"  (that button opens {button.get('url', 'a link')} outside the bot)")
                return None
            return self.user.press_data(button["callback_data"], message_id)
        if button.get("request_location"):
            self.write("  (type your location as @latitude,longitude, for example @51.17,71.43)")
            return None
        if button.get("request_contact"):
            return self.user.contact()
        return self.user.text(button["text"])

    # --- printing --------------------------------------------------------------------------------

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, events: list[ChatEvent]) -> None:
        """Print the bot's messages, each with its own buttons; number the ones that can be pressed.

        Only the newest message with buttons can be pressed from here (and the reply keyboard): its
        buttons are numbered under it; a message without buttons is printed without any. An edit that
        only took buttons away is one short line, not the whole text again.
        """
        self._number_buttons()
        pressable = self.numbered[0][2] if self.numbered and self.numbered[0][0] == "inline" else None
        printed = False
        for event in events:
            if event.kind == "delete":
                self.write("── (a message was deleted)")
                self.seen.pop(event.message_id, None)
                continue
            message = event.message
            if message is None:
                continue
            before = self.seen.get(message.message_id)
            self.seen[message.message_id] = (message.text, message.inline)
            unchanged = before is not None and before[0] == message.text
            if event.kind == "edit" and unchanged and not message.inline:
                self.write("── (buttons removed from a message above)")
                continue
            self.write("── bot" + (" (edited)" if event.kind == "edit" else "") + " ──")
            self.write(_describe(message))
            newest = message.message_id == pressable and event is self._last_of(events, pressable)
            if message.inline and newest:
                self.write(self._inline_lines())
                printed = True
            elif message.inline:
                self.write("   ".join(f"[·] {b['text']}" for row in message.inline for b in row))
        inline_count = sum(1 for kind, _b, _m in self.numbered if kind == "inline")
        if inline_count and not printed and events:
            self.write(f"(the buttons [1]–[{inline_count}] above can still be pressed)")
        reply_lines = self._reply_lines(inline_count)
        if reply_lines:
            self.write(reply_lines)

    @staticmethod
    def _last_of(events: list[ChatEvent], message_id: int | None) -> ChatEvent | None:
        return next((e for e in reversed(events) if e.message_id == message_id and e.message), None)

    def _number_buttons(self) -> None:
        """Number the newest inline keyboard's buttons, then the reply keyboard's."""
        self.numbered = []
        keyboards = [m for m in self.fake.visible(self.user.id) if m.inline]
        if keyboards:
            newest = keyboards[-1]
            for row in newest.inline:
                self.numbered.extend(("inline", button, newest.message_id) for button in row)
        for row in self.fake.reply_keyboard(self.user.id) or []:
            self.numbered.extend(("reply", button, None) for button in row)

    def _inline_lines(self) -> str:
        keyboards = [m for m in self.fake.visible(self.user.id) if m.inline]
        lines, number = [], 1
        for row in keyboards[-1].inline:
            lines.append("   ".join(f"[{number + i}] {b['text']}" for i, b in enumerate(row)))
            number += len(row)
        return "\n".join(lines)

    def _reply_lines(self, number_from: int) -> str:
        rows = self.fake.reply_keyboard(self.user.id) or []
        if not rows:
            return ""
        lines, number = ["keyboard:"], number_from + 1
        for row in rows:
            lines.append("   ".join(f"[{number + i}] {b['text']}" for i, b in enumerate(row)))
            number += len(row)
        return "\n".join(lines)


def _describe(message: SentMessage) -> str:
    raw = message.raw
    if message.kind == "venue":
        venue = raw["venue"]
        loc = venue["location"]
        return f"📍 {venue['title']}\n   {venue['address']}\n   ({loc['latitude']}, {loc['longitude']})"
    if message.kind == "location":
        return f"📍 {message.text}"
    if message.kind in ("photo", "document"):
        return f"[{message.kind}]" + (f" {message.text}" if message.text else "")
    return message.text


class LineReader:
    """Lines typed or pasted at a real terminal, read with the terminal's line mode (ICANON) off.

    In line mode the kernel keeps at most 4096 bytes of a line and drops the rest, so a pasted
    complaint of 4,000 Cyrillic letters (8,000 bytes) would arrive cut at about 2,000. Here every
    byte is read as it comes and echoed by us; Backspace erases a whole character, arrow keys and
    other escape sequences are ignored, Ctrl-D on an empty line ends the input, Ctrl-C still stops.
    """

    def __init__(self, fd: int, echo: Callable[[bytes], object]) -> None:
        self.fd = fd
        self.echo = echo
        self.pending = bytearray()  # read past the last line returned (a paste of several lines)
        self.saved: list | None = None

    def __enter__(self) -> LineReader:
        """Line mode stays off for the whole session: text pasted while the bot answers is kept too."""
        import termios

        self.saved = termios.tcgetattr(self.fd)
        raw = termios.tcgetattr(self.fd)
        raw[3] &= ~(termios.ICANON | termios.ECHO)
        raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
        termios.tcsetattr(self.fd, termios.TCSANOW, raw)
        return self

    def __exit__(self, *exc: object) -> None:
        import termios

        if self.saved is not None:
            termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)

    def read_line(self, prompt: str = "") -> str | None:
        self.echo(prompt.encode())
        return self._collect()

    def _collect(self) -> str | None:
        line, escape = bytearray(), False
        while True:
            if not self.pending:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    return line.decode("utf-8", "replace") if line else None
                self.pending += chunk
            byte = self.pending.pop(0)
            if escape:  # ESC [ ... final letter: an arrow or function key
                escape = not (0x40 <= byte <= 0x7E and byte != ord("["))
            elif byte == 0x1B:
                escape = True
            elif byte in (0x0A, 0x0D):
                self.echo(b"\n")
                return line.decode("utf-8", "replace")
            elif byte == 0x04:
                if not line:
                    return None
            elif byte in (0x7F, 0x08):
                if line:
                    cut = len(line) - 1
                    while cut > 0 and line[cut] & 0xC0 == 0x80:  # back to the start of the UTF-8 character
                        cut -= 1
                    del line[cut:]
                    self.echo(b"\b \b")
            elif byte >= 0x20 or byte == 0x09:
                line.append(byte)
                self.echo(bytes([byte]))


def _read(stdin: TextIO, reader: LineReader | None) -> str | None:
    """One line, or None at end of input: from the terminal through `reader`, else from `stdin`."""
    if reader is not None:
        return reader.read_line("> ")
    line = stdin.readline()
    return line or None


def run(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read lines until EOF or Ctrl-C; each is handled before the next is read."""
    for name in ("aiogram", "aiogram.event", "aiogram.dispatcher", "aiogram.middlewares"):
        logging.getLogger(name).setLevel(logging.WARNING)
    terminal = Terminal(settings, stdout)
    with asyncio.Runner() as runner, contextlib.ExitStack() as stack:
        try:
            runner.run(terminal.start())
            terminal.write(INTRO)
            interactive = stdin.isatty()
            reader = None
            if interactive:
                reader = LineReader(stdin.fileno(), lambda data: (stdout.buffer.write(data), stdout.flush()))
                stack.enter_context(reader)
            while True:
                line = _read(stdin, reader)
                if line is None:
                    break
                if not interactive:
                    terminal.write(f"> {line.rstrip()}")
                try:
                    runner.run(terminal.handle_line(line))
                except Exception as exc:  # noqa: BLE001 - one failed update must not end the session
                    logging.getLogger(__name__).exception("the update failed")
                    terminal.write(f"  (the bot failed on that: {type(exc).__name__}; see the log above)")
        except KeyboardInterrupt:
            pass
        finally:
            terminal.write("")
            runner.run(terminal.stop())
    return 0
