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
import logging
import re
import sys
from typing import Any, TextIO

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from pydantic import SecretStr

from bot.app import build_bot, build_dispatcher
from bot.config import Settings
from bot.database import Database
from bot.testing.core import ChatEvent, FakeTelegram, SentMessage
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

    async def start(self) -> None:
        self.db = await Database.open(self.settings.database_path)
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
        """Print the bot's messages and number the buttons one can press now."""
        for event in events:
            if event.kind == "delete":
                self.write("── (a message was deleted)")
            elif event.message is not None:
                self.write("── bot" + (" (edited)" if event.kind == "edit" else "") + " ──")
                self.write(_describe(event.message))
        self._number_buttons()

    def _number_buttons(self) -> None:
        self.numbered = []
        keyboards = [m for m in self.fake.visible(self.user.id) if m.inline]
        if keyboards:
            newest = keyboards[-1]
            for row in newest.inline:
                self.numbered.extend(("inline", button, newest.message_id) for button in row)
        inline_count = len(self.numbered)
        for row in self.fake.reply_keyboard(self.user.id) or []:
            self.numbered.extend(("reply", button, None) for button in row)
        if not self.numbered:
            return
        lines: list[str] = []
        number = 1
        if inline_count:
            for row in keyboards[-1].inline:
                lines.append("   ".join(f"[{number + i}] {b['text']}" for i, b in enumerate(row)))
                number += len(row)
        reply_rows = self.fake.reply_keyboard(self.user.id) or []
        if reply_rows:
            lines.append("keyboard:")
            for row in reply_rows:
                lines.append("   ".join(f"[{number + i}] {b['text']}" for i, b in enumerate(row)))
                number += len(row)
        self.write("\n".join(lines))


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


def _read(stdin: TextIO, interactive: bool) -> str | None:
    """One line, or None at end of input (input() gives line editing at a real terminal)."""
    if interactive:
        try:
            return input("> ")
        except EOFError:
            return None
    line = stdin.readline()
    return line or None


def run(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read lines until EOF or Ctrl-C; each is handled before the next is read."""
    for name in ("aiogram", "aiogram.event", "aiogram.dispatcher", "aiogram.middlewares"):
        logging.getLogger(name).setLevel(logging.WARNING)
    terminal = Terminal(settings, stdout)
    with asyncio.Runner() as runner:
        try:
            runner.run(terminal.start())
            terminal.write(INTRO)
            interactive = stdin.isatty()
            while True:
                line = _read(stdin, interactive)
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
